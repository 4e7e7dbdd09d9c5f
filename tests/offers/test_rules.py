"""Each offer-management rule on create, PUT and PATCH: 422 with pointers, nothing stored."""

import re
from typing import Any

import pytest

from tests.offers.conftest import (
    ACTIVITY,
    FALLBACK,
    FILTER,
    HTML,
    IMAGELINK,
    OFFER,
    PLACEMENT,
    RULE,
    TAG,
    TEXT,
    Catalog,
)

# These tests send invalid requests on purpose: no contract check at teardown.
pytestmark = pytest.mark.mockxcore(strict=False)


def errors(response: Any) -> list[tuple[str, str]]:
    assert response.status_code == 422, response.text
    return [(e["rule"], e["pointer"]) for e in response.json()["errors"]]


def count(catalog: Catalog, schema: str) -> int:
    total: int = catalog.api.list(schema=schema).json()["_embedded"]["total"]
    return total


# -- common properties ---------------------------------------------------------------------
@pytest.mark.parametrize("schema", [PLACEMENT, OFFER, FALLBACK, RULE, TAG, FILTER, ACTIVITY])
def test_name_is_required_everywhere(catalog: Catalog, schema: str) -> None:
    response = catalog.api.create({}, schema=schema)
    assert ("schema", "/_instance/xdm:name") in errors(response)
    assert count(catalog, schema) == 0


@pytest.mark.parametrize(("schema", "kind"), [(PLACEMENT, "offer-placement"), (TAG, "tag")])
def test_id_is_generated_immutable_and_not_editable(
    catalog: Catalog, schema: str, kind: str
) -> None:
    body = (
        {
            "xdm:name": "x",
            "xdm:channel": "https://ns.adobe.com/xdm/channels/web",
            "xdm:componentType": TEXT,
        }
        if schema == PLACEMENT
        else {"xdm:name": "x"}
    )
    receipt = catalog.make(schema, body)
    assert re.fullmatch(rf"xcore:{kind}:[0-9a-f]{{15}}", receipt["@id"])
    assert errors(
        catalog.api.create({**body, "@id": f"xcore:{kind}:000000000000001"}, schema=schema)
    ) == [("usereditable", "/_instance/@id")]
    patched = catalog.api.patch(
        receipt["instanceId"],
        [{"op": "replace", "path": "/_instance/@id", "value": f"xcore:{kind}:000000000000002"}],
    )
    assert ("immutable", "/_instance/@id") in errors(patched)


def test_tag_names_are_unique_per_container_ignoring_case(catalog: Catalog) -> None:
    first = catalog.tag("credit card")
    assert errors(catalog.api.create({"xdm:name": "Credit Card"}, schema=TAG)) == [
        ("unique-name", "/_instance/xdm:name")
    ]
    other = catalog.tag("travel")
    renamed = catalog.api.patch(
        other["instanceId"],
        [{"op": "replace", "path": "/_instance/xdm:name", "value": "CREDIT CARD"}],
    )
    assert errors(renamed) == [("unique-name", "/_instance/xdm:name")]
    replaced = catalog.api.put(
        other["instanceId"], {"_instance": {"xdm:name": "credit CARD"}, "_links": {}}, schema=TAG
    )
    assert errors(replaced) == [("unique-name", "/_instance/xdm:name")]
    # Composition and outer spaces do not make a name different either.
    assert errors(catalog.api.create({"xdm:name": " credit card "}, schema=TAG)) == [
        ("unique-name", "/_instance/xdm:name")
    ]
    catalog.tag("cafe\u0301")
    assert errors(catalog.api.create({"xdm:name": "caf\u00e9"}, schema=TAG)) == [
        ("unique-name", "/_instance/xdm:name")
    ]
    # Renaming a tag to (a different case of) its own name is fine.
    assert catalog.api.patch(
        first["instanceId"],
        [{"op": "replace", "path": "/_instance/xdm:name", "value": "Credit card"}],
    ).ok
    assert count(catalog, TAG) == 3


