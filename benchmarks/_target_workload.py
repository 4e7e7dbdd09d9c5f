"""The Target benchmarks' workload: a 300-rule decision table and the requests sent to it.

100 activities on 30 mboxes, 3 experiences each (300 rules): A/B splits and experience
targeting, audiences on mbox parameters, the page URL and the browser, as a busy Target
client would have them. Deterministic (seeded), so every run measures the same thing.
"""

from __future__ import annotations

from typing import Any

from mockxcore.generate import decision_table

MBOX_COUNT = 30
ACTIVITY_COUNT = 100
TNT = "5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e.35_0"
USER_AGENT = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/118.0.0.0 Safari/537.36"
)


def table(seed: int = 300) -> dict[str, Any]:
    """The 300-rule table: what ``mockxcore generate --table --activities 100 --mboxes 30``
    writes for this seed."""
    return decision_table(ACTIVITY_COUNT, MBOX_COUNT, seed=seed)


def request(mbox_count: int) -> dict[str, Any]:
    return {
        "id": {"tntId": TNT},
        "context": {
            "channel": "web",
            "address": {"url": "https://www.example.com/shop/shoes?color=red"},
            "userAgent": USER_AGENT,
        },
        "execute": {
            "mboxes": [
                {
                    "index": i + 1,
                    "name": f"mbox-{(i * 7) % MBOX_COUNT:02d}",
                    "parameters": {"tier": "gold", "size": "3"},
                }
                for i in range(mbox_count)
            ]
        },
    }
