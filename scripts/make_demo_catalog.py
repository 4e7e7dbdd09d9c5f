"""Generate ``fixtures/demo.json``, the demo data ``mockxcore serve`` starts on.

Run once, the output is committed (Faker's text differs between versions, so the generated
file, not this script, is the fixture):

    python scripts/make_demo_catalog.py > fixtures/demo.json

Needs the dev extra (Faker). Every random choice comes from seed 2024.
"""

from __future__ import annotations

import json
import random
import sys
from typing import Any

from faker import Faker

SEED = 2024
OM = "https://ns.adobe.com/experience/offer-management/"
IMAGELINK = OM + "content-component-imagelink"
TEXT = OM + "content-component-text"
HTML = OM + "content-component-html"
CONTAINER_ID = "e0ba8a57-3c5f-4b6c-8c3a-0a9d6f4c2e11"
CREATED = "2024-01-15T09:00:00.000Z"

fake = Faker("en_US")
Faker.seed(SEED)
rng = random.Random(SEED)


def uri(kind: str) -> str:
    return f"xcore:{kind}:{rng.getrandbits(60):015x}"


def instance_id() -> str:
    value = f"{rng.getrandbits(128):032x}"
    return f"{value[:8]}-{value[8:12]}-4{value[13:16]}-a{value[17:20]}-{value[20:]}"


def item(schema: str, body: dict[str, Any], minutes: int) -> dict[str, Any]:
    kind = schema.rsplit("/", 1)[-1]
    stamp = f"2024-01-15T09:{minutes:02d}:00.000Z"
    return {
        "instanceId": instance_id(),
        "schema": OM + schema,
        "repo:createdDate": stamp,
        "repo:createdBy": "demo-admin@techacct.adobe.com",
        "repo:createdByClientId": "mockxcore-demo",
        "_instance": {"@id": uri(kind), **body},
    }


