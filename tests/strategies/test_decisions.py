"""Decision requests drawn from a catalog name its activities and match the request contract.

Sending them to the decisions endpoint is left to its own property tests."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from mockxcore import contracts
from mockxcore.offers.schemas import ACTIVITY
from mockxcore.strategies import catalogs, decision_requests, objects_in
from mockxcore.strategies.decisions import MAX_ACTIVITIES, context_schemas
from mockxcore.strategies.pql import CONTEXT_SCHEMAS

REQUEST = "https://ns.adobe.com/experience/offer-management/decision-request"


@given(data=st.data())
def test_decision_requests_name_the_catalogs_activities(data: st.DataObject) -> None:
    catalog = data.draw(catalogs(min_activities=1))
    request: dict[str, Any] = data.draw(decision_requests(catalog))
    assert contracts.default().validate(REQUEST, request) == []
    activities = request["xdm:offerActivities"]
    assert 1 <= len(activities) <= MAX_ACTIVITIES
    assert len(set(activities)) == len(activities)
    assert set(activities) <= {a["@id"] for a in objects_in(catalog, ACTIVITY)}
    known = set(context_schemas(catalog)) | set(CONTEXT_SCHEMAS)
    assert {item["@type"] for item in request.get("xdm:contextData", [])} <= known
    assert request.get("xdm:validateContextData", False) is False
    assert json.loads(json.dumps(request)) == request


def test_context_schemas_are_read_from_the_rules() -> None:
    rule = {
        "schema": "https://ns.adobe.com/experience/offer-management/eligibility-rule",
        "_instance": {
            "xdm:condition": {
                "xdm:value": '@{ https://ns.example.com/a }.x = 1 and @{b;version=1}.y = "z"'
            }
        },
    }
    catalog = {"tenants": [{"containers": [{"instances": [rule]}]}]}
    assert context_schemas(catalog) == ["b;version=1", "https://ns.example.com/a"]


def test_a_catalog_without_activities_has_nothing_to_decide() -> None:
    with pytest.raises(InvalidArgument):
        decision_requests({"mockxcore": "snapshot/1", "tenants": []})
