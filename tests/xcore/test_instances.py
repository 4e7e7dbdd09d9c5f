"""Create, read, update, patch: the envelope, etags, annotations and validation."""

import re

import pytest

from tests.support import HAL, RECEIPT, TEST_ITEM, Api


def test_create_answers_201_with_receipt_location_and_content_base(api: Api) -> None:
    response = api.create({"xdm:name": "Banner", "xdm:priority": 2})
    assert response.status_code == 201
    assert response.headers["Content-Type"] == RECEIPT
    receipt = response.json()
    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
        receipt["instanceId"],
    )
    assert re.fullmatch(r"xcore:test-item:[0-9a-f]{15}", receipt["@id"])
    assert receipt["repo:etag"] == 1
    assert receipt["repo:createdDate"] == receipt["repo:lastModifiedDate"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", receipt["repo:createdDate"])
    assert receipt["repo:createdByClientId"] == "test-client"
    assert receipt["repo:createdBy"].endswith("@techacct.adobe.com")
    assert response.headers["ETag"] == '"1"'
    location = response.headers["Location"]
    assert location == f"{api.container}/instances/{receipt['instanceId']}"
    base = response.headers["Content-Base"]
    assert base.endswith("/data/core/xcore/")
    # The relative Location resolves against Content-Base to the instance.
    assert api.session.get(base + location).status_code == 200


def test_read_returns_hal_with_schemas_envelope_and_self_link(api: Api) -> None:
    receipt = api.create_ok({"xdm:name": "Banner"})
    response = api.get(receipt["instanceId"])
    assert response.status_code == 200
    assert response.headers["Content-Type"] == f'{HAL}; schema="{TEST_ITEM};version=0.1"'
    doc = response.json()
    assert doc["schemas"] == [f"{TEST_ITEM};version=0.1"]
    assert doc["_instance"] == {"@id": receipt["@id"], "xdm:name": "Banner"}
    assert doc["_links"]["self"]["href"] == f"/{api.container}/instances/{receipt['instanceId']}"
    assert doc["_links"]["self"]["name"] == receipt["@id"]
    for key in (
        "repo:etag",
        "repo:createdDate",
        "repo:lastModifiedDate",
        "repo:createdBy",
        "repo:lastModifiedBy",
        "repo:createdByClientId",
        "repo:lastModifiedByClientId",
    ):
        assert doc[key] == receipt[key]


def test_a_304_names_the_etag_it_confirms(api: Api) -> None:
    iid = api.create_ok({"xdm:name": "Banner"})["instanceId"]
    assert api.get(iid).headers["ETag"] == '"1"'  # the read's answer, prepared, is reused
    unchanged = api.get(iid, **{"If-None-Match": '"1"'})
    assert unchanged.status_code == 304
    assert unchanged.headers["ETag"] == '"1"'


def test_etag_header_is_spelled_as_adobe_spells_it(api: Api) -> None:
    """Header names are case-insensitive, but a faithful mock writes ``ETag``, not ``Etag``."""
    iid = api.create_ok({"xdm:name": "Banner"})["instanceId"]
    for response in (api.get(iid), api.get(iid, **{"If-None-Match": '"1"'})):
        sent = [name for name, _ in response.raw.headers.items()]  # names as on the wire
        assert "ETag" in sent, sent


def test_if_none_match_answers_304_while_unchanged(api: Api) -> None:
    iid = api.create_ok({"xdm:name": "Banner"})["instanceId"]
    assert api.get(iid, **{"If-None-Match": '"1"'}).status_code == 304
    assert api.patch(iid, [{"op": "add", "path": "/_instance/xdm:priority", "value": 1}]).ok
    fresh = api.get(iid, **{"If-None-Match": '"1"'})
    assert fresh.status_code == 200
    assert fresh.headers["ETag"] == '"2"'
    assert fresh.json()["repo:etag"] == 2


def test_etags_are_quoted_strings_in_headers_and_numbers_in_bodies(api: Api) -> None:
    response = api.create({"xdm:name": "Banner"})
    assert response.headers["ETag"] == '"1"'
    assert response.json()["repo:etag"] == 1
    assert isinstance(api.get(response.json()["instanceId"]).json()["repo:etag"], int)


def test_put_replaces_the_instance_and_bumps_the_etag(api: Api) -> None:
    receipt = api.create_ok({"xdm:name": "Banner", "xdm:priority": 1, "xdm:code": "B1"})
    iid = receipt["instanceId"]
    response = api.put(
        iid,
        {
            "_instance": {"xdm:name": "Bigger banner", "xdm:code": "B1"},
            "_links": {"related": {"href": "https://example.com/x"}},
        },
        if_match='"1"',
    )
    assert response.status_code == 200, response.text
    assert response.json()["repo:etag"] == 2
    doc = api.get(iid).json()
    # @id is carried over by PUT; the priority the PUT left out is gone.
    assert doc["_instance"] == {
        "@id": receipt["@id"],
        "xdm:name": "Bigger banner",
        "xdm:code": "B1",
    }
    assert doc["_links"]["related"] == {"href": "https://example.com/x"}
    assert doc["repo:createdDate"] == receipt["repo:createdDate"]


def test_patch_addresses_the_whole_hal_document(api: Api) -> None:
    iid = api.create_ok({"xdm:name": "Banner"})["instanceId"]
    ops = [
        {"op": "add", "path": "/_instance/xdm:labels", "value": []},
        {"op": "add", "path": "/_instance/xdm:labels/-", "value": "home"},
        {"op": "add", "path": "/_links/help", "value": {"href": "https://example.com/help"}},
        {"op": "test", "path": "/repo:etag", "value": 1},
    ]
    response = api.patch(iid, ops, if_match='"1"')
    assert response.status_code == 200, response.text
    doc = api.get(iid).json()
    assert doc["_instance"]["xdm:labels"] == ["home"]
    assert doc["_links"]["help"] == {"href": "https://example.com/help"}


def test_patch_may_not_touch_envelope_or_self_link(api: Api) -> None:
    iid = api.create_ok({"xdm:name": "Banner"})["instanceId"]
    for op in (
        {"op": "replace", "path": "/repo:etag", "value": 7},
        {"op": "replace", "path": "/instanceId", "value": "other"},
        {"op": "replace", "path": "/_links/self/href", "value": "/elsewhere"},
    ):
        response = api.patch(iid, [op])
        assert response.status_code == 422, op
        assert response.json()["errors"][0]["rule"] == "read-only"
    assert api.get(iid).json()["repo:etag"] == 1


def test_stale_if_match_answers_409_and_changes_nothing(api: Api) -> None:
    iid = api.create_ok({"xdm:name": "Banner"})["instanceId"]
    op = [{"op": "replace", "path": "/_instance/xdm:name", "value": "first"}]
    assert api.patch(iid, op, if_match='"1"').status_code == 200
    stale = api.patch(
        iid, [{"op": "replace", "path": "/_instance/xdm:name", "value": "second"}], if_match='"1"'
    )
    assert stale.status_code == 409
    assert stale.json()["errors"][0]["rule"] == "if-match"
    stale_put = api.put(iid, {"_instance": {"xdm:name": "third"}, "_links": {}}, if_match='"1"')
    assert stale_put.status_code == 409
    assert api.get(iid).json()["_instance"]["xdm:name"] == "first"
    assert api.patch(iid, op, if_match="*").status_code == 200


def test_id_is_generated_immutable_and_not_user_editable(api: Api) -> None:
    sent = api.create({"@id": "xcore:test-item:000000000000001", "xdm:name": "x"})
    assert sent.status_code == 422
    assert sent.json()["errors"][0] == {
        "rule": "usereditable",
        "pointer": "/_instance/@id",
        "message": "this property is set by the repository, not by clients",
    }
    receipt = api.create_ok({"xdm:name": "x"})
    changed = api.patch(
        receipt["instanceId"],
        [{"op": "replace", "path": "/_instance/@id", "value": "xcore:test-item:000000000000002"}],
    )
    assert changed.status_code == 422
    assert {e["rule"] for e in changed.json()["errors"]} == {"immutable", "usereditable"}
    removed = api.patch(receipt["instanceId"], [{"op": "remove", "path": "/_instance/@id"}])
    assert removed.status_code == 422
    same = api.put(
        receipt["instanceId"], {"_instance": {"@id": receipt["@id"], "xdm:name": "y"}, "_links": {}}
    )
    assert same.status_code == 200


def test_immutable_property_can_be_set_at_creation_but_never_changed(api: Api) -> None:
    iid = api.create_ok({"xdm:name": "x", "xdm:code": "C1"})["instanceId"]
    response = api.patch(iid, [{"op": "replace", "path": "/_instance/xdm:code", "value": "C2"}])
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "rule": "immutable",
            "pointer": "/_instance/xdm:code",
            "message": "this property cannot change once set",
        }
    ]
    assert api.get(iid).json()["_instance"]["xdm:code"] == "C1"


