"""``mockxcore generate``: realistic catalogs and Target decision tables for demos and load
tests.

A catalog is a snapshot (loadable with ``serve --data`` or ``PUT /__admin/state``) of one
container holding placements, tags, eligibility rules, personalized offers, fallbacks, filters
and activities, consistent under every rule of the repository. A decision table (``--table``)
is a Target client's activities -- A/B splits and experience targeting, audiences on mbox
parameters, the page and the browser -- in a snapshot too. Names and copy come from Faker;
every choice comes from the seed, so the same arguments give the same file.

The building blocks (:class:`Builder`) also made the embedded demo data.
"""

from __future__ import annotations

import random
import uuid
from typing import Any

from faker import Faker

from mockxcore.offers.schemas import HTML, IMAGELINK, NS, TEXT

WEB = "https://ns.adobe.com/xdm/channels/web"
EMAIL = "https://ns.adobe.com/xdm/channels/email"
RULES = [
    ("Gold or platinum members", 'membership.status in ["gold", "platinum"]'),
    ("Adults in North America", 'person.age >= 21 and homeAddress.countryCode in ["US", "CA"]'),
    (
        "Eligible for a free flight upgrade",
        'membership.status = "elite" and (select e from xEvent where e.type = "flight" and '
        "e.timestamp occurs <= 6 months before now).count() > 3",
    ),
    (
        "Recent buyers",
        '(select e from xEvent where e.type = "purchase" and '
        "e.timestamp occurs <= 30 days before now).count() > 0",
    ),
    ("Newsletter subscribers", "consents.marketing.email = true"),
]


class Builder:
    """Makes consistent instances in snapshot form, with ids from one seeded RNG."""

    def __init__(self, seed: int, created: str = "2024-01-15T09:00:00.000Z") -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)
        self.created = created
        self.instances: list[dict[str, Any]] = []
        self.components: dict[str, str] = {}
        """Placement @id -> its component type."""

    def uri(self, kind: str) -> str:
        return f"xcore:{kind}:{self.rng.getrandbits(60):015x}"

    def instance_id(self) -> str:
        value = f"{self.rng.getrandbits(128):032x}"
        return f"{value[:8]}-{value[8:12]}-4{value[13:16]}-a{value[17:20]}-{value[20:]}"

    def add(self, kind: str, body: dict[str, Any]) -> str:
        uri = self.uri(kind)
        self.instances.append(
            {
                "instanceId": self.instance_id(),
                "schema": NS + kind,
                "repo:createdDate": self.created,
                "repo:createdBy": "demo-admin@techacct.adobe.com",
                "repo:createdByClientId": "mockxcore",
                "_instance": {"@id": uri, **body},
            }
        )
        return uri

    def placement(
        self, name: str, description: str, channel: str, component: str, content_types: list[str]
    ) -> str:
        uri = self.add(
            "offer-placement",
            {
                "xdm:name": name,
                "xdm:description": description,
                "xdm:channel": channel,
                "xdm:componentType": component,
                "xdm:contentTypes": content_types,
            },
        )
        self.components[uri] = component
        return uri

    def standard_placements(self) -> list[str]:
        return [
            self.placement(
                "Web - homepage hero image",
                "Hero slot of the home page. 1200x500, PNG or JPEG.",
                WEB,
                IMAGELINK,
                ["image/png", "image/jpeg"],
            ),
            self.placement(
                "Web - HTML banner",
                "Banner above the checkout summary; self-contained HTML.",
                WEB,
                HTML,
                ["text/html"],
            ),
            self.placement(
                "Email - newsletter text line",
                "One line of plain text under the newsletter greeting.",
                EMAIL,
                TEXT,
                ["text/plain"],
            ),
        ]

    def rule(self, name: str, pql: str, description: str | None = None) -> str:
        body: dict[str, Any] = {
            "xdm:name": name,
            "xdm:condition": {"xdm:type": "PQL", "xdm:format": "pql/text", "xdm:value": pql},
        }
        if description:
            body["xdm:description"] = description
        return self.add("eligibility-rule", body)

    def representations(self, placements: list[str]) -> list[dict[str, Any]]:
        """A representation per placement, with a component of the placement's type."""
        fake = self.fake
        made = []
        for placement in placements:
            kind = self.components[placement]
            if kind == IMAGELINK:
                component = {
                    "@type": IMAGELINK,
                    "dc:format": "image/png",
                    "dc:language": ["en"],
                    "repo:name": fake.file_name(extension="png"),
                    "repo:resolveURL": fake.image_url(width=1200, height=500),
                    "xdm:linkURL": fake.url() + fake.slug(),
                }
            elif kind == HTML:
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

    def offer_name(self, hint: str) -> str:
        fake, rng = self.fake, self.rng
        return {
            "card": f"{fake.company()} {rng.choice(['Gold', 'Platinum', 'Cashback'])} card",
            "travel": f"{fake.city()} getaway",
            "sale": f"{fake.color_name()} {rng.choice(['week', 'weekend', 'flash'])} sale",
            "welcome": f"Welcome to {fake.company()}",
            "loyalty": f"{fake.first_name()}'s loyalty bonus",
        }[hint]

    def snapshot(
        self,
        container_id: str,
        org: str = "demo@AdobeOrg",
        sandbox: str = "prod",
        name: str = "Demo decisioning container",
    ) -> dict[str, Any]:
        return {
            "mockxcore": "snapshot/1",
            "tenants": [
                {
                    "org": org,
                    "sandbox": sandbox,
                    "containers": [
                        {
                            "instanceId": container_id,
                            "productContexts": ["dma_offers", "acp"],
                            "repo:createdDate": self.created,
                            "repo:createdBy": "demo-admin@techacct.adobe.com",
                            "repo:createdByClientId": "mockxcore",
                            "_instance": {"repo:name": name, "dataCenter": "VA7"},
                            "instances": self.instances,
                        }
                    ],
                }
            ],
        }


