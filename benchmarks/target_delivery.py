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
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _target_workload import request  # noqa: E402

BODY = json.dumps(request(3))


def pinned(cpu: int, command: list[str]) -> list[str]:
    return ["taskset", "-c", str(cpu), *command] if shutil.which("taskset") else command


def start(kind: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        pinned(0, [sys.executable, str(HERE / "_target_bench_server.py"), kind]),
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


def wrk(url: str, seconds: int, connections: int) -> float:
    script = (
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        f"wrk.body = {json.dumps(BODY)}\n"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", handle.name, url]
        output = subprocess.run(
            pinned(1, command), capture_output=True, text=True, check=True
        ).stdout
    finally:
        os.unlink(handle.name)
    assert "Non-2xx" not in output, output
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    assert match, output
    return float(match.group(1))


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

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {1})
    return asyncio.run(run()) / seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    load = wrk if shutil.which("wrk") else python_load
    servers = {kind: start(kind) for kind in ("raw", "mock")}
    try:
        for _process, url in servers.values():
            load(url, 1, args.connections)  # warm up
        results: dict[str, list[float]] = {"raw": [], "mock": []}
        for _ in range(args.rounds):
            for kind, (_process, url) in servers.items():
                results[kind].append(load(url, args.seconds, args.connections))
    finally:
        for process, _url in servers.values():
            process.kill()
    raw = statistics.median(results["raw"])
    mock = statistics.median(results["mock"])
    print(
        f"load generator: {'wrk' if load is wrk else 'python aiohttp client'}, "
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