def test_same_tag_name_in_another_container(catalog: Catalog) -> None:
    catalog.tag("travel")
    api = catalog.api
    other = api.session.post(
        api.root + "/containers",
        json={"_instance": {"repo:name": "b"}, "_links": {}},
        headers={
            "Content-Type": "application/vnd.adobe.platform.xcore.hal+json; "
            'schema="https://ns.adobe.com/experience/xcore/container"'
        },
    ).json()["instanceId"]
    response = api.session.post(
        f"{api.root}/{other}/instances",
        json={"_instance": {"xdm:name": "travel"}, "_links": {}},
        headers={"Content-Type": f'application/vnd.adobe.platform.xcore.hal+json; schema="{TAG}"'},
    )
    assert response.status_code == 201


# -- offers --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("before", "after", "allowed"),
    [
        ("draft", "approved", True),
        ("approved", "archived", True),
        ("archived", "draft", True),
        ("draft", "draft", True),
        ("draft", "archived", False),
        ("approved", "draft", False),
        ("archived", "approved", False),
    ],
)
@pytest.mark.parametrize("schema", [OFFER, FALLBACK])
def test_status_lifecycle(
    catalog: Catalog, schema: str, before: str, after: str, allowed: bool
) -> None:
    placement = catalog.placement()["@id"]
    body = {
        "xdm:name": "o",
        "xdm:status": before,
        "xdm:representations": [catalog.representation(placement)],
    }
    iid = catalog.make(schema, body)["instanceId"]
    response = catalog.api.patch(
        iid, [{"op": "replace", "path": "/_instance/xdm:status", "value": after}]
    )
    if allowed:
        assert response.status_code == 200
    else:
        assert errors(response) == [("lifecycle", "/_instance/xdm:status")]
        assert catalog.api.get(iid).json()["_instance"]["xdm:status"] == before


def test_status_values(catalog: Catalog) -> None:
    placement = catalog.placement()["@id"]
    response = catalog.api.create(
        catalog.offer_body(placement, **{"xdm:status": "live"}), schema=OFFER
    )
    assert errors(response) == [("schema", "/_instance/xdm:status")]


def test_absent_status_counts_as_draft(catalog: Catalog) -> None:
    placement = catalog.placement()["@id"]
    body = catalog.offer_body(placement)
    del body["xdm:status"]
    iid = catalog.make(OFFER, body)["instanceId"]
    skip = catalog.api.patch(
        iid, [{"op": "add", "path": "/_instance/xdm:status", "value": "archived"}]
    )
    assert errors(skip) == [("lifecycle", "/_instance/xdm:status")]


def test_representation_placement_must_exist_and_be_a_placement(catalog: Catalog) -> None:
    tag = catalog.tag("t")["@id"]
    missing = catalog.api.create(
        catalog.offer_body("xcore:offer-placement:00000000000000f"), schema=OFFER
    )
    assert errors(missing) == [("reference", "/_instance/xdm:representations/0/xdm:placement")]
    wrong = catalog.api.create(catalog.offer_body(tag), schema=OFFER)
    assert errors(wrong) == [("reference", "/_instance/xdm:representations/0/xdm:placement")]
    assert count(catalog, OFFER) == 0


def test_a_deleted_placement_cannot_be_used(catalog: Catalog) -> None:
    placement = catalog.placement()
    assert catalog.api.delete_to_outcome(placement["instanceId"]).status_code == 200
    response = catalog.api.create(catalog.offer_body(placement["@id"]), schema=OFFER)
    assert errors(response) == [("reference", "/_instance/xdm:representations/0/xdm:placement")]


def test_one_representation_per_placement(catalog: Catalog) -> None:
    placement = catalog.placement()["@id"]
    body = catalog.offer_body(placement)
    body["xdm:representations"].append(catalog.representation(placement))
    assert errors(catalog.api.create(body, schema=OFFER)) == [
        ("unique-placement", "/_instance/xdm:representations/1/xdm:placement")
    ]
    iid = catalog.offer(placement)["instanceId"]
    response = catalog.api.patch(
        iid,
        [
            {
                "op": "add",
                "path": "/_instance/xdm:representations/-",
                "value": catalog.representation(placement),
            }
        ],
    )
    assert errors(response) == [
        ("unique-placement", "/_instance/xdm:representations/1/xdm:placement")
    ]


