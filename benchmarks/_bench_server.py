"""A server for the HTTP benchmarks: ``mock`` (mockxcore) or ``raw`` (a bare aiohttp handler).

Both answer ``GET /data/core/xcore/{cid}/instances/{iid}`` with the same bytes and headers;
``raw`` does nothing else, so the ratio of their throughputs is mockxcore's overhead.
Prints ``URL PATH`` on its first line, then serves until killed.

    python benchmarks/_bench_server.py mock|raw
"""

from __future__ import annotations

import asyncio
import gc
import sys
from pathlib import Path

import orjson
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CALLER, populated

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
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    gc.collect()  # as `mockxcore serve` does once started (the same for both servers)
    gc.freeze()
    host, port = runner.addresses[0][:2]
    print(f"http://{host}:{port} /data/core/xcore/{cid}/instances/{iid}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
