"""Generate ``fixtures/demo.json``, the demo data ``mockxcore serve`` starts on.

Run once, the output is committed (Faker's text differs between versions, so the generated
file, not this script, is the fixture):

    python scripts/make_demo_catalog.py > fixtures/demo.json

Unlike ``mockxcore generate``, the demo is planned by hand: a few offers of each status, some
with calendar windows, caps and rules, one activity per filter type. Every other choice comes
from seed 2024.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from mockxcore.generate import RULES, Builder

CONTAINER_ID = "e0ba8a57-3c5f-4b6c-8c3a-0a9d6f4c2e11"


def main() -> None:
    build = Builder(2024)
    fake = build.fake
    web_image, web_html, email_text = build.standard_placements()
    tags = {
        name: build.add("tag", {"xdm:name": name})
        for name in ["credit card", "travel", "loyalty", "seasonal", "new customers"]
    }
    rules = [
        build.rule(RULES[0][0], RULES[0][1], "Loyalty members in the two top tiers."),
        build.rule(RULES[1][0], RULES[1][1]),
        build.rule(
            RULES[2][0], RULES[2][1], "Elite members who flew more than three times in six months."
        ),
    ]
    plans = [
        # name hint, status, placements, tags, window, caps, priority, rule
        (
            "card",
            "approved",
            [web_image, email_text],
            ["credit card", "loyalty"],
            ("2024-01-01", "2030-12-31"),
            (100000, 3),
            50,
            0,
        ),
        (
            "card",
            "approved",
            [web_image, web_html],
            ["credit card", "new customers"],
            ("2024-01-01", "2030-12-31"),
            (None, 5),
            40,
            None,
        ),
        (
            "travel",
            "approved",
            [web_image, email_text],
            ["travel", "loyalty"],
            ("2024-03-01", "2030-06-30"),
            None,
            60,
            2,
        ),
        (
            "travel",
            "approved",
            [web_image, web_html],
            ["travel", "seasonal"],
            ("2024-01-01", "2030-12-31"),
            (5000, None),
            30,
            None,
        ),
        (
            "sale",
            "approved",
            [web_html, email_text],
            ["seasonal"],
            ("2024-01-01", "2030-12-31"),
            None,
            30,
            None,
        ),
        (
            "sale",
            "approved",
            [web_image],
            ["seasonal", "loyalty"],
            ("2024-01-01", "2030-12-31"),
            (250, 1),
            20,
            1,
        ),
        (
            "welcome",
            "approved",
            [web_image, web_html, email_text],
            ["new customers"],
            ("2024-01-01", "2030-12-31"),
            None,
            10,
            None,
        ),
        ("loyalty", "approved", [email_text], ["loyalty", "credit card"], None, (None, 2), 70, 0),
        (
            "card",
            "draft",
            [web_image],
            ["credit card"],
            ("2024-01-01", "2030-12-31"),
            None,
            90,
            None,
        ),
        ("travel", "draft", [email_text], ["travel"], None, None, 5, None),
        (
            "sale",
            "archived",
            [web_image, web_html],
            ["seasonal"],
            ("2023-11-01", "2023-12-31"),
            None,
            80,
            None,
        ),
        (
            "welcome",
            "archived",
            [email_text],
            ["new customers"],
            ("2023-01-01", "2023-06-30"),
            (1000, None),
            15,
            None,
        ),
    ]
    offers = []
    for hint, status, placements, tag_names, window, caps, priority, rule in plans:
        body: dict[str, Any] = {
            "xdm:name": build.offer_name(hint),
            "xdm:description": fake.catch_phrase(),
            "xdm:status": status,
            "xdm:representations": build.representations(placements),
            "xdm:tags": [tags[t] for t in tag_names],
            "xdm:rank": {"xdm:priority": priority},
            "xdm:characteristics": {"campaign": fake.bs(), "channelOwner": fake.name()},
        }
        constraint: dict[str, Any] = {}
        if window:
            constraint["xdm:startDate"] = f"{window[0]}T00:00:00.000Z"
            constraint["xdm:endDate"] = f"{window[1]}T23:59:59.999Z"
        if rule is not None:
            constraint["xdm:eligibilityRule"] = rules[rule]
        if constraint:
            body["xdm:selectionConstraint"] = constraint
        if caps:
            global_cap, profile_cap = caps
            body["xdm:cappingConstraint"] = {
                k: v
                for k, v in (("xdm:globalCap", global_cap), ("xdm:profileCap", profile_cap))
                if v is not None
            }
        offers.append(build.add("personalized-offer", body))

    web_fallback = build.add(
        "fallback-offer",
        {
            "xdm:name": "Default web content",
            "xdm:status": "approved",
            "xdm:representations": build.representations([web_image, web_html]),
        },
    )
    email_fallback = build.add(
        "fallback-offer",
        {
            "xdm:name": "Default newsletter line",
            "xdm:status": "approved",
            "xdm:representations": build.representations([email_text]),
        },
    )
    by_offers = build.add(
        "offer-filter",
        {
            "xdm:name": "Newsletter picks",
            "xdm:filterType": "offers",
            "ids": [offers[0], offers[2], offers[4], offers[7]],
        },
    )
    any_tags = build.add(
        "offer-filter",
        {
            "xdm:name": "Cards and travel",
            "xdm:filterType": "anyTags",
            "ids": [tags["credit card"], tags["travel"]],
        },
    )
    all_tags = build.add(
        "offer-filter",
        {
            "xdm:name": "Seasonal loyalty",
            "xdm:filterType": "allTags",
            "ids": [tags["seasonal"], tags["loyalty"]],
        },
    )
    window = {
        "xdm:startDate": "2024-01-01T00:00:00.000Z",
        "xdm:endDate": "2030-12-31T23:59:59.999Z",
    }
    build.add(
        "offer-activity",
        {
            "xdm:name": "Homepage hero",
            "xdm:status": "live",
            **window,
            "xdm:placement": web_image,
            "xdm:filter": any_tags,
            "xdm:fallback": web_fallback,
        },
    )
    build.add(
        "offer-activity",
        {
            "xdm:name": "Newsletter line",
            "xdm:status": "live",
            **window,
            "xdm:placement": email_text,
            "xdm:filter": by_offers,
            "xdm:fallback": email_fallback,
        },
    )
    build.add(
        "offer-activity",
        {
            "xdm:name": "Checkout banner (in preparation)",
            "xdm:status": "draft",
            "xdm:placement": web_html,
            "xdm:filter": all_tags,
            "xdm:fallback": web_fallback,
        },
    )
    for minute, item in enumerate(build.instances, start=1):
        # Staggered creation times, as an admin building it by hand would leave them.
        item["repo:createdDate"] = f"2024-01-15T09:{minute:02d}:00.000Z"
    json.dump(build.snapshot(CONTAINER_ID), sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
