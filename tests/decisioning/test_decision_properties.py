"""Property tests: under any catalog and any sequence of requests, a decision never proposes an
ineligible offer and never exceeds a cap."""

from __future__ import annotations

from collections import Counter
from typing import Any

import requests
from hypothesis import given
from hypothesis import strategies as st

from mockxcore import MockServer
from tests.support import headers

OM = "https://ns.adobe.com/experience/offer-management/"
CID = "c0ffee00-0000-4000-8000-000000000001"
PLACEMENTS = ["xcore:offer-placement:00000000000000a", "xcore:offer-placement:00000000000000b"]
TAGS = ["xcore:tag:00000000000000c", "xcore:tag:00000000000000d"]
RULES = {
    "xcore:eligibility-rule:00000000000000e": ('tier = "gold"', lambda p: p.get("tier") == "gold"),
    "xcore:eligibility-rule:00000000000000f": (
        "age >= 30",
        lambda p: isinstance(p.get("age"), int) and p["age"] >= 30,
    ),
}
FALLBACK = "xcore:fallback-offer:000000000000010"
NOW = "2030-06-15T12:00:00Z"
PEOPLE = ["a", "b", "c"]


def instance(schema: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"schema": OM + schema, "_instance": body}


offers = st.lists(
    st.fixed_dictionaries(
        {
            "status": st.sampled_from(["approved", "approved", "draft", "archived"]),
            "placements": st.sets(st.sampled_from(PLACEMENTS), min_size=1),
            "tags": st.sets(st.sampled_from(TAGS)),
            "priority": st.integers(0, 3),
            "window": st.sampled_from(
                [
                    None,
                    ("2030-01-01", "2030-12-31"),
                    ("2031-01-01", "2031-02-01"),
                    ("2029-01-01", "2029-12-31"),
                ]
            ),
            "rule": st.sampled_from([None, *RULES]),
            "globalCap": st.none() | st.integers(1, 3),
            "profileCap": st.none() | st.integers(1, 2),
        }
    ),
    min_size=1,
    max_size=8,
)
activities = st.lists(
    st.tuples(st.sampled_from(PLACEMENTS), st.sampled_from(["offers", "anyTags", "allTags"])),
    min_size=1,
    max_size=3,
)
profiles = st.fixed_dictionaries(
    {
        p: st.fixed_dictionaries(
            {"tier": st.sampled_from(["gold", "silver"]), "age": st.integers(18, 60)}
        )
        for p in PEOPLE
    }
)
requests_ = st.lists(
    st.fixed_dictionaries(
        {
            "who": st.sampled_from(PEOPLE),
            "dry": st.booleans(),
            "duplicates": st.booleans(),
            "activities": st.lists(st.integers(0, 2), min_size=1, max_size=3),
            "items": st.integers(1, 2),
        }
    ),
    min_size=1,
    max_size=8,
)


