"""How faithfully the mock keeps a configured latency under load.

Fires bursts of 200 concurrent requests at a route configured with a fixed 50 ms delay and
reports p50/p99 of (observed - configured), observed being what the client measures from
sending a request to having read its answer. The same bursts against the route with no delay
give the floor: what the HTTP round trip alone costs at that concurrency. Targets: p50 <= 2 ms,
p99 <= 10 ms.

    python benchmarks/latency_accuracy.py [--bursts 5] [--concurrency 200] [--delay-ms 50]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _load import pin_self, pinned


def start(delay_ms: int) -> tuple[subprocess.Popen[str], str]:
    command = [
        sys.executable,
        "-m",
        "mockxcore",
        "serve",
        "--port",
        "0",
        "--no-demo",
        "--auth",
        "off",
        "--no-cors",
        "--latency",
        f"{delay_ms}ms",
    ]
    command = pinned(0, command)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    return process, process.stdout.readline().strip().rsplit(" ", 1)[-1]


class _Connection(asyncio.Protocol):
    """One keep-alive connection that times a response by when its last byte arrived.

    A full HTTP client would add its own parsing time (per response, one after another) to
    what is measured; this only looks for the end of the headers and Content-Length.
    """

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = b""
        self.done: asyncio.Future[float] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        now = time.perf_counter()
        self.buffer += data
        head, sep, rest = self.buffer.partition(b"\r\n\r\n")
        if not sep:
            return
        length = next(
            (
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            ),
            0,
        )
        if len(rest) >= length and self.done is not None and not self.done.done():
            self.buffer = rest[length:]
            self.done.set_result(now)

    def send(self, request: bytes) -> asyncio.Future[float]:
        assert self.transport is not None
        self.done = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return self.done


async def measure(url: str, bursts: int, concurrency: int) -> list[float]:
    loop = asyncio.get_running_loop()
    host, port = url.removeprefix("http://").split("/", 1)[0].split(":")
    path = "/" + url.removeprefix("http://").split("/", 1)[1]
    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    connections = [
        (await loop.create_connection(_Connection, host, int(port)))[1] for _ in range(concurrency)
    ]

    async def burst() -> list[float]:
        sent = []
        waiting = []
        for connection in connections:
            sent.append(time.perf_counter())
            waiting.append(connection.send(request))
        finished = await asyncio.gather(*waiting)
        return [end - start for start, end in zip(sent, finished, strict=True)]

    await burst()  # warm up
    samples: list[float] = []
    for _ in range(bursts):
        samples += await burst()
        await asyncio.sleep(0.2)
    for connection in connections:
        if connection.transport is not None:
            connection.transport.close()
    return samples


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bursts", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--delay-ms", type=int, default=50)
    args = parser.parse_args()
    pin_self(1)
    results = {}
    for delay in (0, args.delay_ms):
        process, base = start(delay)
        try:
            samples = asyncio.run(
                measure(base + "/data/core/xcore/", args.bursts, args.concurrency)
            )
        finally:
            process.kill()
        results[delay] = [s * 1000 - delay for s in samples]
    floor, delayed = results[0], results[args.delay_ms]
    print(
        f"{args.bursts} bursts of {args.concurrency} concurrent GETs, "
        f"server on CPU 0, client on CPU 1"
    )
    print(
        f"  no delay configured:   p50 {percentile(floor, 0.5):6.2f} ms   "
        f"p99 {percentile(floor, 0.99):6.2f} ms   (the round trip itself)"
    )
    print(
        f"  {args.delay_ms} ms configured, observed - configured: "
        f"p50 {percentile(delayed, 0.5):6.2f} ms   p99 {percentile(delayed, 0.99):6.2f} ms   "
        f"(targets <= 2, <= 10)"
    )
    print(
        f"  mean error {statistics.mean(delayed):.2f} ms, "
        f"min {min(delayed):.2f} ms, max {max(delayed):.2f} ms"
    )


if __name__ == "__main__":
    main()
