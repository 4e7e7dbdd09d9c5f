"""A server for the delivery throughput benchmark: ``mock`` (mockxcore) or ``raw``.

``mock`` is a whole mockxcore app (every middleware, the journal included) with the 300-rule
workload loaded for client ``bench``. ``raw`` is a bare aiohttp handler that parses the same
request body as JSON and answers a canned body of the same size (the mock's own answer to
that request), so the ratio of their throughputs is what deciding costs over plain HTTP.
Prints the URL on its first line, then serves until killed.

    python benchmarks/_target_bench_server.py mock|raw
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import orjson
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import serve_forever
from _target_workload import request, table

from mockxcore.app import build_app
from mockxcore.config import Config
from mockxcore.state import MockState

PATH = "/rest/v1/delivery?client=bench&sessionId=bench-session"


def mock_state() -> MockState:
    state = MockState(Config())
    state.target.load_table("bench", table())
    return state


async def canned_answer(state: MockState) -> bytes:
    """The mock's own answer to the benchmark request, obtained over HTTP once."""
    from aiohttp.test_utils import TestClient, TestServer

    async with TestClient(TestServer(build_app(state.config, state))) as client:
        response = await client.post(PATH, json=request(3))
        return await response.read()


async def main(kind: str) -> None:
    state = mock_state()
    if kind == "mock":
        app = build_app(state.config, state)
    else:
        body = await canned_answer(state)

        async def handler(request: web.Request) -> web.Response:
            orjson.loads(await request.read())
            response = web.Response(body=body)
            response.headers["Content-Type"] = "application/json"
            return response

        app = web.Application()
        app.router.add_post("/rest/v1/delivery", handler)
    await serve_forever(app, PATH)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
