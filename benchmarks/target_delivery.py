"""Delivery API throughput, as a ratio to a raw aiohttp handler measured in the same run.

Execute with 3 mboxes against a 300-rule artifact, 64 concurrent connections. Each server
runs in its own process pinned to CPU 0, the load generator (``wrk`` with a POST script, else
a Python aiohttp client) pinned to CPU 1; the two servers are measured back to back in many
short rounds (order alternating) and the median of the rounds' ratios is reported, so machine
noise hits both alike. Target: mock/raw >= 0.5.

    python benchmarks/target_delivery.py [--rounds 30] [--seconds 1] [--connections 64]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _load import alternate, python_script, ratio_line, rounds_line, started, throughput
from _target_workload import request


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=1)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    name, load = throughput(body=json.dumps(request(3)))
    servers = {kind: python_script("_target_bench_server.py", kind) for kind in ("raw", "mock")}
    with started(servers) as urls:
        results = alternate(load, urls, args.rounds, args.seconds, args.connections)
    print(
        f"load generator: {name}, {args.connections} connections, "
        f"{args.rounds} x {args.seconds} s each; execute, 3 mboxes, 300-rule artifact"
    )
    print(rounds_line("raw aiohttp handler (parse + canned):", results["raw"]))
    print(rounds_line("mockxcore /rest/v1/delivery:", results["mock"]))
    print(ratio_line(results["mock"], results["raw"], ">= 0.5"))


if __name__ == "__main__":
    main()
