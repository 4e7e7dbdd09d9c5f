"""How faithfully the mock keeps a configured latency under load.

Bursts of 200 concurrent requests (200 connections; each waits 200 ms after an answer before
its next request, so the bursts do not overlap; they start together and drift apart a little
from one burst to the next, as the answers do) at a route configured with a fixed 50 ms
delay; the benchmark reports p50/p99 of (observed - configured), observed being what the
client measures from writing a request to reading the last byte of its answer. Same run, same
load: a raw aiohttp handler that does ``await asyncio.sleep(0.05)`` (the baseline a
hand-written stub gives) and a bare asyncio server answering from a timer (the floor: what the
event loop, the kernel and the client cost). Targets for the mock: p50 <= 2 ms, p99 <= 10 ms.

The client is ``wrk --latency`` (C, pinned to the other core). Without ``wrk`` a minimal
asyncio client fires the bursts instead; it reads 200 answers more slowly than a server sends
them, so its figures include its own queue (see benchmarks/README.md).

    python benchmarks/latency_accuracy.py [--rounds 3] [--seconds 5] [--connections 200]
                                          [--delay-ms 50]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _load import alternate, pin_self, python_script, started, wrk_latency

PATH = "/data/core/xcore/"
PAUSE_MS = 200
BURSTS = f"function delay()\n  return {PAUSE_MS}\nend\n"
"""wrk's hook for the wait before a connection's next request."""


def commands(delay_ms: int) -> dict[str, list[str]]:
    mock = [sys.executable, "-m", "mockxcore", "serve", "--port", "0", "--no-demo"]
    mock += ["--auth", "off", "--no-cors", "--latency", f"{delay_ms}ms"]
    return {
        "floor": python_script("_timer_server.py", str(delay_ms)),
        "raw": python_script("_sleep_server.py", str(delay_ms)),
        "mock": mock,
    }


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
        await asyncio.sleep(PAUSE_MS / 1000)
    for connection in connections:
        if connection.transport is not None:
            connection.transport.close()
    return samples


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def with_wrk(urls: dict[str, str], args: argparse.Namespace) -> dict[str, tuple[float, float]]:
    """Per server: the medians over rounds of wrk's p50 and p99, minus the configured delay."""

    def load(url: str, seconds: int, connections: int) -> dict[int, float]:
        return wrk_latency(url, seconds, connections, script=BURSTS)

    rounds = alternate(load, urls, args.rounds, args.seconds, args.connections)
    return {
        kind: (
            statistics.median(r[50] for r in results) - args.delay_ms,
            statistics.median(r[99] for r in results) - args.delay_ms,
        )
        for kind, results in rounds.items()
    }


def with_python(urls: dict[str, str], args: argparse.Namespace) -> dict[str, tuple[float, float]]:
    pin_self(1)
    errors = {}
    for kind, url in urls.items():
        samples = asyncio.run(measure(url, args.rounds * 2, args.connections))
        delayed = [s * 1000 - args.delay_ms for s in samples]
        errors[kind] = (percentile(delayed, 0.5), percentile(delayed, 0.99))
    return errors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--delay-ms", type=int, default=50)
    args = parser.parse_args()
    use_wrk = shutil.which("wrk") is not None
    with started(commands(args.delay_ms)) as bases:
        urls = {kind: base + PATH for kind, base in bases.items()}
        errors = with_wrk(urls, args) if use_wrk else with_python(urls, args)
    if use_wrk:
        print(
            f"load: wrk, bursts of {args.connections} concurrent requests {PAUSE_MS} ms apart, "
            f"{args.rounds} rounds x {args.seconds} s; servers on CPU 0, wrk on CPU 1"
        )
    else:
        print(
            f"load: asyncio client (no wrk), {args.rounds * 2} bursts of {args.connections}; "
            "its own queue is included"
        )
    print(f"observed - configured, {args.delay_ms} ms configured:")
    names = {
        "floor": "bare asyncio timer (the floor)",
        "raw": "raw aiohttp handler (asyncio.sleep)",
        "mock": f"mockxcore serve --latency {args.delay_ms}ms",
    }
    for kind, (p50, p99) in errors.items():
        targets = "   (targets <= 2, <= 10)" if kind == "mock" else ""
        print(f"  {names[kind]:38s} p50 {p50:6.2f} ms   p99 {p99:6.2f} ms{targets}")


if __name__ == "__main__":
    main()
