"""The floor of the latency benchmark: a bare asyncio server that answers from a timer.

No HTTP framework: each request's canned answer is written by a ``loop.call_at`` set when its
bytes arrived, aimed half a millisecond early as the mock aims (asyncio's epoll timeouts round
up to whole milliseconds). Nothing in Python answers a delayed request sooner, so what this
server shows is what the event loop, the kernel and the client cost. Prints
``mockxcore-floor listening on http://HOST:PORT``, then serves until killed.

    python benchmarks/_timer_server.py DELAY_MS
"""

from __future__ import annotations

import asyncio
import sys

BODY = b'{"_embedded": {"xcore:container": []}, "_links": {}}'
ANSWER = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (
    len(BODY),
    BODY,
)
EARLY = 0.0005


class _Answering(asyncio.Protocol):
    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        loop = asyncio.get_running_loop()
        due = loop.time() + self.delay - EARLY
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:  # GETs only: a request ends with its headers
            self.buffer = self.buffer.partition(b"\r\n\r\n")[2]
            loop.call_at(due, self._answer)

    def _answer(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(ANSWER)


async def main(delay: float) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: _Answering(delay), "127.0.0.1", 0)
    host, port = server.sockets[0].getsockname()[:2]
    print(f"mockxcore-floor listening on http://{host}:{port}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(float(sys.argv[1]) / 1000))