def snapshot(
    offer_specs: list[dict[str, Any]],
    activity_specs: list[tuple[str, str]],
    people: dict[str, dict[str, Any]],
) -> tuple[dict[str, Any], list[str], dict[str, Any]]:
    docs = [
        instance(
            "offer-placement",
            {
                "@id": p,
                "xdm:name": p,
                "xdm:channel": "https://ns.adobe.com/xdm/channels/web",
                "xdm:componentType": OM + "content-component-text",
            },
        )
        for p in PLACEMENTS
    ]
    docs += [instance("tag", {"@id": t, "xdm:name": t}) for t in TAGS]
    docs += [
        instance(
            "eligibility-rule",
            {
                "@id": uri,
                "xdm:name": uri,
                "xdm:condition": {"xdm:type": "PQL", "xdm:format": "pql/text", "xdm:value": text},
            },
        )
        for uri, (text, _oracle) in RULES.items()
    ]
    rep = {"xdm:components": [{"@type": OM + "content-component-text", "xdm:copyline": "x"}]}
    docs.append(
        instance(
            "fallback-offer",
            {
                "@id": FALLBACK,
                "xdm:name": "fallback",
                "xdm:status": "approved",
                "xdm:representations": [{"xdm:placement": p, **rep} for p in PLACEMENTS],
            },
        )
    )
    by_uri = {}
    for n, spec in enumerate(offer_specs):
        uri = f"xcore:personalized-offer:{n + 0x100:015x}"
        body: dict[str, Any] = {
            "@id": uri,
            "xdm:name": uri,
            "xdm:status": spec["status"],
            "xdm:representations": [
                {"xdm:placement": p, **rep} for p in sorted(spec["placements"])
            ],
            "xdm:tags": sorted(spec["tags"]),
            "xdm:rank": {"xdm:priority": spec["priority"]},
        }
        constraint: dict[str, Any] = {}
        if spec["window"]:
            constraint.update(
                {
                    "xdm:startDate": spec["window"][0] + "T00:00:00Z",
                    "xdm:endDate": spec["window"][1] + "T00:00:00Z",
                }
            )
        if spec["rule"]:
            constraint["xdm:eligibilityRule"] = spec["rule"]
        if constraint:
            body["xdm:selectionConstraint"] = constraint
        caps = {
            k: v
            for k, v in (
                ("xdm:globalCap", spec["globalCap"]),
                ("xdm:profileCap", spec["profileCap"]),
            )
            if v
        }
        if caps:
            body["xdm:cappingConstraint"] = caps
        docs.append(instance("personalized-offer", body))
        by_uri[uri] = {**spec, "uri": uri}
    activity_uris = []
    offer_uris = list(by_uri)
    for n, (placement, kind) in enumerate(activity_specs):
        filter_uri = f"xcore:offer-filter:{n + 0x200:015x}"
        ids = offer_uris[:3] if kind == "offers" else TAGS
        docs.append(
            instance(
                "offer-filter",
                {"@id": filter_uri, "xdm:name": filter_uri, "xdm:filterType": kind, "ids": ids},
            )
        )
        uri = f"xcore:offer-activity:{n + 0x300:015x}"
        docs.append(
            instance(
                "offer-activity",
                {
                    "@id": uri,
                    "xdm:name": uri,
                    "xdm:status": "live",
                    "xdm:placement": placement,
                    "xdm:filter": filter_uri,
                    "xdm:fallback": FALLBACK,
                },
            )
        )
        activity_uris.append(uri)
        by_uri[uri] = {"placement": placement, "kind": kind, "ids": set(ids)}
    state = {
        "tenants": [
            {
                "org": "test@AdobeOrg",
                "sandbox": "prod",
                "containers": [
                    {"instanceId": CID, "_instance": {"repo:name": "c"}, "instances": docs}
                ],
                "profiles": [
                    {"namespace": "Email", "id": who, "attributes": attrs}
                    for who, attrs in people.items()
                ],
            }
        ],
        "clock": {"frozen": True, "now": NOW},
    }
    return state, activity_uris, by_uri


@given(offer_specs=offers, activity_specs=activities, people=profiles, sequence=requests_)
def test_never_ineligible_never_over_a_cap(
    offer_specs: list[dict[str, Any]],
    activity_specs: list[tuple[str, str]],
    people: dict[str, dict[str, Any]],
    sequence: list[dict[str, Any]],
) -> None:
    state, activity_uris, known = snapshot(offer_specs, activity_specs, people)
    given_count: Counter[str] = Counter()
    per_profile: Counter[tuple[str, str]] = Counter()
    with MockServer(data=state) as mock:
        for req in sequence:
            chosen_activities = [activity_uris[i % len(activity_uris)] for i in req["activities"]]
            body = {
                "xdm:offerActivities": chosen_activities,
                "xdm:identityMap": {"Email": [{"xdm:id": req["who"]}]},
                "xdm:dryRun": req["dry"],
                "xdm:itemCount": req["items"],
                "xdm:allowDuplicatePropositions": {"xdm:acrossActivities": req["duplicates"]},
            }
            response = requests.post(
                f"{mock.url}/data/core/ode/{CID}/decisions", json=body, headers=headers()
            )
            assert response.status_code == 200, response.text
            seen_in_request: set[str] = set()
            pending: Counter[str] = Counter()
            for activity, proposition in zip(
                chosen_activities, response.json()["xdm:propositions"], strict=True
            ):
                spec = known[activity]
                for option in proposition["xdm:options"]:
                    offer = known[option["xdm:id"]]
                    # Eligibility, checked independently of the engine.
                    assert offer["status"] == "approved"
                    assert spec["placement"] in offer["placements"]
                    if spec["kind"] == "offers":
                        assert offer["uri"] in spec["ids"]
                    elif spec["kind"] == "anyTags":
                        assert offer["tags"] & spec["ids"]
                    else:
                        assert spec["ids"] <= offer["tags"]
                    if offer["window"]:
                        assert offer["window"][0] <= NOW[:10] < offer["window"][1]
                    if offer["rule"]:
                        assert RULES[offer["rule"]][1](people[req["who"]])
                    if not req["duplicates"]:
                        assert offer["uri"] not in seen_in_request
                    seen_in_request.add(offer["uri"])
                    pending[offer["uri"]] += 1
                    # Caps, counting what this request already proposed.
                    if offer["globalCap"]:
                        assert (
                            given_count[offer["uri"]] + pending[offer["uri"]] <= offer["globalCap"]
                        )
                    if offer["profileCap"]:
                        assert (
                            per_profile[(offer["uri"], req["who"])] + pending[offer["uri"]]
                            <= offer["profileCap"]
                        )
            if not req["dry"]:
                for uri, n in pending.items():
                    given_count[uri] += n
                    per_profile[(uri, req["who"])] += n
