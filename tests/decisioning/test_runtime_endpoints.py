"""Activity offers, diagnostics, profiles, decision events, and PQL checked on write."""

import json

import pytest
import requests

from mockxcore import MockServer
from tests.decisioning.conftest import Runtime
from tests.decisioning.test_decisions import Scene
from tests.offers.conftest import RULE
from tests.support import headers


@pytest.fixture
def scene(runtime: Runtime) -> Scene:
    return Scene(runtime)


def test_activity_offers_lists_candidates_before_profile_rules(scene: Scene) -> None:
    rule = scene.rt.catalog.rule('membership.status = "gold"')["@id"]
    ruled = scene.offer(
        "ruled", priority=9, **{"xdm:selectionConstraint": {"xdm:eligibilityRule": rule}}
    )
    plain = scene.offer("plain", priority=3)
    scene.offer("draft", status="draft")
    scene.offer("email", placements=[scene.email])
    scene.offer("untagged", tags=[])
    activity = scene.activity()
    response = requests.get(
        scene.rt.base + "/offers",
        params=[("activityId", activity), ("activityId", "xcore:offer-activity:000000000000000")],
        headers=headers(),
    )
    assert response.status_code == 200
    found, missing = response.json()["xdm:activities"]
    assert [o["xdm:id"] for o in found["xdm:offers"]] == [ruled, plain]
    assert all(o["repo:etag"] == 1 for o in found["xdm:offers"])
    assert found["xdm:fallback"]["xdm:id"] == scene.fallback
    assert missing["xdm:error"]["status"] == 404


@pytest.mark.mockxcore(strict=False)  # the requests break the contract on purpose
def test_activity_offers_need_one_to_thirty_activities(scene: Scene) -> None:
    activity = scene.activity()
    assert requests.get(scene.rt.base + "/offers", headers=headers()).status_code == 400
    many = [("activityId", activity)] * 31
    response = requests.get(scene.rt.base + "/offers", params=many, headers=headers())
    assert response.status_code == 400
    assert response.json()["errors"][0]["rule"] == "limits"


def test_diagnostics_report_updates_and_compile_errors(scene: Scene) -> None:
    scene.offer("o")
    activity = scene.activity()
    diagnostics = requests.get(scene.rt.base + "/diagnostics", headers=headers()).json()
    assert diagnostics["errors"] == []
    assert diagnostics["counts"]["activities"] == 1
    assert diagnostics["activitiesUpdated"] >= diagnostics["catalogUpdated"]
    # The fallback loses its representation for the activity's placement: allowed, reported.
    fallback_iid = scene.rt.api.list(
        schema="https://ns.adobe.com/experience/offer-management/fallback-offer"
    ).json()["_embedded"]["results"][0]["instanceId"]
    response = scene.rt.api.patch(
        fallback_iid, [{"op": "remove", "path": "/_instance/xdm:representations/0"}]
    )
    assert response.status_code == 200
    diagnostics = requests.get(scene.rt.base + "/diagnostics", headers=headers()).json()
    assert [(e["rule"], e["instance"]) for e in diagnostics["errors"]] == [
        ("fallback-placement", activity)
    ]


def test_a_rule_outside_the_subset_loaded_from_a_snapshot_is_diagnosed() -> None:
    with MockServer() as mock:
        rt = Runtime(mock)
        rt.catalog.rule('membership.status = "gold"')
        state = mock.export_state()
        [tenant] = state["tenants"]
        [item] = [
            i for i in tenant["containers"][0]["instances"] if i["schemas"][0].startswith(RULE)
        ]
        item["_instance"]["xdm:condition"]["xdm:value"] = "chain(xEvent, timestamp, [A])"
        mock.import_state(state)
        diagnostics = requests.get(rt.base + "/diagnostics", headers=headers()).json()
        assert [e["rule"] for e in diagnostics["errors"]] == ["pql"]
        assert "chain" in diagnostics["errors"][0]["message"]


@pytest.mark.parametrize(
    ("text", "construct"),
    [
        ('chain(xEvent, timestamp, [A: WHAT(eventType = "x")])', "chain"),
        ('inSegment("abc")', "inSegment"),
        ("membership.status = ", None),
        ('membership.status = "gold" // comment', None),
    ],
)
def test_rules_outside_the_subset_are_refused_on_write(
    runtime: Runtime, text: str, construct: str | None
) -> None:
    response = runtime.api.create(
        {
            "xdm:name": "r",
            "xdm:condition": {"xdm:type": "PQL", "xdm:format": "pql/text", "xdm:value": text},
        },
        schema=RULE,
    )
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert error["rule"] == "pql"
    assert error["pointer"] == "/_instance/xdm:condition/xdm:value"
    assert "column" in error["message"]
    if construct:
        assert construct in error["message"]
    good = runtime.catalog.rule('membership.status = "gold"')
    patched = runtime.api.patch(
        good["instanceId"],
        [{"op": "replace", "path": "/_instance/xdm:condition/xdm:value", "value": text}],
    )
    assert patched.status_code == 422


