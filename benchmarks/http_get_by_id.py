"""GET-by-id throughput over HTTP, as a ratio to a raw aiohttp handler (same bytes, same run).

Each server runs in its own process pinned to CPU 0; the load generator (``wrk`` if present,
else a Python aiohttp client) runs pinned to CPU 1. The two servers are measured alternately,
several rounds, and the medians compared, so machine noise hits both alike. Target: >= 0.6.

    python benchmarks/http_get_by_id.py [--rounds 3] [--seconds 5] [--connections 32]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _load import alternate, pin_self, pinned, wrk  # noqa: E402

HEADERS = {
    "Authorization": "Bearer bench",
    "x-api-key": "bench",
    "x-gw-ims-org-id": "bench@AdobeOrg",
    "x-sandbox-name": "prod",
}


def start(kind: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        pinned(0, [sys.executable, str(HERE / "_bench_server.py"), kind]),
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    base, path = process.stdout.readline().split()
    return process, base + path


def load_wrk(url: str, seconds: int, connections: int) -> float:
    return wrk(url, seconds, connections, headers=HEADERS)


def python_load(url: str, seconds: int, connections: int) -> float:
    """Fallback load generator: aiohttp client, ``connections`` concurrent loops."""
    import aiohttp

    async def run() -> int:
        done = 0
        deadline = time.perf_counter() + seconds
        async with aiohttp.ClientSession(headers=HEADERS) as session:

            async def loop() -> None:
                nonlocal done
                while time.perf_counter() < deadline:
                    async with session.get(url) as response:
                        await response.read()
                    done += 1

            await asyncio.gather(*(loop() for _ in range(connections)))
        return done

    pin_self(1)
    return asyncio.run(run()) / seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    load = load_wrk if shutil.which("wrk") else python_load
    servers = {kind: start(kind) for kind in ("raw", "mock")}
    try:
        urls = {kind: url for kind, (_process, url) in servers.items()}
        results = alternate(load, urls, args.rounds, args.seconds, args.connections)
    finally:
        for process, _url in servers.values():
            process.kill()
    raw = statistics.median(results["raw"])
    mock = statistics.median(results["mock"])
    print(
        f"load generator: {'wrk' if load is load_wrk else 'python aiohttp client'}, "
        f"{args.connections} connections, {args.rounds} x {args.seconds} s each"
    )
    print(
        f"  raw aiohttp handler:  {raw:10.0f} req/s  (rounds: "
        + ", ".join(f"{r:.0f}" for r in results["raw"])
        + ")"
    )
    print(
        f"  mockxcore GET by id:  {mock:10.0f} req/s  (rounds: "
        + ", ".join(f"{r:.0f}" for r in results["mock"])
        + ")"
    )
    print(f"  ratio mock/raw:       {mock / raw:10.2f}  (target >= 0.6)")


if __name__ == "__main__":
    main()