@pytest.mark.parametrize(
    ("component", "ok"),
    [
        (
            {"@type": IMAGELINK, "dc:format": "image/png", "xdm:linkURL": "https://x.example/a"},
            True,
        ),
        ({"@type": TEXT, "dc:format": "text/plain", "xdm:copyline": "Hi"}, True),
        ({"@type": HTML, "dc:format": "text/html", "dc:language": ["en", "fr-CA"]}, True),
        (
            {
                "@type": "https://example.com/models/tile",
                "xdm:copyline": "x",
                "xdm:linkURL": "https://x.example",
            },
            True,
        ),
        ({"dc:format": "text/plain"}, False),
        ({"@type": "banner"}, False),
        ({"@type": TEXT, "dc:format": "plain text"}, False),
        ({"@type": TEXT, "dc:language": "en"}, False),
        ({"@type": TEXT, "xdm:linkURL": "https://x.example"}, False),
        ({"@type": IMAGELINK, "xdm:copyline": "words"}, False),
        ({"@type": HTML, "xdm:copyline": "words"}, False),
    ],
)
def test_components(catalog: Catalog, component: dict[str, Any], ok: bool) -> None:
    placement = catalog.placement()["@id"]
    body = catalog.offer_body(placement)
    body["xdm:representations"][0]["xdm:components"] = [component]
    response = catalog.api.create(body, schema=OFFER)
    if ok:
        assert response.status_code == 201, response.text
    else:
        assert all(
            p.startswith("/_instance/xdm:representations/0/xdm:components/0")
            for _rule, p in errors(response)
        )


def test_tags_must_reference_existing_tags(catalog: Catalog) -> None:
    placement = catalog.placement()["@id"]
    tag = catalog.tag("travel")["@id"]
    assert (
        catalog.api.create(
            catalog.offer_body(placement, **{"xdm:tags": [tag]}), schema=OFFER
        ).status_code
        == 201
    )
    response = catalog.api.create(
        catalog.offer_body(placement, **{"xdm:tags": [tag, "xcore:tag:0000000000000aa"]}),
        schema=OFFER,
    )
    assert errors(response) == [("reference", "/_instance/xdm:tags/1")]
    response = catalog.api.create(
        catalog.offer_body(placement, **{"xdm:tags": [placement]}), schema=OFFER
    )
    assert errors(response) == [("reference", "/_instance/xdm:tags/0")]


def test_calendar_dates_are_rfc3339_and_ordered(catalog: Catalog) -> None:
    placement = catalog.placement()["@id"]
    iid = catalog.offer(placement)["instanceId"]

    def window(start: str, end: str) -> Any:
        return catalog.api.patch(
            iid,
            [
                {
                    "op": "add",
                    "path": "/_instance/xdm:selectionConstraint",
                    "value": {"xdm:startDate": start, "xdm:endDate": end},
                }
            ],
        )

    assert window("2019-06-13T00:00:00.000Z", "2019-07-13T00:00:00.000Z").status_code == 200
    assert window("2019-06-13T00:00:00+02:00", "2019-06-12T23:00:00Z").status_code == 200
    assert errors(window("2019-07-13T00:00:00Z", "2019-06-13T00:00:00Z")) == [
        ("date-order", "/_instance/xdm:selectionConstraint/xdm:endDate")
    ]
    assert errors(window("13/06/2019", "2019-07-13T00:00:00Z")) == [
        ("schema", "/_instance/xdm:selectionConstraint/xdm:startDate")
    ]
    assert errors(window("2019-06-13", "2019-07-13T00:00:00Z")) == [
        ("schema", "/_instance/xdm:selectionConstraint/xdm:startDate")
    ]


