"""The baseline of the latency benchmark: a raw aiohttp handler that sleeps, then answers.

``await asyncio.sleep(delay)`` in the handler, nothing else: what a hand-written aiohttp stub
with a delay does (deliberately naive: it counts from when the handler runs, not from when the
request arrived, and does not aim early for asyncio's millisecond timer rounding).
Prints its URL, then serves until killed.

    python benchmarks/_sleep_server.py DELAY_MS
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import serve_forever

BODY = b'{"_embedded": {"xcore:container": []}, "_links": {}}'


async def main(delay: float) -> None:
    async def handler(request: web.Request) -> web.Response:
        await asyncio.sleep(delay)
        return web.Response(body=BODY, content_type="application/json")

    app = web.Application()
    app.router.add_get("/data/core/xcore/", handler)
    await serve_forever(app)


if __name__ == "__main__":
    asyncio.run(main(float(sys.argv[1]) / 1000))