def catalog(
    offers: int = 100,
    activities: int = 5,
    *,
    seed: int = 0,
    tags: int = 8,
    org: str = "demo@AdobeOrg",
    sandbox: str = "prod",
) -> dict[str, Any]:
    """A consistent catalog of ``offers`` personalized offers and ``activities`` activities
    (all live, each with a fallback covering its placement)."""
    if offers < 0 or activities < 0 or tags < 1:
        raise ValueError("offers and activities are counts; at least one tag")
    build = Builder(seed)
    rng = build.rng
    placements = build.standard_placements()
    topics = [
        "credit card",
        "travel",
        "loyalty",
        "seasonal",
        "new customers",
        "premium",
        "family",
        "students",
        "business",
        "weekend",
    ]
    tag_names = (topics + [f"{build.fake.word()} {n}" for n in range(tags)])[:tags]
    tag_ids = [build.add("tag", {"xdm:name": name}) for name in tag_names]
    rule_ids = [build.rule(name, pql) for name, pql in RULES]
    offer_ids = []
    for _ in range(offers):
        hint = rng.choice(["card", "travel", "sale", "welcome", "loyalty"])
        chosen = rng.sample(placements, rng.randint(1, len(placements)))
        body: dict[str, Any] = {
            "xdm:name": build.offer_name(hint),
            "xdm:description": build.fake.catch_phrase(),
            "xdm:status": rng.choices(["approved", "draft", "archived"], [8, 1, 1])[0],
            "xdm:representations": build.representations(sorted(chosen)),
            "xdm:tags": rng.sample(tag_ids, rng.randint(1, min(3, len(tag_ids)))),
            "xdm:rank": {"xdm:priority": rng.randrange(100)},
            "xdm:characteristics": {"campaign": build.fake.bs()},
        }
        constraint: dict[str, Any] = {}
        if rng.random() < 0.7:
            start = rng.randint(2023, 2026)
            constraint["xdm:startDate"] = f"{start}-01-01T00:00:00.000Z"
            constraint["xdm:endDate"] = f"{start + rng.randint(1, 8)}-12-31T23:59:59.999Z"
        if rng.random() < 0.3:
            constraint["xdm:eligibilityRule"] = rng.choice(rule_ids)
        if constraint:
            body["xdm:selectionConstraint"] = constraint
        caps = {}
        if rng.random() < 0.2:
            caps["xdm:globalCap"] = rng.randint(100, 100_000)
        if rng.random() < 0.2:
            caps["xdm:profileCap"] = rng.randint(1, 5)
        if caps:
            body["xdm:cappingConstraint"] = caps
        offer_ids.append(build.add("personalized-offer", body))
    fallback = build.add(
        "fallback-offer",
        {
            "xdm:name": "Default content",
            "xdm:status": "approved",
            "xdm:representations": build.representations(placements),
        },
    )
    for n in range(activities):
        kind = ["anyTags", "allTags", "offers"][n % 3]
        ids = (
            rng.sample(offer_ids, min(5, len(offer_ids)))
            if kind == "offers"
            else rng.sample(tag_ids, min(2, len(tag_ids)))
        )
        if not ids:
            kind, ids = "anyTags", tag_ids[:1]
        filter_id = build.add(
            "offer-filter", {"xdm:name": f"Filter {n + 1}", "xdm:filterType": kind, "ids": ids}
        )
        build.add(
            "offer-activity",
            {
                "xdm:name": f"{build.fake.catch_phrase()} ({n + 1})",
                "xdm:status": "live",
                "xdm:startDate": "2023-01-01T00:00:00.000Z",
                "xdm:endDate": "2035-12-31T23:59:59.999Z",
                "xdm:placement": placements[n % len(placements)],
                "xdm:filter": filter_id,
                "xdm:fallback": fallback,
            },
        )
    container = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    return build.snapshot(container, org, sandbox, "Generated catalog")