def test_eligibility_rule_reference(catalog: Catalog) -> None:
    placement = catalog.placement()["@id"]
    iid = catalog.offer(placement, **{"xdm:selectionConstraint": {}})["instanceId"]
    rule = catalog.rule()["@id"]
    path = "/_instance/xdm:selectionConstraint/xdm:eligibilityRule"
    assert catalog.api.patch(iid, [{"op": "add", "path": path, "value": rule}]).ok
    assert errors(
        catalog.api.patch(
            iid,
            [{"op": "replace", "path": path, "value": "xcore:eligibility-rule:0000000000000ab"}],
        )
    ) == [("reference", path)]
    assert errors(
        catalog.api.patch(iid, [{"op": "replace", "path": path, "value": placement}])
    ) == [("reference", path)]


def test_caps_are_set_and_removed_one_at_a_time(catalog: Catalog) -> None:
    placement = catalog.placement()["@id"]
    iid = catalog.offer(placement)["instanceId"]
    path = "/_instance/xdm:cappingConstraint"
    assert catalog.api.patch(
        iid, [{"op": "add", "path": path, "value": {"xdm:globalCap": 1000000, "xdm:profileCap": 5}}]
    ).ok
    assert catalog.api.patch(iid, [{"op": "remove", "path": path + "/xdm:profileCap"}]).ok
    assert catalog.api.get(iid).json()["_instance"]["xdm:cappingConstraint"] == {
        "xdm:globalCap": 1000000
    }
    assert catalog.api.patch(iid, [{"op": "add", "path": path + "/xdm:profileCap", "value": 2}]).ok
    for bad in (0, -3, 1.5, "5", 1e300, 2**31):
        response = catalog.api.patch(
            iid, [{"op": "replace", "path": path + "/xdm:globalCap", "value": bad}]
        )
        assert errors(response) == [("schema", path + "/xdm:globalCap")]


def test_priority_and_characteristics(catalog: Catalog) -> None:
    placement = catalog.placement()["@id"]
    iid = catalog.offer(placement, **{"xdm:rank": {"xdm:priority": 3}})["instanceId"]
    path = "/_instance/xdm:rank/xdm:priority"
    assert catalog.api.patch(iid, [{"op": "replace", "path": path, "value": 0}]).ok
    assert errors(catalog.api.patch(iid, [{"op": "replace", "path": path, "value": -1}])) == [
        ("schema", path)
    ]
    assert errors(catalog.api.patch(iid, [{"op": "replace", "path": path, "value": 2.5}])) == [
        ("schema", path)
    ]
    ok = catalog.api.patch(
        iid,
        [
            {
                "op": "add",
                "path": "/_instance/xdm:characteristics",
                "value": {"city": "Bondi", "tier": "gold"},
            }
        ],
    )
    assert ok.status_code == 200
    bad = catalog.api.patch(
        iid, [{"op": "add", "path": "/_instance/xdm:characteristics/age", "value": 42}]
    )
    assert errors(bad) == [("schema", "/_instance/xdm:characteristics/age")]


@pytest.mark.parametrize(
    "extra",
    [
        {"xdm:selectionConstraint": {"xdm:startDate": "2019-06-13T00:00:00Z"}},
        {"xdm:cappingConstraint": {"xdm:globalCap": 5}},
        {"xdm:rank": {"xdm:priority": 1}},
    ],
)
def test_fallbacks_have_no_constraints_or_rank(catalog: Catalog, extra: dict[str, Any]) -> None:
    placement = catalog.placement()["@id"]
    response = catalog.api.create(
        {
            "xdm:name": "f",
            "xdm:status": "approved",
            "xdm:representations": [catalog.representation(placement)],
            **extra,
        },
        schema=FALLBACK,
    )
    assert errors(response) == [("schema", "/_instance/" + next(iter(extra)))]