def test_profiles_admin(mockxcore: MockServer) -> None:
    url = mockxcore.url + "/__admin/profiles/Email/ann@example.com"
    body = {
        "attributes": {"membership": {"status": "gold"}},
        "segmentMembership": {"ups": {"seg-1": {"status": "realized"}}},
        "events": [{"type": "flight", "timestamp": "2021-01-01T00:00:00Z"}],
    }
    assert requests.put(url, json=body, headers=headers()).status_code == 200
    assert requests.get(url, headers=headers()).json() == {
        "namespace": "Email",
        "id": "ann@example.com",
        **body,
    }
    # Profiles belong to an org and sandbox.
    assert requests.get(url, headers=headers("other@AdobeOrg")).status_code == 404
    bad = requests.put(url, json={"events": [{"type": "x"}]}, headers=headers())
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["pointer"] == "/events/0/timestamp"
    assert requests.put(url, json={"attributes": [], "x": 1}, headers=headers()).status_code == 400
    assert requests.delete(url, headers=headers()).status_code == 200
    assert requests.get(url, headers=headers()).status_code == 404


def test_profiles_and_cap_counts_are_in_the_state(scene: Scene) -> None:
    capped = scene.offer("capped", priority=9, **{"xdm:cappingConstraint": {"xdm:globalCap": 5}})
    activity = scene.activity()
    scene.rt.profile("ann@example.com", {"tier": "gold"})
    assert scene.rt.chosen(activity) == [capped]
    state = scene.rt.mock.export_state()
    [tenant] = [t for t in state["tenants"] if t["org"] == "test@AdobeOrg"]
    assert tenant["profiles"] == [
        {"namespace": "Email", "id": "ann@example.com", "attributes": {"tier": "gold"}}
    ]
    assert tenant["containers"][0]["counters"] == {
        f"global|{capped}": 1,
        f"profile|{capped}|Email|ann@example.com": 1,
    }
    assert len(tenant["decisions"]) == 1
    with MockServer() as other:
        other.import_state(state)
        assert other.export_state() == state


def test_decision_events_are_listed_and_cleared(scene: Scene) -> None:
    scene.offer("o")
    activity = scene.activity()
    scene.rt.decide([activity])
    url = scene.rt.mock.url + "/__admin/decisions"
    [event] = requests.get(url, headers=headers()).json()
    assert event["profile"] == {"namespace": "Email", "id": "ann@example.com"}
    assert event["propositions"][0]["activity"] == activity
    assert requests.get(url, headers=headers("other@AdobeOrg")).json() == []
    assert requests.delete(url, headers=headers()).json() == []
    assert requests.get(url, headers=headers()).json() == []
    # The journal shows the decision too.
    [entry] = scene.rt.mock.journal.filter(path="/data/core/ode/")
    assert entry["responseBody"]["xdm:propositions"][0]["xdm:options"]


def test_decisions_follow_an_imported_state(runtime: Runtime) -> None:
    """A new state with the same container and as many instances is not decided from the
    catalog compiled for the old one."""
    scene = Scene(runtime)
    scene.offer("o")
    activity = scene.activity()
    assert "xdm:error" not in runtime.decide([activity])["xdm:propositions"][0]
    state = runtime.mock.export_state()
    renamed = activity[:-1] + ("0" if activity[-1] != "0" else "1")
    text = json.dumps(state).replace(activity, renamed)
    runtime.mock.import_state(json.loads(text))
    [proposition] = runtime.decide([renamed])["xdm:propositions"]
    assert "xdm:error" not in proposition, proposition
    [gone] = runtime.decide([activity])["xdm:propositions"]
    assert gone["xdm:error"]["status"] == 404


@pytest.mark.mockxcore(strict=False)  # an empty header breaks the contract on purpose
def test_admin_tenant_headers_are_defaulted_when_absent_and_refused_when_empty(
    mockxcore: MockServer,
) -> None:
    url = mockxcore.url + "/__admin/decisions"
    assert requests.get(url).status_code == 200
    empty = requests.get(url, headers={"x-sandbox-name": ""})
    assert empty.status_code == 400
    assert empty.json()["errors"][0]["pointer"] == "/headers/x-sandbox-name"
