"""In-process decision time: 30 activities over a container of N offers, rules on half of them.

Reports the median time of one decision request (30 activities, one profile, itemCount 1,
duplicates not allowed) for 500 and 5,000 offers, and the growth ratio. Targets: median <= 20 ms
at 5,000 offers; growth from 500 to 5,000 no worse than linear (ratio <= 10).

    python benchmarks/decision_scaling.py [--sizes 500 5000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from typing import Any

from mockxcore.auth import Caller
from mockxcore.config import Config
from mockxcore.state import MockState

OM = "https://ns.adobe.com/experience/offer-management/"
CID = "b0b0b0b0-0000-4000-8000-000000000001"
CALLER = Caller("bench@AdobeOrg", "prod", "bench", "bench")
RULES = [
    'tier = "gold"',
    "age >= 30",
    'homeAddress.countryCode in ["US", "CA"]',
    'tier = "silver" and age < 40',
    'person.name.contains("a")',
]


def catalog(offers: int, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    docs: list[dict[str, Any]] = []

    def add(kind: str, uri: str, body: dict[str, Any]) -> None:
        docs.append({"schema": OM + kind, "_instance": {"@id": uri, "xdm:name": uri, **body}})

    placements = [f"xcore:offer-placement:{n:015x}" for n in range(3)]
    for p in placements:
        add(
            "offer-placement",
            p,
            {
                "xdm:channel": "https://ns.adobe.com/xdm/channels/web",
                "xdm:componentType": OM + "content-component-text",
            },
        )
    tags = [f"xcore:tag:{n + 0x100:015x}" for n in range(20)]
    for t in tags:
        add("tag", t, {})
    rules = [f"xcore:eligibility-rule:{n + 0x200:015x}" for n in range(len(RULES))]
    for uri, text in zip(rules, RULES, strict=True):
        add(
            "eligibility-rule",
            uri,
            {"xdm:condition": {"xdm:type": "PQL", "xdm:format": "pql/text", "xdm:value": text}},
        )
    component = {"@type": OM + "content-component-text", "xdm:copyline": "hello"}
    fallback = "xcore:fallback-offer:000000000000300"
    add(
        "fallback-offer",
        fallback,
        {
            "xdm:status": "approved",
            "xdm:representations": [
                {"xdm:placement": p, "xdm:components": [component]} for p in placements
            ],
        },
    )
    for n in range(offers):
        body: dict[str, Any] = {
            "xdm:status": "approved",
            "xdm:representations": [
                {"xdm:placement": p, "xdm:components": [component]}
                for p in rng.sample(placements, 2)
            ],
            "xdm:tags": rng.sample(tags, 2),
            "xdm:rank": {"xdm:priority": rng.randrange(100)},
        }
        if n % 2:
            body["xdm:selectionConstraint"] = {"xdm:eligibilityRule": rng.choice(rules)}
        add("personalized-offer", f"xcore:personalized-offer:{n + 0x1000:015x}", body)
    activities = []
    for n in range(30):
        filter_uri = f"xcore:offer-filter:{n + 0x400:015x}"
        add("offer-filter", filter_uri, {"xdm:filterType": "anyTags", "ids": rng.sample(tags, 2)})
        uri = f"xcore:offer-activity:{n + 0x500:015x}"
        add(
            "offer-activity",
            uri,
            {
                "xdm:status": "live",
                "xdm:placement": placements[n % 3],
                "xdm:filter": filter_uri,
                "xdm:fallback": fallback,
            },
        )
        activities.append(uri)
    return {
        "tenants": [
            {
                "org": CALLER.org,
                "sandbox": CALLER.sandbox,
                "containers": [
                    {"instanceId": CID, "_instance": {"repo:name": "bench"}, "instances": docs}
                ],
                "profiles": [
                    {
                        "namespace": "Email",
                        "id": "ann@example.com",
                        "attributes": {
                            "tier": "gold",
                            "age": 35,
                            "homeAddress": {"countryCode": "US"},
                            "person": {"name": "Ann"},
                        },
                    }
                ],
            }
        ],
        "activities": activities,
    }


def median_ms(offers: int, repeat: int) -> tuple[float, float]:
    data = catalog(offers)
    activities = data.pop("activities")
    state = MockState(Config(data=[data], seed=1))
    body = {
        "xdm:offerActivities": activities,
        "xdm:identityMap": {"Email": [{"xdm:id": "ann@example.com"}]},
    }
    started = time.perf_counter()
    state.decisioning.decide(CALLER, CID, body)  # compiles the catalog (once per revision)
    first = (time.perf_counter() - started) * 1000
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        state.decisioning.decide(CALLER, CID, body)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), first


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    results = {}
    for size in args.sizes:
        median, first = median_ms(size, args.repeat)
        results[size] = median
        print(
            f"{size:>6} offers: median {median:7.2f} ms per decision of 30 activities "
            f"(first, compiling the catalog: {first:.0f} ms)"
        )
    small, large = min(results), max(results)
    ratio = results[large] / results[small]
    print(f"growth {small} -> {large} offers: x{ratio:.2f} (linear would be x{large / small:.0f})")
    print("targets: median <= 20 ms at 5,000 offers; growth no worse than linear")


if __name__ == "__main__":
    main()