# -- filters -------------------------------------------------------------------------------
def test_filter_ids_match_the_filter_type(catalog: Catalog) -> None:
    placement = catalog.placement()["@id"]
    offer = catalog.offer(placement)["@id"]
    tag = catalog.tag("t")["@id"]
    assert catalog.filter("offers", [offer])
    assert catalog.filter("anyTags", [tag])
    assert catalog.filter("allTags", [tag])
    api = catalog.api
    body = {"xdm:name": "f", "xdm:filterType": "offers", "ids": [offer, tag]}
    assert errors(api.create(body, schema=FILTER)) == [("filter-kind", "/_instance/ids/1")]
    body = {"xdm:name": "f", "xdm:filterType": "anyTags", "ids": [offer]}
    assert errors(api.create(body, schema=FILTER)) == [("filter-kind", "/_instance/ids/0")]
    body = {"xdm:name": "f", "xdm:filterType": "allTags", "ids": [placement]}
    assert errors(api.create(body, schema=FILTER)) == [("reference", "/_instance/ids/0")]
    body = {"xdm:name": "f", "xdm:filterType": "someTags", "ids": [tag]}
    assert errors(api.create(body, schema=FILTER)) == [("schema", "/_instance/xdm:filterType")]
    # Changing the type re-checks the ids.
    iid = catalog.filter("anyTags", [tag])["instanceId"]
    response = api.patch(
        iid, [{"op": "replace", "path": "/_instance/xdm:filterType", "value": "offers"}]
    )
    assert errors(response) == [("filter-kind", "/_instance/ids/0")]


# -- activities ----------------------------------------------------------------------------
def test_activity_references_are_required_and_must_exist(catalog: Catalog) -> None:
    placement = catalog.placement()["@id"]
    fallback = catalog.fallback(placement)["@id"]
    filt = catalog.filter("anyTags", [catalog.tag("t")["@id"]])["@id"]
    assert catalog.activity(placement, filt, fallback)
    for missing in ("xdm:placement", "xdm:filter", "xdm:fallback"):
        body = {
            "xdm:name": "a",
            "xdm:placement": placement,
            "xdm:filter": filt,
            "xdm:fallback": fallback,
        }
        del body[missing]
        assert errors(catalog.api.create(body, schema=ACTIVITY)) == [
            ("schema", f"/_instance/{missing}")
        ]
    body = {
        "xdm:name": "a",
        "xdm:placement": placement,
        "xdm:filter": fallback,
        "xdm:fallback": "xcore:fallback-offer:000000000000001",
    }
    assert sorted(errors(catalog.api.create(body, schema=ACTIVITY))) == [
        ("reference", "/_instance/xdm:fallback"),
        ("reference", "/_instance/xdm:filter"),
    ]


def test_activity_fallback_needs_the_activity_placement(catalog: Catalog) -> None:
    web = catalog.placement("web")["@id"]
    email = catalog.placement("email", TEXT)["@id"]
    fallback = catalog.fallback(web)["@id"]
    filt = catalog.filter("anyTags", [catalog.tag("t")["@id"]])["@id"]
    response = catalog.api.create(
        {"xdm:name": "a", "xdm:placement": email, "xdm:filter": filt, "xdm:fallback": fallback},
        schema=ACTIVITY,
    )
    assert errors(response) == [("fallback-placement", "/_instance/xdm:fallback")]
    iid = catalog.activity(web, filt, fallback)["instanceId"]
    moved = catalog.api.patch(
        iid, [{"op": "replace", "path": "/_instance/xdm:placement", "value": email}]
    )
    assert errors(moved) == [("fallback-placement", "/_instance/xdm:fallback")]


