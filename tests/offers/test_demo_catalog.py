"""The demo catalog is valid under every rule: each object is created through the public API."""

from typing import Any

from mockxcore import MockServer, snapshot
from tests.support import Api


def remap(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return ids.get(value, value)
    if isinstance(value, list):
        return [remap(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: remap(v, ids) for k, v in value.items()}
    return value


def test_every_demo_object_can_be_created_through_the_api(mockxcore: MockServer) -> None:
    [tenant] = snapshot.demo()["tenants"]
    [container] = tenant["containers"]
    api = Api(mockxcore.url)
    ids: dict[str, str] = {}
    kinds: dict[str, int] = {}
    for doc in container["instances"]:
        instance = dict(doc["_instance"])
        old = instance.pop("@id")
        receipt = api.create_ok(remap(instance, ids), schema=doc["schema"])
        ids[old] = receipt["@id"]
        kind = doc["schema"].rsplit("/", 1)[-1]
        kinds[kind] = kinds.get(kind, 0) + 1
    assert kinds == {
        "offer-placement": 3,
        "tag": 5,
        "eligibility-rule": 3,
        "personalized-offer": 12,
        "fallback-offer": 2,
        "offer-filter": 3,
        "offer-activity": 3,
    }


def test_demo_catalog_mixes_what_decisions_need() -> None:
    [tenant] = snapshot.demo()["tenants"]
    offers = [
        d["_instance"]
        for d in tenant["containers"][0]["instances"]
        if d["schema"].endswith("/personalized-offer")
    ]
    assert {o["xdm:status"] for o in offers} == {"draft", "approved", "archived"}
    assert sum("xdm:eligibilityRule" in o.get("xdm:selectionConstraint", {}) for o in offers) >= 3
    assert sum("xdm:cappingConstraint" in o for o in offers) >= 4
    assert sum("xdm:startDate" in o.get("xdm:selectionConstraint", {}) for o in offers) >= 8
    assert len({o["xdm:rank"]["xdm:priority"] for o in offers}) >= 8
    activities = [
        d["_instance"]
        for d in tenant["containers"][0]["instances"]
        if d["schema"].endswith("/offer-activity")
    ]
    assert sorted(a["xdm:status"] for a in activities) == ["draft", "live", "live"]
