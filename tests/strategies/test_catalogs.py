"""Catalogs load into the mock as they are (``PUT /__admin/state``: 200) and hold together:
every instance valid, every reference resolved, every activity's fallback covering its
placement, a live activity whenever there are activities."""

from __future__ import annotations

from typing import Any

from hypothesis import given

from mockxcore import MockServer, contracts
from mockxcore.decisioning.pql import compile_rule
from mockxcore.offers.schemas import ACTIVITY, FALLBACK, FILTER, OFFER, RULE, TAG
from mockxcore.strategies import catalogs, entries, objects_in
from mockxcore.strategies._common import KINDS
from tests.strategies.conftest import load

SNAPSHOT = "https://ns.adobe.com/experience/mockxcore/snapshot"


@given(catalog=catalogs())
def test_catalogs_load_and_read_back_as_drawn(server: MockServer, catalog: dict[str, Any]) -> None:
    assert contracts.default().validate(SNAPSHOT, catalog) == []
    api = load(server, catalog)
    assert (
        api.session.get(api.root + "/").json()["_embedded"][
            "https://ns.adobe.com/experience/xcore/container"
        ][0]["instanceId"]
        == api.container
    )
    for schema in KINDS:
        drawn = {e["instanceId"]: e["_instance"] for e in entries(catalog, schema)}
        served = {d["instanceId"]: d["_instance"] for d in api.all_pages(schema=schema)}
        assert served == drawn
        for instance in drawn.values():
            assert contracts.default().validate(schema, instance) == []


@given(catalog=catalogs(min_activities=1))
def test_catalogs_keep_every_semantic_rule(server: MockServer, catalog: dict[str, Any]) -> None:
    load(server, catalog)
    uris = {e["_instance"]["@id"]: e["schema"] for e in entries(catalog)}
    fallbacks = {f["@id"]: f for f in objects_in(catalog, FALLBACK)}
    activities = objects_in(catalog, ACTIVITY)
    assert activities
    assert any(
        a.get("xdm:status") == "live" and "xdm:startDate" not in a and "xdm:endDate" not in a
        for a in activities
    )
    for activity in activities:
        fallback = fallbacks[activity["xdm:fallback"]]
        covered = {r["xdm:placement"] for r in fallback.get("xdm:representations", [])}
        assert activity["xdm:placement"] in covered
        assert uris[activity["xdm:filter"]] == FILTER
        if activity.get("xdm:status") == "live":
            assert fallback.get("xdm:status") == "approved"
    for offer_filter in objects_in(catalog, FILTER):
        expected = OFFER if offer_filter["xdm:filterType"] == "offers" else TAG
        assert all(uris[i] == expected for i in offer_filter["ids"])
    names = [t["xdm:name"].casefold() for t in objects_in(catalog, TAG)]
    assert len(names) == len(set(names))
    for rule in objects_in(catalog, RULE):
        compile_rule(rule["xdm:condition"]["xdm:value"])