# -- Target decision tables ----------------------------------------------------------------
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


def decision_table(activities: int = 100, mboxes: int = 30, *, seed: int = 0) -> dict[str, Any]:
    """A Target decision table: ``activities`` activities spread over ``mboxes`` mboxes
    (``mbox-00``...), three experiences each. Two in three are A/B tests (33/33/34 splits,
    most with an audience), the others experience targeting (an audience per experience but
    the last); half the contents are HTML with a ``${campaign.id}`` macro, half JSON."""
    if activities < 0 or mboxes < 1:
        raise ValueError("activities is a count; at least one mbox")
    rng = random.Random(seed)
    fake = Faker()
    fake.seed_instance(seed)
    table = []
    for n in range(activities):
        kind = "ab" if n % 3 else "xt"
        activity: dict[str, Any] = {
            "name": f"{fake.catch_phrase()} ({n + 1})",
            "type": kind,
            "priority": rng.randint(0, 3),
            "mbox": f"mbox-{n % mboxes:02d}",
            "experiences": [],
        }
        if kind == "ab" and rng.random() < 0.7:
            activity["audience"] = _audience(rng)
        for e in range(3):
            line = fake.sentence(nb_words=5)
            experience: dict[str, Any] = {
                "name": f"Experience {'ABC'[e]}",
                "options": [
                    {
                        "type": "html",
                        "content": f'<div data-activity="${{campaign.id}}">{line}</div>',
                    }
                    if rng.random() < 0.5
                    else {"type": "json", "content": {"headline": line, "variant": e}}
                ],
            }
            if kind == "ab":
                experience["split"] = 33 if e < 2 else 34
            elif e < 2:
                experience["audience"] = _audience(rng)
            activity["experiences"].append(experience)
        table.append(activity)
    return {"activities": table}


def target_snapshot(
    table: dict[str, Any], client: str = "demo", org: str | None = "demo@AdobeOrg"
) -> dict[str, Any]:
    """A snapshot holding one Target client loaded from ``table`` (and no repository data)."""
    entry: dict[str, Any] = {"client": client, "organizationId": org, "table": table}
    return {
        "mockxcore": "snapshot/1",
        "tenants": [],
        "target": {"mockxcore": "target/1", "clients": [entry]},
    }
