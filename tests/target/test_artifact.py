"""The rules artifact: served like Target's CDN (ETag, 304, property paths), loaded with checks."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import requests
import urllib3
from delivery_api_client import (
    ChannelType,
    Context,
    DeliveryRequest,
    ExecuteRequest,
    PrefetchRequest,
    RequestDetails,
    VisitorId,
)

from mockxcore import MockServer, jsonbody
from mockxcore.target.artifact import MAX_BODY_DEPTH, MAX_CONDITION_DEPTH
from tests.target.support import (
    deliver,
    eventually,
    mboxes,
    notifications,
    plain,
    sdk_client,
    web_request,
)

pytestmark = pytest.mark.mockxcore(data="demo")


def _rule(aid: int, experience: int, low: float, high: float, content: str) -> dict[str, Any]:
    return {
        "ruleKey": str(aid),
        "activityId": aid,
        "meta": {
            "activity.id": aid,
            "activity.name": "hand written",
            "activity.type": "ab",
            "experience.id": experience,
            "experience.name": f"E{experience}",
            "location.name": "greeting",
            "location.type": "mbox",
            "audience.ids": [],
            "option.id": experience + 1,
        },
        "condition": {
            "and": [
                {"<=" if experience == 0 else "<": [low, {"var": "allocation"}]},
                {">=": [high, {"var": "allocation"}]},
                {"==": ["yes", {"var": "mbox.greet"}]},
            ]
        },
        "consequence": {
            "name": "greeting",
            "options": [{"type": "html", "eventToken": f"token-{experience}", "content": content}],
            "metrics": [],
        },
    }


ARTIFACT: dict[str, Any] = {
    "version": "1.0.0",
    "meta": {"clientCode": "hand", "environment": "production"},
    "globalMbox": "target-global-mbox",
    "geoTargetingEnabled": False,
    "responseTokens": ["activity.id", "experience.name"],
    "remoteMboxes": [],
    "remoteViews": [],
    "localMboxes": ["greeting"],
    "localViews": [],
    "rules": {
        "mboxes": {
            "greeting": [_rule(4242, 0, 0, 50, "hello"), _rule(4242, 1, 50, 100, "goodbye")]
        },
        "views": {},
    },
}


def _greeting(url: str, visitor: str, greet: str = "yes") -> str | None:
    request = web_request(
        id={"tntId": visitor},
        execute={"mboxes": mboxes("greeting", parameters={"greet": greet})},
    )
    response = deliver(url, request, client="hand")
    assert response.status_code == 200, response.text
    options = response.json()["execute"]["mboxes"][0].get("options")
    return str(options[0]["content"]) if options else None


def test_a_loaded_artifact_is_served_and_decided_from(mockxcore: MockServer) -> None:
    url = mockxcore.url
    loaded = requests.put(f"{url}/__admin/target/clients/hand/artifact", json=ARTIFACT)
    assert loaded.status_code == 200, loaded.text
    assert loaded.json()["source"] == "artifact"
    served = requests.get(f"{url}/hand/production/v1/rules.json").json()
    assert served["rules"] == ARTIFACT["rules"]
    answers = {_greeting(url, f"{n:032x}.35_0") for n in range(40)}
    assert answers == {"hello", "goodbye"}
    assert _greeting(url, f"{1:032x}.35_0", greet="no") is None
    assert requests.get(f"{url}/__admin/target/clients/hand/artifact").json() == served


def test_etag_and_if_none_match(mockxcore: MockServer) -> None:
    url = f"{mockxcore.url}/demo/production/v1/rules.json"
    pool = urllib3.PoolManager()  # the HTTP client Adobe's SDK downloads artifacts with
    first = pool.request("GET", url)
    etag = first.headers["ETag"]
    assert first.status == 200 and etag.startswith('"')
    again = pool.request("GET", url, headers={"If-None-Match": etag})
    assert again.status == 304
    assert again.headers["ETag"] == etag
    assert pool.request("GET", url, headers={"If-None-Match": '"other"'}).status == 200
    content = {"options": [{"type": "html", "content": "x"}]}
    assert requests.put(
        f"{mockxcore.url}/__admin/target/clients/demo/mboxes/new-remote", json=content
    ).ok
    changed = pool.request("GET", url, headers={"If-None-Match": etag})
    assert changed.status == 200
    assert changed.headers["ETag"] != etag


def test_property_paths_serve_only_what_the_property_sees(mockxcore: MockServer) -> None:
    table = {
        "activities": [
            {
                "mbox": "a",
                "propertyTokens": ["p1"],
                "experiences": [{"options": [{"type": "html", "content": "p1 only"}]}],
            },
            {
                "mbox": "b",
                "propertyTokens": ["p2"],
                "experiences": [{"options": [{"type": "html", "content": "p2 only"}]}],
            },
            {"mbox": "c", "experiences": [{"options": [{"type": "html", "content": "all"}]}]},
        ]
    }
    url = mockxcore.url
    assert requests.put(f"{url}/__admin/target/clients/demo/table", json=table).ok
    everything = requests.get(f"{url}/demo/production/v1/rules.json")
    p1 = requests.get(f"{url}/demo/production/v1/p1/rules.json")
    assert sorted(everything.json()["rules"]["mboxes"]) == ["a", "b", "c"]
    assert sorted(p1.json()["rules"]["mboxes"]) == ["a", "c"]
    assert p1.headers["ETag"] != everything.headers["ETag"]


def test_unknown_client_or_environment_is_404(mockxcore: MockServer) -> None:
    assert requests.get(f"{mockxcore.url}/nobody/production/v1/rules.json").status_code == 404
    staging = requests.get(f"{mockxcore.url}/demo/staging/v1/rules.json")
    assert staging.status_code == 404
    assert "environment 'staging'" in staging.json()["detail"]


def test_an_artifact_that_runs_code_is_refused_and_the_previous_one_kept(
    mockxcore: MockServer,
) -> None:
    url = mockxcore.url
    assert requests.put(f"{url}/__admin/target/clients/hand/artifact", json=ARTIFACT).ok
    before = requests.get(f"{url}/hand/production/v1/rules.json").headers["ETag"]
    evil = copy.deepcopy(ARTIFACT)
    evil["rules"]["mboxes"]["greeting"][1]["condition"] = {"method": [{"var": "mbox"}, "clear"]}
    refused = requests.put(f"{url}/__admin/target/clients/hand/artifact", json=evil)
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["errors"][0]["rule"] == "condition-operator"
    assert problem["errors"][0]["pointer"] == "/rules/mboxes/greeting/1/condition/method"
    assert "'method'" in problem["detail"]
    after = requests.get(f"{url}/hand/production/v1/rules.json").headers["ETag"]
    assert after == before
    assert _greeting(url, f"{3:032x}.35_0") in {"hello", "goodbye"}


@pytest.mark.parametrize(
    ("change", "pointer", "rule"),
    [
        (lambda a: a.pop("version"), "/version", "schema"),
        (lambda a: a.update(version="2.0.0"), "/version", "artifact-version"),
        (
            lambda a: a.update(rules={"mboxes": {"x": [{"condition": True}]}}),
            "/rules/mboxes/x/0/consequence",
            "schema",
        ),
        (lambda a: a["meta"].update(environment="qa"), "/meta/environment", "artifact-environment"),
        (
            lambda a: a["rules"]["mboxes"]["greeting"][0]["consequence"]["options"][0].update(
                type="image"
            ),
            "/rules/mboxes/greeting/0/consequence/options/0/type",
            "schema",
        ),
    ],
)
def test_invalid_artifacts_name_the_problem(
    mockxcore: MockServer, change: Any, pointer: str, rule: str
) -> None:
    artifact = copy.deepcopy(ARTIFACT)
    change(artifact)
    response = requests.put(f"{mockxcore.url}/__admin/target/clients/hand/artifact", json=artifact)
    assert response.status_code == 422, response.text
    assert (rule, pointer) in {(e["rule"], e["pointer"]) for e in response.json()["errors"]}
    assert requests.get(f"{mockxcore.url}/__admin/target/clients/hand").status_code == 404


def test_deeply_nested_conditions_are_refused(mockxcore: MockServer) -> None:
    condition: Any = True
    for _ in range(40):  # 80 deep: over the condition limit, under the body limit
        condition = {"!": [condition]}
    artifact = copy.deepcopy(ARTIFACT)
    artifact["rules"]["mboxes"]["greeting"][0]["condition"] = condition
    response = requests.put(f"{mockxcore.url}/__admin/target/clients/hand/artifact", json=artifact)
    assert response.status_code == 422
    assert response.json()["errors"][0]["rule"] == "condition-depth"


def _nested(levels: int) -> Any:
    """A value nesting ``levels`` objects."""
    value: Any = "x"
    for _ in range(levels):
        value = {"d": value}
    return value


def _with_condition(condition: Any) -> dict[str, Any]:
    artifact = copy.deepcopy(ARTIFACT)
    artifact["rules"]["mboxes"]["greeting"][0]["condition"] = condition
    return artifact


def test_a_condition_may_nest_to_its_own_limit_inside_the_artifact(
    mockxcore: MockServer,
) -> None:
    """The artifact body limit leaves room for a condition at MAX_CONDITION_DEPTH, which sits a
    few levels inside the artifact (the general MAX_DEPTH body limit would refuse it)."""
    condition: Any = True
    for _ in range(MAX_CONDITION_DEPTH // 2):  # a dict and a list per level
        condition = {"!": [condition]}
    artifact = _with_condition(condition)
    assert jsonbody.depth(artifact) > jsonbody.MAX_DEPTH
    url = mockxcore.url
    loaded = requests.put(f"{url}/__admin/target/clients/hand/artifact", json=artifact)
    assert loaded.status_code == 200, loaded.text
    assert requests.get(f"{url}/hand/production/v1/rules.json").status_code == 200


@pytest.mark.parametrize("levels", [MAX_BODY_DEPTH + 1, 300, 900])
def test_an_artifact_nested_too_deep_is_a_400_and_changes_nothing(
    mockxcore: MockServer, levels: int
) -> None:
    """orjson writes at most 255 levels: an artifact stored deeper could never be served nor
    exported again, so it is refused before it is stored."""
    url = mockxcore.url
    before = requests.get(f"{url}/__admin/target/clients/demo").json()["etag"]
    deep = {**ARTIFACT, "pad": _nested(levels)}
    for client in ("demo", "deep"):
        response = requests.put(f"{url}/__admin/target/clients/{client}/artifact", json=deep)
        assert response.status_code == 400, response.text
        assert response.headers["Content-Type"] == "application/problem+json"
        assert response.json()["type"] == "urn:mockxcore:problem:too-deep"
        assert str(MAX_BODY_DEPTH) in response.json()["detail"]
    assert requests.get(f"{url}/__admin/target/clients/deep").status_code == 404
    assert requests.get(f"{url}/__admin/target/clients/demo").json()["etag"] == before
    assert requests.get(f"{url}/demo/production/v1/rules.json").status_code == 200
    assert requests.get(f"{url}/__admin/state").status_code == 200


def test_an_artifact_at_the_body_limit_is_served_and_exported(mockxcore: MockServer) -> None:
    url = mockxcore.url
    deep = {**ARTIFACT, "pad": _nested(MAX_BODY_DEPTH - 1)}
    assert jsonbody.depth(deep) == MAX_BODY_DEPTH
    loaded = requests.put(f"{url}/__admin/target/clients/hand/artifact", json=deep)
    assert loaded.status_code == 200, loaded.text
    assert requests.get(f"{url}/hand/production/v1/rules.json").json()["pad"] == deep["pad"]
    assert requests.get(f"{url}/__admin/state").status_code == 200


def test_admin_bodies_are_bounded_and_parsed(mockxcore: MockServer) -> None:
    url = f"{mockxcore.url}/__admin/target/clients/hand/artifact"
    assert requests.put(url, data=b"{").status_code == 400
    assert requests.put(url, data=b"").status_code == 400
    huge = b'{"version": "1.0.0", "rules": {}, "pad": "' + b"x" * (16 << 20) + b'"}'
    assert requests.put(url, data=huge).status_code == 413
    assert (
        requests.put(
            f"{mockxcore.url}/__admin/target/clients/bad code!/artifact", json=ARTIFACT
        ).status_code
        == 400
    )


def test_clients_are_listed_registered_and_removed(mockxcore: MockServer) -> None:
    url = mockxcore.url
    (demo,) = requests.get(f"{url}/__admin/target/clients").json()["clients"]
    assert demo["client"] == "demo"
    assert demo["organizationId"] == "demo@AdobeOrg"
    assert demo["source"] == "table"
    assert demo["artifactPath"] == "/demo/production/v1/rules.json"
    assert demo["remoteMboxes"] == ["account-summary"]
    made = requests.put(f"{url}/__admin/target/clients/acme", json={"cluster": "7"})
    assert made.json()["cluster"] == "7" and made.json()["source"] is None
    assert (
        requests.put(f"{url}/__admin/target/clients/acme", json={"cluster": "x"}).status_code == 422
    )
    answer = deliver(url, web_request(), client="acme").json()
    assert answer["edgeHost"] == "mboxedge7.tt.omtrdc.net"
    assert answer["id"]["tntId"].endswith(".7_0")
    assert requests.delete(f"{url}/__admin/target/clients/acme").status_code == 204
    assert requests.get(f"{url}/__admin/target/clients/acme").status_code == 404
    assert requests.delete(f"{url}/__admin/target/clients/acme").status_code == 404


def _page_load_rule(aid: int, option: dict[str, Any]) -> dict[str, Any]:
    return {
        "ruleKey": str(aid),
        "activityId": aid,
        "meta": {
            "activity.id": aid,
            "activity.name": "visual",
            "activity.type": "ab",
            "experience.id": 0,
            "experience.name": "Experience A",
            "location.name": "target-global-mbox",
            "location.type": "view",
            "audience.ids": [],
            "option.id": 0,
        },
        "condition": {"<=": [0, {"var": "allocation"}]},
        "consequence": {
            "name": "target-global-mbox",
            "options": [option],
            "metrics": [{"type": "click", "selector": "#buy", "eventToken": f"click-{aid}"}],
        },
    }


def test_metric_only_options_load_and_are_answered_as_the_sdk_does(mockxcore: MockServer) -> None:
    """Visual activities may give the page load an option with only an eventToken (as
    Adobe's own sample artifacts do): loaded, left out of execute answers, kept in prefetch."""
    artifact = copy.deepcopy(ARTIFACT)
    artifact["meta"]["clientCode"] = "demo"  # the client the SDK's organization names
    artifact["localMboxes"] = ["greeting", "target-global-mbox"]
    artifact["rules"]["mboxes"]["target-global-mbox"] = [
        _page_load_rule(7001, {"eventToken": "display-7001"}),
        _page_load_rule(7002, {"type": "html", "content": "<p>hi</p>", "eventToken": "d-7002"}),
    ]
    url = mockxcore.url
    loaded = requests.put(f"{url}/__admin/target/clients/demo/artifact", json=artifact)
    assert loaded.status_code == 200, loaded.text

    request = DeliveryRequest(
        id=VisitorId(tnt_id=f"{7:032x}.35_0"),
        context=Context(channel=ChannelType.WEB),
        execute=ExecuteRequest(page_load=RequestDetails()),
        prefetch=PrefetchRequest(page_load=RequestDetails()),
    )
    client = sdk_client(url, decisioning_method="on-device")
    answers = {}
    for method in ("on-device", "server-side"):
        response = client.get_offers({"request": request, "decisioning_method": method})
        answer = plain(response["response"])
        for mode in ("execute", "prefetch"):
            for option in answer[mode]["pageLoad"].get("options", []):
                option.get("responseTokens", {}).pop("activity.decisioningMethod", None)
        answers[method] = (answer["execute"]["pageLoad"], answer["prefetch"]["pageLoad"])
    assert answers["on-device"] == answers["server-side"]
    execute, prefetch = answers["server-side"]
    assert [o.get("content") for o in execute["options"]] == ["<p>hi</p>"]
    assert {o["eventToken"] for o in prefetch["options"]} == {"display-7001", "d-7002"}
    assert any("type" not in o for o in prefetch["options"])
    # the on-device execute's display notification is sent on a thread of the SDK's own: let it
    # land before the mock stops
    assert eventually(lambda: notifications(url))