def main() -> None:
    instances: list[dict[str, Any]] = []
    minute = iter(range(1, 60))

    def add(schema: str, body: dict[str, Any]) -> str:
        made = item(schema, body, next(minute))
        instances.append(made)
        return str(made["_instance"]["@id"])

    web_image = add(
        "offer-placement",
        {
            "xdm:name": "Web - homepage hero image",
            "xdm:description": "Hero slot of the home page. 1200x500, PNG or JPEG.",
            "xdm:channel": "https://ns.adobe.com/xdm/channels/web",
            "xdm:componentType": IMAGELINK,
            "xdm:contentTypes": ["image/png", "image/jpeg"],
        },
    )
    web_html = add(
        "offer-placement",
        {
            "xdm:name": "Web - HTML banner",
            "xdm:description": "Banner above the checkout summary; self-contained HTML.",
            "xdm:channel": "https://ns.adobe.com/xdm/channels/web",
            "xdm:componentType": HTML,
            "xdm:contentTypes": ["text/html"],
        },
    )
    email_text = add(
        "offer-placement",
        {
            "xdm:name": "Email - newsletter text line",
            "xdm:description": "One line of plain text under the newsletter greeting.",
            "xdm:channel": "https://ns.adobe.com/xdm/channels/email",
            "xdm:componentType": TEXT,
            "xdm:contentTypes": ["text/plain"],
        },
    )
    tags = {
        name: add("tag", {"xdm:name": name})
        for name in ["credit card", "travel", "loyalty", "seasonal", "new customers"]
    }
    rules = [
        add(
            "eligibility-rule",
            {
                "xdm:name": "Gold or platinum members",
                "xdm:description": "Loyalty members in the two top tiers.",
                "xdm:condition": {
                    "xdm:type": "PQL",
                    "xdm:format": "pql/text",
                    "xdm:value": 'membership.status in ["gold", "platinum"]',
                },
            },
        ),
        add(
            "eligibility-rule",
            {
                "xdm:name": "Adults in North America",
                "xdm:condition": {
                    "xdm:type": "PQL",
                    "xdm:format": "pql/text",
                    "xdm:value": 'person.age >= 21 and homeAddress.countryCode in ["US", "CA"]',
                },
            },
        ),
        add(
            "eligibility-rule",
            {
                "xdm:name": "Eligible for a free flight upgrade",
                "xdm:description": "Elite members who flew more than three times in six months.",
                "xdm:condition": {
                    "xdm:type": "PQL",
                    "xdm:format": "pql/text",
                    "xdm:value": 'membership.status = "elite" and '
                    '(select e from xEvent where e.type = "flight" and '
                    "e.timestamp occurs <= 6 months before now)"
                    ".count() > 3",
                },
            },
        ),
    ]

    def representations(placements: list[str]) -> list[dict[str, Any]]:
        made = []
        for placement in placements:
            if placement == web_image:
                component = {
                    "@type": IMAGELINK,
                    "dc:format": "image/png",
                    "dc:language": ["en"],
                    "repo:name": fake.file_name(extension="png"),
                    "repo:resolveURL": fake.image_url(width=1200, height=500),
                    "xdm:linkURL": fake.url() + fake.slug(),
                }
            elif placement == web_html:
                component = {
                    "@type": HTML,
                    "dc:format": "text/html",
                    "dc:language": ["en"],
                    "xdm:content": f'<div class="banner"><h2>{fake.catch_phrase()}'
                    f"</h2><p>{fake.sentence()}</p></div>",
                }
            else:
                component = {
                    "@type": TEXT,
                    "dc:format": "text/plain",
                    "dc:language": ["en"],
                    "xdm:copyline": fake.sentence(nb_words=8),
                }
            made.append({"xdm:placement": placement, "xdm:components": [component]})
        return made

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
        name = {
            "card": f"{fake.company()} {rng.choice(['Gold', 'Platinum', 'Cashback'])} card",
            "travel": f"{fake.city()} getaway",
            "sale": f"{fake.color_name()} {rng.choice(['week', 'weekend', 'flash'])} sale",
            "welcome": f"Welcome to {fake.company()}",
            "loyalty": f"{fake.first_name()}'s loyalty bonus",
        }[hint]
        body: dict[str, Any] = {
            "xdm:name": name,
            "xdm:description": fake.catch_phrase(),
            "xdm:status": status,
            "xdm:representations": representations(placements),
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
        offers.append(add("personalized-offer", body))

    web_fallback = add(
        "fallback-offer",
        {
            "xdm:name": "Default web content",
            "xdm:status": "approved",
            "xdm:representations": representations([web_image, web_html]),
        },
    )
    email_fallback = add(
        "fallback-offer",
        {
            "xdm:name": "Default newsletter line",
            "xdm:status": "approved",
            "xdm:representations": representations([email_text]),
        },
    )
    by_offers = add(
        "offer-filter",
        {
            "xdm:name": "Newsletter picks",
            "xdm:filterType": "offers",
            "ids": [offers[0], offers[2], offers[4], offers[7]],
        },
    )
    any_tags = add(
        "offer-filter",
        {
            "xdm:name": "Cards and travel",
            "xdm:filterType": "anyTags",
            "ids": [tags["credit card"], tags["travel"]],
        },
    )
    all_tags = add(
        "offer-filter",
        {
            "xdm:name": "Seasonal loyalty",
            "xdm:filterType": "allTags",
            "ids": [tags["seasonal"], tags["loyalty"]],
        },
    )
    add(
        "offer-activity",
        {
            "xdm:name": "Homepage hero",
            "xdm:status": "live",
            "xdm:startDate": "2024-01-01T00:00:00.000Z",
            "xdm:endDate": "2030-12-31T23:59:59.999Z",
            "xdm:placement": web_image,
            "xdm:filter": any_tags,
            "xdm:fallback": web_fallback,
        },
    )
    add(
        "offer-activity",
        {
            "xdm:name": "Newsletter line",
            "xdm:status": "live",
            "xdm:startDate": "2024-01-01T00:00:00.000Z",
            "xdm:endDate": "2030-12-31T23:59:59.999Z",
            "xdm:placement": email_text,
            "xdm:filter": by_offers,
            "xdm:fallback": email_fallback,
        },
    )
    add(
        "offer-activity",
        {
            "xdm:name": "Checkout banner (in preparation)",
            "xdm:status": "draft",
            "xdm:placement": web_html,
            "xdm:filter": all_tags,
            "xdm:fallback": web_fallback,
        },
    )

    snapshot = {
        "mockxcore": "snapshot/1",
        "tenants": [
            {
                "org": "demo@AdobeOrg",
                "sandbox": "prod",
                "containers": [
                    {
                        "instanceId": CONTAINER_ID,
                        "productContexts": ["dma_offers", "acp"],
                        "repo:createdDate": CREATED,
                        "repo:createdBy": "demo-admin@techacct.adobe.com",
                        "repo:createdByClientId": "mockxcore-demo",
                        "_instance": {
                            "repo:name": "Demo decisioning container",
                            "dataCenter": "VA7",
                        },
                        "instances": instances,
                    }
                ],
            }
        ],
    }
    json.dump(snapshot, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
