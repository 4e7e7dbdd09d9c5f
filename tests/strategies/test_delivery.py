"""Delivery API requests drawn by the strategies, sent to a real mock over HTTP.

Valid draws match the DeliveryRequest schema and are answered 200 (204 for a beacon) with a
DeliveryResponse that answers every requested mbox index; invalid ones break exactly one
rule and are answered 400 in Target's shape, the message naming the labelled pointer.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from mockxcore import MockServer, contracts
from mockxcore.strategies import delivery_requests, invalid_delivery_requests
from mockxcore.strategies.delivery import (
    MBOX_NAMES,
    RULES,
    _choices,
    condition_literals,
    vocabulary,
)

pytestmark = pytest.mark.mockxcore(data="demo")

REQUEST = "https://ns.adobe.com/experience/target/delivery-request"
RESPONSE = "https://ns.adobe.com/experience/target/delivery-response"

# One mock serves every example of a test: Hypothesis warns about function-scoped fixtures
# under @given, which is what we want here (examples only add notifications to its state).
HTTP = settings(
    suppress_health_check=[
        *settings().suppress_health_check,
        HealthCheck.function_scoped_fixture,
    ]
)


def artifact_of(mock: MockServer) -> dict[str, Any]:
    response = requests.get(mock.url + "/demo/production/v1/rules.json")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def deliver(mock: MockServer, body: Any) -> requests.Response:
    return requests.post(
        mock.url + "/rest/v1/delivery", params={"client": "demo", "sessionId": "s1"}, json=body
    )


def _check_answer(request: dict[str, Any], answer: dict[str, Any], known: set[str]) -> None:
    assert answer["status"] == 200
    assert answer["client"] == "demo"
    if "requestId" in request:
        assert answer["requestId"] == request["requestId"]
    for mode in ("execute", "prefetch"):
        asked = request.get(mode, {})
        given_back = answer.get(mode, {})
        mboxes = given_back.get("mboxes", [])
        assert [(m["index"], m["name"]) for m in mboxes] == [
            (m["index"], m["name"]) for m in asked.get("mboxes", [])
        ]
        for mbox in mboxes:
            if mbox["name"] not in known:
                assert "options" not in mbox, mbox  # as Target answers an unknown mbox
        assert ("pageLoad" in given_back) == ("pageLoad" in asked)
    acknowledged = [n["id"] for n in answer.get("notifications", [])]
    assert acknowledged == [n["id"] for n in request.get("notifications", [])]
    tnt = request.get("id", {}).get("tntId")
    if tnt:
        assert answer["id"]["tntId"] == tnt
        hint = tnt.split(".")[1].split("_")[0]
        assert answer["edgeHost"] == f"mboxedge{hint}.tt.omtrdc.net"


@pytest.mark.parametrize("from_artifact", [True, False], ids=["artifact", "plain"])
@HTTP
@given(data=st.data())
def test_valid_requests_are_answered_with_a_valid_delivery_response(
    mockxcore: MockServer, from_artifact: bool, data: st.DataObject
) -> None:
    artifact = artifact_of(mockxcore) if from_artifact else None
    body = data.draw(delivery_requests(artifact), label="body")
    assert contracts.default().validate(REQUEST, body) == []
    response = deliver(mockxcore, body)
    if body.get("notifications"):
        listed = requests.get(
            mockxcore.url + "/__admin/target/notifications",
            params={"client": "demo", "sessionId": "s1"},
        ).json()["notifications"]
        assert {n["id"] for n in body["notifications"]} <= {n["id"] for n in listed}
    if body["context"].get("beacon") is True:
        assert response.status_code == 204, response.text
        assert response.content == b""
        return
    assert response.status_code == 200, response.text
    answer = response.json()
    assert contracts.default().validate(RESPONSE, answer) == []
    _check_answer(body, answer, set(vocabulary(artifact_of(mockxcore)).mboxes))


@pytest.mark.mockxcore(strict=False)  # sends what the contracts refuse, on purpose
@pytest.mark.parametrize("from_artifact", [True, False], ids=["artifact", "plain"])
@HTTP
@given(data=st.data())
def test_invalid_requests_are_refused_naming_the_pointer(
    mockxcore: MockServer, from_artifact: bool, data: st.DataObject
) -> None:
    artifact = artifact_of(mockxcore) if from_artifact else None
    body, pointer = data.draw(invalid_delivery_requests(artifact), label="pair")
    assert [e.pointer for e in contracts.default().validate(REQUEST, body)] == [pointer]
    response = deliver(mockxcore, body)
    assert response.status_code == 400, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    answer = response.json()
    assert set(answer) == {"status", "message"}
    assert answer["status"] == 400
    assert answer["message"].startswith(f"invalid DeliveryRequest: {pointer}: "), answer


def _pattern(rule: str) -> re.Pattern[str]:
    return re.compile("^" + re.escape(rule).replace(r"\*", "[^/]+") + "$")


@pytest.mark.parametrize("rule", RULES)
@settings(max_examples=5)
@given(data=st.data())
def test_every_rule_can_be_broken_alone(rule: str, data: st.DataObject) -> None:
    """Offline (no mock): each rule, asked for alone, yields one error where it says."""
    body, pointer = data.draw(invalid_delivery_requests(violating={rule}))
    assert _pattern(rule).match(pointer), (rule, pointer)
    assert [e.pointer for e in contracts.default().validate(REQUEST, body)] == [pointer]


def test_the_documented_rules_are_the_ones_broken() -> None:
    assert sorted({rule for rule, _ in _choices()}) == sorted(RULES)


def test_a_rule_that_is_not_one_is_refused_where_it_is_asked() -> None:
    with pytest.raises(InvalidArgument):
        invalid_delivery_requests(violating={"/context/colour"})


def test_the_vocabulary_of_the_demo_artifact(mockxcore: MockServer) -> None:
    found = vocabulary(artifact_of(mockxcore))
    assert found.mboxes == (
        "account-summary",  # remote: served by the mock, decided by nobody on-device
        "checkout-config",
        "hero-banner",
        "target-global-mbox",
        "welcome-message",
    )
    assert found.views == ("home",)
    assert found.parameters == (("loyalty", ("gold",)),)  # read as mbox.loyalty_lc
    assert found.paths == ("/sale",)
    assert found.event_tokens


def test_without_an_artifact_the_names_are_plausible_ones() -> None:
    found = vocabulary(None)
    assert found.mboxes == MBOX_NAMES
    assert found.views and found.parameters


def test_condition_literals_come_from_comparisons_only() -> None:
    logic = {
        "and": [
            {"in": [{"var": "mbox.tier"}, ["gold", "platinum"]]},
            {"==": [{"substr": [{"var": "page.path"}, 0, 5]}, "/sale"]},
            {">": [{"var": ["mbox.visits", 0]}, 3]},
            {"var": "user.browserType"},
        ]
    }
    assert condition_literals(logic) == {
        "mbox.tier": {"gold", "platinum"},
        "page.path": {"/sale"},
        "mbox.visits": {"3"},
    }
