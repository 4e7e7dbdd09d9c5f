"""The OpenAPI document: valid, complete, committed, and true to the server's answers."""

import orjson
import pytest
import requests
from openapi_spec_validator import validate

from mockxcore import MockServer, contracts, openapi
from mockxcore.app import build_app
from mockxcore.config import Config
from mockxcore.data import data_dir
from tests.support import Api, OpenApiChecker


def test_served_document_is_valid_openapi_31(mockxcore: MockServer) -> None:
    document = requests.get(mockxcore.url + "/__admin/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": mockxcore.url}]
    validate(document)


def test_document_lists_exactly_the_routes_the_server_has() -> None:
    app = build_app(Config())
    served = {
        (route.method.lower(), route.resource.canonical)
        for route in app.router.routes()
        if route.method not in ("HEAD", "OPTIONS") and route.resource is not None
    }
    documented = {
        (method, path)
        for path, item in openapi.build(contracts.default())["paths"].items()
        for method in item
        if method != "parameters"
    }
    assert served == documented


def test_every_business_object_schema_has_a_create_media_type() -> None:
    document = openapi.build(contracts.default())
    create = document["paths"]["/data/core/xcore/{containerId}/instances"]["post"]
    media = set(create["requestBody"]["content"])
    for kind in (
        "offer-placement",
        "personalized-offer",
        "fallback-offer",
        "eligibility-rule",
        "tag",
        "offer-filter",
        "offer-activity",
    ):
        assert (
            "application/vnd.adobe.platform.xcore.hal+json; "
            f'schema="https://ns.adobe.com/experience/offer-management/{kind}"'
        ) in media


def test_components_are_the_schemas_the_server_validates_with() -> None:
    document = openapi.build(contracts.default())
    components = document["components"]["schemas"]
    offer = components["offer-management.personalized-offer"]
    source = contracts.default().schema(
        "https://ns.adobe.com/experience/offer-management/personalized-offer"
    )
    assert offer["required"] == source["required"]
    # common#/$defs/id, relative to the offer schema, now points inside the document.
    assert offer["properties"]["@id"] == {
        "$ref": "#/components/schemas/offer-management.common/$defs/id"
    }


def test_committed_copy_is_up_to_date() -> None:
    committed = orjson.loads((data_dir("contracts") / "openapi.json").read_bytes())
    assert committed == openapi.build(contracts.default()), (
        "contracts/openapi.json is stale: python -m mockxcore.openapi > contracts/openapi.json"
    )


@pytest.mark.mockxcore(strict=False)  # sends invalid requests on purpose
def test_answers_conform_to_the_document(mockxcore: MockServer) -> None:
    checker = OpenApiChecker(requests.get(mockxcore.url + "/__admin/openapi.json").json())
    api = Api(mockxcore.url)
    api.session.hooks["response"].append(checker.hook)
    receipt = api.create_ok({"xdm:name": "x"})
    api.get(receipt["instanceId"])
    api.get(receipt["instanceId"], **{"If-None-Match": '"1"'})
    api.list()
    api.search(q="x")
    api.patch(receipt["instanceId"], [{"op": "add", "path": "/_instance/xdm:priority", "value": 1}])
    api.patch(
        receipt["instanceId"], [{"op": "add", "path": "/_instance/xdm:priority", "value": -1}]
    )
    api.put(receipt["instanceId"], {"_instance": {"xdm:name": "y"}, "_links": {}}, if_match='"1"')
    api.session.get(api.root + "/")
    api.session.get(api.root + "/containers")
    api.delete_to_outcome(receipt["instanceId"])
    api.get("missing")
    api.list(limit="x")
    assert checker.checked >= 12
