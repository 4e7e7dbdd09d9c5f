"""A server for the HTTP benchmarks: ``mock`` (mockxcore) or ``raw`` (a bare aiohttp handler).

Both answer ``GET /data/core/xcore/{cid}/instances/{iid}`` with the same bytes and headers;
``raw`` does nothing else, so the ratio of their throughputs is mockxcore's overhead.
Prints the URL of that instance on its first line, then serves until killed.

    python benchmarks/_bench_server.py mock|raw
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import orjson
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CALLER, populated, serve_forever

from mockxcore.app import build_app
from mockxcore.xcore import mediatypes
from mockxcore.xcore.hal import hal_document


async def main(kind: str) -> None:
    state, cid, ids = populated(1000)
    iid = ids[len(ids) // 2]
    record = state.repository.get(CALLER, cid, iid)
    if kind == "mock":
        app = build_app(state.config, state)
    else:
        body = orjson.dumps(hal_document(record, cid))
        content_type = mediatypes.hal(record.versioned_schema)

        async def handler(request: web.Request) -> web.Response:
            response = web.Response(body=body, headers={"ETag": f'"{record.etag}"'})
            response.headers["Content-Type"] = content_type
            return response

        app = web.Application()
        app.router.add_get("/data/core/xcore/{cid}/instances/{iid}", handler)
    await serve_forever(app, f"/data/core/xcore/{cid}/instances/{iid}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