def test_activity_status_and_dates(catalog: Catalog) -> None:
    placement = catalog.placement()["@id"]
    fallback = catalog.fallback(placement)["@id"]
    filt = catalog.filter("anyTags", [catalog.tag("t")["@id"]])["@id"]
    iid = catalog.activity(
        placement,
        filt,
        fallback,
        **{
            "xdm:startDate": "2019-03-01T05:59:59.999Z",
            "xdm:endDate": "2019-12-27T00:00:00.000Z",
        },
    )["instanceId"]
    api = catalog.api
    for status in ("draft", "archived", "live"):
        assert api.patch(
            iid, [{"op": "replace", "path": "/_instance/xdm:status", "value": status}]
        ).ok
    assert errors(
        api.patch(iid, [{"op": "replace", "path": "/_instance/xdm:status", "value": "approved"}])
    ) == [("schema", "/_instance/xdm:status")]
    assert errors(
        api.patch(
            iid,
            [{"op": "replace", "path": "/_instance/xdm:endDate", "value": "2019-01-01T00:00:00Z"}],
        )
    ) == [("date-order", "/_instance/xdm:endDate")]
    assert errors(
        api.patch(iid, [{"op": "replace", "path": "/_instance/xdm:startDate", "value": "soon"}])
    ) == [("schema", "/_instance/xdm:startDate")]


# -- eligibility rules ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("condition", "pointer"),
    [
        ({"xdm:type": "SQL", "xdm:format": "pql/text", "xdm:value": "x = 1"}, "xdm:type"),
        ({"xdm:type": "PQL", "xdm:format": "pql/json", "xdm:value": "x = 1"}, "xdm:format"),
        ({"xdm:type": "PQL", "xdm:format": "pql/text", "xdm:value": ""}, "xdm:value"),
        ({"xdm:type": "PQL", "xdm:format": "pql/text", "xdm:value": "   "}, "xdm:value"),
        ({"xdm:type": "PQL", "xdm:format": "pql/text"}, "xdm:value"),
    ],
)
def test_rule_condition(catalog: Catalog, condition: dict[str, Any], pointer: str) -> None:
    response = catalog.api.create({"xdm:name": "r", "xdm:condition": condition}, schema=RULE)
    assert set(errors(response)) == {("schema", f"/_instance/xdm:condition/{pointer}")}


def test_rule_text_is_stored_verbatim(catalog: Catalog) -> None:
    text = 'membership.status = "elite"\n  and person.age >= 21'
    iid = catalog.rule(text)["instanceId"]
    assert catalog.api.get(iid).json()["_instance"]["xdm:condition"]["xdm:value"] == text


# -- referential integrity on delete -------------------------------------------------------
@pytest.fixture
def graph(catalog: Catalog) -> dict[str, dict[str, Any]]:
    placement = catalog.placement()
    tag = catalog.tag("travel")
    rule = catalog.rule()
    offer = catalog.offer(
        placement["@id"],
        **{
            "xdm:tags": [tag["@id"]],
            "xdm:selectionConstraint": {"xdm:eligibilityRule": rule["@id"]},
        },
    )
    fallback = catalog.fallback(placement["@id"])
    by_offer = catalog.filter("offers", [offer["@id"]])
    activity = catalog.activity(placement["@id"], by_offer["@id"], fallback["@id"])
    return {
        "placement": placement,
        "tag": tag,
        "rule": rule,
        "offer": offer,
        "fallback": fallback,
        "filter": by_offer,
        "activity": activity,
    }


@pytest.mark.parametrize("name", ["placement", "tag", "rule", "offer", "fallback", "filter"])
def test_deleting_a_referenced_object_is_rejected(catalog: Catalog, graph: Any, name: str) -> None:
    outcome = catalog.api.delete_to_outcome(graph[name]["instanceId"])
    assert outcome.status_code == 200
    assert outcome.json()["outcome"] == "rejected"
    assert outcome.json()["referencedBy"]
    assert catalog.api.get(graph[name]["instanceId"]).status_code == 200


def test_deleting_from_the_top_down_succeeds(catalog: Catalog, graph: Any) -> None:
    for name in ("activity", "filter", "fallback", "offer", "rule", "tag", "placement"):
        outcome = catalog.api.delete_to_outcome(graph[name]["instanceId"])
        assert "outcome" not in outcome.json(), (name, outcome.json())
        assert catalog.api.get(graph[name]["instanceId"]).status_code == 404