@pytest.mark.mockxcore(strict=False)  # sends invalid requests on purpose
def test_schema_violations_list_every_failing_pointer(api: Api) -> None:
    response = api.create(
        {"xdm:priority": -1, "xdm:status": "live", "xdm:bogus": 1, "xdm:startDate": "yesterday"}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["type"] == "urn:mockxcore:problem:validation-failed"
    pointers = {e["pointer"] for e in body["errors"]}
    assert pointers == {
        "/_instance/xdm:name",
        "/_instance/xdm:priority",
        "/_instance/xdm:status",
        "/_instance/xdm:bogus",
        "/_instance/xdm:startDate",
    }
    assert all(e["rule"] == "schema" for e in body["errors"])


@pytest.mark.mockxcore(strict=False)  # sends invalid requests on purpose
def test_links_are_required_but_may_be_empty(api: Api) -> None:
    response = api.session.post(
        api.url("/instances"),
        json={"_instance": {"xdm:name": "x"}},
        headers={"Content-Type": f'{HAL}; schema="{TEST_ITEM}"'},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/_links"


def test_references_must_exist_and_have_the_declared_schema(api: Api) -> None:
    missing = api.create({"xdm:name": "x", "xdm:related": ["xcore:test-item:0000000000000ff"]})
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["rule"] == "reference"
    assert missing.json()["errors"][0]["pointer"] == "/_instance/xdm:related/0"
    target = api.create_ok({"xdm:name": "target"})
    assert api.create({"xdm:name": "y", "xdm:related": [target["@id"]]}).status_code == 201


@pytest.mark.mockxcore(strict=False)  # sends invalid requests on purpose
def test_put_cannot_change_the_schema(api: Api) -> None:
    iid = api.create_ok({"xdm:name": "x"})["instanceId"]
    response = api.put(
        iid,
        {"_instance": {"repo:name": "x"}, "_links": {}},
        schema="https://ns.adobe.com/experience/xcore/container",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["rule"] == "schema-change"


@pytest.mark.parametrize("method", ["get", "patch", "put", "delete"])
def test_unknown_instance_is_404(api: Api, method: str) -> None:
    call = {
        "get": lambda: api.get("nope"),
        "patch": lambda: api.patch("nope", [{"op": "remove", "path": "/_instance/x"}]),
        "put": lambda: api.put("nope", {"_instance": {"xdm:name": "x"}, "_links": {}}),
        "delete": lambda: api.delete("nope"),
    }[method]
    response = call()
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"


def test_unknown_container_is_404(api: Api) -> None:
    response = api.session.get(
        api.root + "/no-such-container/instances", params={"schema": TEST_ITEM}
    )
    assert response.status_code == 404
    assert response.json()["type"] == "urn:mockxcore:problem:not-found"
    assert "no-such-container" in response.json()["detail"]


def test_registering_a_schema_is_one_argument() -> None:
    from mockxcore import MockServer

    coupon = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://example.com/schemas/coupon",
        "meta:version": "1.2",
        "type": "object",
        "properties": {
            "@id": {"type": "string", "meta:immutable": True, "meta:usereditable": False},
            "code": {"type": "string", "pattern": "^[A-Z]{4}$"},
        },
        "required": ["code"],
    }
    with MockServer(schemas=[coupon]) as mock:
        api = Api(mock.url)
        receipt = api.create_ok({"code": "SAVE"}, schema="https://example.com/schemas/coupon")
        assert receipt["@id"].startswith("xcore:coupon:")
        assert (
            api.create({"code": "no"}, schema="https://example.com/schemas/coupon").status_code
            == 422
        )
        doc = api.get(receipt["instanceId"]).json()
        assert doc["schemas"] == ["https://example.com/schemas/coupon;version=1.2"]
    with MockServer() as plain:
        # Registered for that server only.
        response = Api(plain.url).create(
            {"code": "SAVE"}, schema="https://example.com/schemas/coupon"
        )
        assert response.status_code == 400


def test_etags_never_issued_match_nothing(api: Api) -> None:
    """HTTP: If-None-Match with a foreign etag reads; If-Match with one is a mismatch."""
    iid = api.create_ok({"xdm:name": "x"})["instanceId"]
    assert api.get(iid, **{"If-None-Match": '"abc"'}).status_code == 200
    assert api.get(iid, **{"If-None-Match": '"abc", "1"'}).status_code == 304
    patch = [{"op": "replace", "path": "/_instance/xdm:name", "value": "y"}]
    assert api.patch(iid, patch, if_match='"abc"').status_code == 409
    assert api.patch(iid, patch, if_match='"abc", "1"').status_code == 200


def test_numbers_and_long_digit_strings_are_kept_exactly(api: Api) -> None:
    details = {
        "largest": 18446744073709551615,
        "smallest": -9223372036854775808,
        "digits": "123456789012345678901234567890",
        "fraction": 0.1234567890123456789,
    }
    iid = api.create_ok({"xdm:name": "Banner", "xdm:details": details})["instanceId"]
    assert api.get(iid).json()["_instance"]["xdm:details"] == details
