"""The baseline of the latency benchmark: a raw aiohttp handler that sleeps, then answers.

``await asyncio.sleep(delay)`` in the handler, nothing else: what a hand-written aiohttp stub
with a delay does (deliberately naive: it counts from when the handler runs, not from when the
request arrived, and does not aim early for asyncio's millisecond timer rounding).
Prints ``mockxcore-baseline listening on http://HOST:PORT``, then serves until killed.

    python benchmarks/_sleep_server.py DELAY_MS
"""

from __future__ import annotations

import asyncio
import gc
import sys

from aiohttp import web

BODY = b'{"_embedded": {"xcore:container": []}, "_links": {}}'


async def main(delay: float) -> None:
    async def handler(request: web.Request) -> web.Response:
        await asyncio.sleep(delay)
        return web.Response(body=BODY, content_type="application/json")

    app = web.Application()
    app.router.add_get("/data/core/xcore/", handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    gc.collect()  # as `mockxcore serve` does once started
    gc.freeze()
    host, port = runner.addresses[0][:2]
    print(f"mockxcore-baseline listening on http://{host}:{port}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(float(sys.argv[1]) / 1000))
