"""In-process cost of repository reads over 100,000 instances.

Reports the median time of: the first page, a page at 90 % depth via ``start``, a
property-filtered page, a one-term search and a GET by id; and the ratio
page-at-depth / first-page, which is what the sorted indexes are for (target <= 2: a page
costs O(log n + page), not a scan).

    python benchmarks/store_scaling.py [--count 100000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CALLER, TEST_ITEM, median_ms, populated


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--limit", type=int, default=20)
    args = parser.parse_args()

    began = time.perf_counter()
    state, cid, ids = populated(args.count)
    load_s = time.perf_counter() - began
    repo = state.repository
    limit = [str(args.limit)]

    def page(**params: list[str]) -> None:
        repo.query(CALLER, cid, {"schema": [TEST_ITEM], "limit": limit, **params}, search=False)

    def search(**params: list[str]) -> None:
        repo.query(CALLER, cid, {"schema": [TEST_ITEM], "limit": limit, **params}, search=True)

    by_id = sorted(ids)
    deep_id = by_id[int(len(by_id) * 0.9)]
    score_sorted = sorted(r.instance["xdm:score"] for r in repo.store.records(CALLER.tenant, cid))
    deep_score = str(score_sorted[int(len(score_sorted) * 0.9)])
    # Build the score index before timing (the first query on a path builds it, once).
    page(orderBy=["_instance.xdm:score"])

    figures = {
        "first page (instanceId)": median_ms(lambda: page()),
        "page at 90% depth (instanceId)": median_ms(lambda: page(start=[deep_id])),
        "first page (orderBy score)": median_ms(lambda: page(orderBy=["_instance.xdm:score"])),
        "page at 90% depth (orderBy score)": median_ms(
            lambda: page(orderBy=["_instance.xdm:score"], start=[deep_score])
        ),
        "property-filtered page (status==approved)": median_ms(
            lambda: page(property=["_instance.xdm:status==approved"]), repeat=15
        ),
        "one-term search (q=lounge)": median_ms(lambda: search(q=["lounge"]), repeat=15),
        "GET by id": median_ms(lambda: repo.get(CALLER, cid, deep_id), repeat=2000),
    }
    print(f"{args.count} instances loaded in {load_s:.1f} s")
    width = max(map(len, figures))
    for name, ms in figures.items():
        print(f"  {name:<{width}}  {ms:10.4f} ms")
    ratio_id = figures["page at 90% depth (instanceId)"] / figures["first page (instanceId)"]
    ratio_score = (
        figures["page at 90% depth (orderBy score)"] / figures["first page (orderBy score)"]
    )
    print(f"  depth/first ratio, instanceId order:  {ratio_id:.2f}  (target <= 2)")
    print(f"  depth/first ratio, score order:       {ratio_score:.2f}  (target <= 2)")


if __name__ == "__main__":
    main()
