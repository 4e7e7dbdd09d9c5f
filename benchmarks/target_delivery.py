"""Delivery API throughput, as a ratio to a raw aiohttp handler measured in the same run.

Execute with 3 mboxes against a 300-rule artifact, 64 concurrent connections. Each server
runs in its own process pinned to CPU 0, the load generator (``wrk`` with a POST script, else
a Python aiohttp client) pinned to CPU 1; the two servers are measured alternately for several
rounds and the medians compared, so machine noise hits both alike. Target: mock/raw >= 0.5.

    python benchmarks/target_delivery.py [--rounds 3] [--seconds 5] [--connections 64]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _load import alternate, pin_self, pinned, wrk  # noqa: E402
from _target_workload import request  # noqa: E402

BODY = json.dumps(request(3))


def start(kind: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        pinned(0, [sys.executable, str(HERE / "_target_bench_server.py"), kind]),
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


def load_wrk(url: str, seconds: int, connections: int) -> float:
    script = (
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        f"wrk.body = {json.dumps(BODY)}\n"
    )
    return wrk(url, seconds, connections, script=script)


def python_load(url: str, seconds: int, connections: int) -> float:
    import aiohttp

    async def run() -> int:
        done = 0
        deadline = time.perf_counter() + seconds
        connector = aiohttp.TCPConnector(limit=connections)
        headers = {"Content-Type": "application/json"}
        async with aiohttp.ClientSession(connector=connector, headers=headers) as session:

            async def loop() -> None:
                nonlocal done
                while time.perf_counter() < deadline:
                    async with session.post(url, data=BODY) as response:
                        assert response.status == 200
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
    parser.add_argument("--connections", type=int, default=64)
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
        f"{args.connections} connections, {args.rounds} x {args.seconds} s each; "
        "execute, 3 mboxes, 300-rule artifact"
    )
    print(
        f"  raw aiohttp handler (parse + canned): {raw:9.0f} req/s  (rounds: "
        + ", ".join(f"{r:.0f}" for r in results["raw"])
        + ")"
    )
    print(
        f"  mockxcore /rest/v1/delivery:          {mock:9.0f} req/s  (rounds: "
        + ", ".join(f"{r:.0f}" for r in results["mock"])
        + ")"
    )
    print(f"  ratio mock/raw:                       {mock / raw:9.2f}  (target >= 0.5)")


if __name__ == "__main__":
    main()
