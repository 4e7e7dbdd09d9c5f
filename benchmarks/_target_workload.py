"""The Target benchmarks' workload: a 300-rule decision table and the requests sent to it.

100 activities on 30 mboxes, 3 experiences each (300 rules): A/B splits and experience
targeting, audiences on mbox parameters, the page URL and the browser, as a busy Target
client would have them. Deterministic (seeded), so every run measures the same thing.
"""

from __future__ import annotations

import random
from typing import Any

MBOX_COUNT = 30
ACTIVITY_COUNT = 100
TNT = "5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e.35_0"
USER_AGENT = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/118.0.0.0 Safari/537.36"
)


def _audience(rng: random.Random) -> dict[str, Any]:
    return rng.choice(
        [
            {"attribute": "mbox.tier", "equals": rng.choice(["gold", "silver", "bronze"])},
            {"attribute": "page.path", "startsWith": rng.choice(["/sale", "/shop", "/cart"])},
            {"attribute": "user.browserType", "in": ["chrome", "firefox"]},
            {"attribute": "page.url", "contains": "example", "ignoreCase": True},
            {
                "all": [
                    {"attribute": "mbox.size", "greaterThan": 2},
                    {"attribute": "user.platform", "equals": "mac"},
                ]
            },
        ]
    )


def table(seed: int = 300) -> dict[str, Any]:
    rng = random.Random(seed)
    activities = []
    for n in range(ACTIVITY_COUNT):
        kind = "ab" if n % 3 else "xt"
        activity: dict[str, Any] = {
            "name": f"Activity {n}",
            "type": kind,
            "priority": rng.randint(0, 3),
            "mbox": f"mbox-{n % MBOX_COUNT:02d}",
            "experiences": [],
        }
        if kind == "ab" and rng.random() < 0.7:
            activity["audience"] = _audience(rng)
        for e in range(3):
            experience: dict[str, Any] = {
                "name": f"Experience {e}",
                "options": [
                    {
                        "type": "html",
                        "content": f"<div>activity {n} experience {e} ${{campaign.id}}</div>",
                    }
                    if rng.random() < 0.5
                    else {"type": "json", "content": {"activity": n, "experience": e, "on": True}}
                ],
            }
            if kind == "ab":
                experience["split"] = 33 if e < 2 else 34
            elif e < 2:
                experience["audience"] = _audience(rng)
            activity["experiences"].append(experience)
        activities.append(activity)
    return {"activities": activities}


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
