"""Decision-scope mboxes of the Delivery API are decided by the decisioning runtime."""

from typing import Any

import requests

from mockxcore import MockServer
from mockxcore.target import scopes
from tests.decisioning.conftest import Runtime
from tests.decisioning.test_decisions import Scene
from tests.support import headers
from tests.target.support import deliver, mboxes, web_request


def scope_options(url: str, scope: str, tnt: str) -> list[dict[str, Any]]:
    request = web_request(id={"tntId": tnt}, execute={"mboxes": mboxes(scope)})
    answer = deliver(url, request, imsOrgId="test@AdobeOrg").json()
    return list(answer["execute"]["mboxes"][0].get("options", []))


def target_client(mock: MockServer) -> None:
    response = requests.put(
        f"{mock.url}/__admin/target/clients/demo", json={"organizationId": "test@AdobeOrg"}
    )
    assert response.ok, response.text


def test_scopes_use_rules_caps_priority_and_the_visitors_profile(mockxcore: MockServer) -> None:
    target_client(mockxcore)
    scene = Scene(Runtime(mockxcore))
    rule = scene.rt.catalog.rule('membership.status = "gold"')["@id"]
    gold = scene.offer(
        "gold only", priority=9, **{"xdm:selectionConstraint": {"xdm:eligibilityRule": rule}}
    )
    capped = scene.offer("capped", priority=5, **{"xdm:cappingConstraint": {"xdm:globalCap": 1}})
    plain_offer = scene.offer("plain", priority=1)
    activity = scene.activity()
    scope = scopes.encode_scope(activity, scene.web, 1)
    requests.put(
        f"{mockxcore.url}/__admin/profiles/tntId/gold-visitor.35_0",
        json={"attributes": {"membership": {"status": "gold"}}},
        headers=headers(),
    )

    def chosen(tnt: str) -> str:
        [option] = scope_options(mockxcore.url, scope, tnt)
        assert option["type"] == "json"
        return str(option["content"]["id"])

    assert chosen("gold-visitor.35_0") == gold  # the rule reads the visitor's profile
    assert chosen("someone.35_0") == capped  # highest eligible for a visitor without profile
    assert chosen("someone-else.35_0") == plain_offer  # the global cap of 1 was drawn down
    events = requests.get(mockxcore.url + "/__admin/decisions", headers=headers()).json()
    assert [e["profile"] for e in events] == [
        {"namespace": "tntId", "id": t}
        for t in ("gold-visitor.35_0", "someone.35_0", "someone-else.35_0")
    ]


def test_item_count_and_fallback(mockxcore: MockServer) -> None:
    target_client(mockxcore)
    scene = Scene(Runtime(mockxcore))
    offers = [scene.offer(f"o{n}", priority=n) for n in range(3)]
    activity = scene.activity()
    several = scope_options(mockxcore.url, scopes.encode_scope(activity, scene.web, 3), "v.35_0")
    assert [o["content"]["id"] for o in several] == offers[::-1]
    empty = scene.activity(ids=[scene.travel])
    [fallback] = scope_options(mockxcore.url, scopes.encode_scope(empty, scene.web), "v.35_0")
    assert fallback["content"]["id"] == scene.fallback
    wrong_placement = scope_options(
        mockxcore.url, scopes.encode_scope(activity, scene.email), "v.35_0"
    )
    assert wrong_placement == []
