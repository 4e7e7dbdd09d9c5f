"""GET-by-id throughput over HTTP, as a ratio to a raw aiohttp handler (same bytes, same run).

Each server runs in its own process pinned to CPU 0; the load generator (``wrk`` if present,
else a Python aiohttp client) runs pinned to CPU 1. The two servers are measured back to back
in many short rounds (order alternating), and the median of the rounds' ratios is reported,
so machine noise hits both alike. Target: >= 0.6.

    python benchmarks/http_get_by_id.py [--rounds 30] [--seconds 1] [--connections 32]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _load import alternate, python_script, ratio_line, rounds_line, started, throughput

HEADERS = {
    "Authorization": "Bearer bench",
    "x-api-key": "bench",
    "x-gw-ims-org-id": "bench@AdobeOrg",
    "x-sandbox-name": "prod",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=1)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    name, load = throughput(headers=HEADERS)
    servers = {kind: python_script("_bench_server.py", kind) for kind in ("raw", "mock")}
    with started(servers) as urls:
        results = alternate(load, urls, args.rounds, args.seconds, args.connections)
    print(
        f"load generator: {name}, {args.connections} connections, "
        f"{args.rounds} x {args.seconds} s each"
    )
    print(rounds_line("raw aiohttp handler:", results["raw"]))
    print(rounds_line("mockxcore GET by id:", results["mock"]))
    print(ratio_line(results["mock"], results["raw"], ">= 0.6"))


if __name__ == "__main__":
    main()
