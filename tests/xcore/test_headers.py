"""Adobe's required headers, request ids, and content negotiation."""

import pytest
import requests

from mockxcore import MockServer
from tests.support import HAL, PATCH_HAL, RECEIPT, TEST_ITEM, Api, headers

# These tests send invalid requests on purpose: no contract check at teardown.
pytestmark = pytest.mark.mockxcore(strict=False)


@pytest.mark.parametrize(
    ("missing", "status"),
    [("Authorization", 401), ("x-api-key", 403), ("x-gw-ims-org-id", 403), ("x-sandbox-name", 403)],
)
def test_missing_header_is_refused(mockxcore: MockServer, missing: str, status: int) -> None:
    sent = headers()
    del sent[missing]
    response = requests.get(mockxcore.url + "/data/core/xcore/", headers=sent)
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["pointer"] == f"/headers/{missing}"


def test_authorization_must_be_a_bearer_token(mockxcore: MockServer) -> None:
    response = requests.get(
        mockxcore.url + "/data/core/xcore/", headers=headers(Authorization="Basic dXNlcjpwdw==")
    )
    assert response.status_code == 401


def test_auth_off_needs_no_headers() -> None:
    with MockServer(auth="off") as mock:
        response = requests.get(mock.url + "/data/core/xcore/")
        assert response.status_code == 200


def test_request_id_is_echoed_on_success_and_error(api: Api) -> None:
    ok = api.session.get(api.root + "/", headers={"x-request-id": "abc-123"})
    assert ok.headers["x-request-id"] == "abc-123"
    failed = api.session.get(api.url("/instances/nope"), headers={"x-request-id": "def-456"})
    assert failed.status_code == 404
    assert failed.headers["x-request-id"] == "def-456"


def test_account_and_client_come_from_the_token_and_api_key(mockxcore: MockServer) -> None:
    # An unsigned JWT whose claims name the user and client (as Adobe's IMS tokens do).
    token = (
        "eyJhbGciOiJub25lIn0."
        "eyJ1c2VyX2lkIjoiQUJDQHRlY2hhY2N0LmFkb2JlLmNvbSIsImNsaWVudF9pZCI6Im15LWFwcCJ9."
    )
    api = Api(mockxcore.url)
    api.session.headers["Authorization"] = f"Bearer {token}"
    receipt = api.create_ok({"xdm:name": "x"})
    assert receipt["repo:createdBy"] == "ABC@techacct.adobe.com"
    assert receipt["repo:createdByClientId"] == "my-app"


def test_create_needs_the_hal_media_type_with_a_schema(api: Api) -> None:
    url = api.url("/instances")
    body = {"_instance": {"xdm:name": "x"}, "_links": {}}
    no_schema = api.session.post(url, json=body, headers={"Content-Type": HAL})
    assert no_schema.status_code == 415
    wrong = api.session.post(url, json=body, headers={"Content-Type": "text/plain"})
    assert wrong.status_code == 415
    assert HAL in wrong.json()["detail"]
    versioned = api.session.post(
        url, json=body, headers={"Content-Type": f'{HAL}; schema="{TEST_ITEM};version=0.1"'}
    )
    assert versioned.status_code == 201
    plain_json = api.session.post(
        url, json=body, headers={"Content-Type": f'application/json; schema="{TEST_ITEM}"'}
    )
    assert plain_json.status_code == 201


def test_unknown_schema_is_400_naming_where_it_was_given(api: Api) -> None:
    response = api.create({"xdm:name": "x"}, schema="https://ns.example.com/nope")
    assert response.status_code == 400
    assert response.json()["type"] == "urn:mockxcore:problem:unknown-schema"
    assert response.json()["errors"][0]["pointer"] == "/headers/Content-Type"
    for path in ("/instances", "/queries/core/search"):
        for schema, slug in (
            ("https://ns.example.com/nope", "unknown-schema"),
            ("https://ns.adobe.com/experience/xcore/container", "container-schema"),
        ):
            listed = api.session.get(api.url(path), params={"schema": schema})
            assert listed.status_code == 400
            assert listed.json()["type"] == f"urn:mockxcore:problem:{slug}"
            assert listed.json()["errors"][0]["pointer"] == "/query/schema"


def test_patch_needs_patch_hal(api: Api) -> None:
    iid = api.create_ok({"xdm:name": "x"})["instanceId"]
    op = [{"op": "replace", "path": "/_instance/xdm:name", "value": "y"}]
    wrong = api.session.patch(
        api.url(f"/instances/{iid}"),
        json=op,
        headers={"Content-Type": f'{HAL}; schema="{TEST_ITEM}"'},
    )
    assert wrong.status_code == 415
    assert PATCH_HAL in wrong.json()["detail"]
    assert (
        api.session.patch(
            api.url(f"/instances/{iid}"), json=op, headers={"Content-Type": "application/json"}
        ).status_code
        == 200
    )


@pytest.mark.parametrize(
    "accept",
    [
        f'*, {HAL}; schema="{TEST_ITEM}"',
        f'{HAL}; schema="{TEST_ITEM};version=0.1"',
        "application/json",
        "*/*",
        "application/*;q=0.5",
    ],
)
def test_accept_lists_as_adobe_writes_them(api: Api, accept: str) -> None:
    iid = api.create_ok({"xdm:name": "x"})["instanceId"]
    assert api.get(iid, Accept=accept).status_code == 200


@pytest.mark.parametrize(
    "accept",
    ["text/html", RECEIPT, f'{HAL}; schema="https://ns.adobe.com/other"', "application/json;q=0"],
)
def test_unacceptable_accept_is_406_naming_the_offer(api: Api, accept: str) -> None:
    iid = api.create_ok({"xdm:name": "x"})["instanceId"]
    response = api.get(iid, Accept=accept)
    assert response.status_code == 406
    assert TEST_ITEM in response.json()["detail"]


def test_receipt_accept_is_checked_on_writes(api: Api) -> None:
    response = api.session.post(
        api.url("/instances"),
        json={"_instance": {"xdm:name": "x"}, "_links": {}},
        headers={"Content-Type": f'{HAL}; schema="{TEST_ITEM}"', "Accept": "text/csv"},
    )
    assert response.status_code == 406
    assert RECEIPT in response.json()["detail"]


@pytest.mark.parametrize("where", ["home", "containers", "list", "search"])
def test_unacceptable_accept_is_406_on_home_lists_and_search(api: Api, where: str) -> None:
    api.create_ok({"xdm:name": "x"})
    offered = {
        "home": "home.hal+json",
        "containers": "hal+json",
        "list": "hal+json",
        "search": "hal+json",
    }[where]
    accept = {"Accept": "text/html"}
    response = {
        "home": lambda: api.session.get(api.root + "/", headers=accept),
        "containers": lambda: api.session.get(api.root + "/containers", headers=accept),
        "list": lambda: api.session.get(
            api.url("/instances"), params={"schema": TEST_ITEM}, headers=accept
        ),
        "search": lambda: api.session.get(
            api.url("/queries/core/search"), params={"schema": TEST_ITEM, "q": "x"}, headers=accept
        ),
    }[where]()
    assert response.status_code == 406, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    assert offered in response.json()["detail"]
    # The same request with an acceptable Accept is answered.
    assert (
        api.session.get(response.request.url, headers={"Accept": "application/json"}).status_code
        == 200
    )
