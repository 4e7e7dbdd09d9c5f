"""Bad input of every kind: a 4xx problem body, never a 500, and the state unchanged."""

from collections.abc import Callable
from typing import Any

import pytest
import requests

from mockxcore import MockServer
from tests.support import HAL, PATCH_HAL, TEST_ITEM, Api

# These tests send invalid requests on purpose: no contract check at teardown.
pytestmark = pytest.mark.mockxcore(strict=False)

Call = Callable[[Api, str], requests.Response]


def _post(body: bytes, content_type: str = f'{HAL}; schema="{TEST_ITEM}"') -> Call:
    return lambda api, iid: api.session.post(
        api.url("/instances"), data=body, headers={"Content-Type": content_type}
    )


def _patch(body: Any, raw: bool = False) -> Call:
    def call(api: Api, iid: str) -> requests.Response:
        data = body if raw else None
        return api.session.patch(
            api.url(f"/instances/{iid}"),
            data=data,
            json=None if raw else body,
            headers={"Content-Type": PATCH_HAL},
        )

    return call


def _list(**params: Any) -> Call:
    return lambda api, iid: api.list(**params)


CASES: dict[str, tuple[Call, int]] = {
    "malformed json": (_post(b'{"_instance": '), 400),
    "empty body": (_post(b""), 400),
    "body is an array": (_post(b"[]"), 422),
    "instance is a string": (_post(b'{"_instance": "x", "_links": {}}'), 422),
    "wrong type": (_post(b'{"_instance": {"xdm:name": 5}, "_links": {}}'), 422),
    "unknown schema": (
        _post(b'{"_instance": {}, "_links": {}}', f'{HAL}; schema="https://example.com/unknown"'),
        400,
    ),
    # Integers past 64 bits cannot be kept exactly (orjson would read them as floats).
    "integer beyond 64 bits": (
        _post(
            b'{"_instance": {"xdm:name": "x", "xdm:details": {"n": 18446744073709551616}}, '
            b'"_links": {}}'
        ),
        400,
    ),
    "negative integer beyond 64 bits": (
        _post(
            b'{"_instance": {"xdm:name": "x", "xdm:details": {"n": -9223372036854775809}}, '
            b'"_links": {}}'
        ),
        400,
    ),
    "body that cannot be decompressed": (
        lambda api, iid: api.session.post(
            api.url("/instances"),
            data=b'{"_instance": {"xdm:name": "x"}, "_links": {}}',
            headers={"Content-Type": f'{HAL}; schema="{TEST_ITEM}"', "Content-Encoding": "gzip"},
        ),
        400,
    ),
    "patch not an array": (_patch({"op": "add"}), 400),
    "patch empty": (_patch([]), 400),
    "patch unknown op": (_patch([{"op": "frobnicate", "path": "/_instance"}]), 400),
    "patch op without path": (_patch([{"op": "add", "value": 1}]), 400),
    "patch missing target": (
        _patch([{"op": "replace", "path": "/_instance/nope/x", "value": 1}]),
        422,
    ),
    "patch failing test": (
        _patch([{"op": "test", "path": "/_instance/xdm:name", "value": "other"}]),
        422,
    ),
    "patch removes instance": (_patch([{"op": "remove", "path": "/_instance"}]), 422),
    "patch bad pointer": (_patch([{"op": "add", "path": "no-slash", "value": 1}]), 400),
    "patch invalid result": (
        _patch([{"op": "add", "path": "/_instance/xdm:priority", "value": "high"}]),
        422,
    ),
    "patch malformed json": (_patch(b"[{", raw=True), 400),
    # An etag never issued matches nothing (HTTP): a mismatch, not a malformed request.
    "foreign if-match": (lambda api, iid: api.patch(iid, [], if_match="not-an-etag"), 409),
    "bad filter path": (_list(property="xdm:name==x"), 400),
    # A filter written wrong must not read as a property nothing has (an empty 200 page).
    "filter with a single =": (_list(property="_instance.xdm:name=original"), 400),
    "filter with a spaced operator": (_list(property="_instance.xdm:name =~ orig.*"), 400),
    "filter without a value": (_list(property="_instance.xdm:priority>"), 400),
    "filter == without a value": (_list(property="_instance.xdm:name=="), 400),
    "filter ~ without a pattern": (_list(property="_instance.xdm:name~"), 400),
    "bad regex": (_list(property="_instance.xdm:name~(unclosed"), 400),
    "regex too long": (_list(property="_instance.xdm:name~" + "a" * 2000), 400),
    "non-integer limit": (_list(limit="ten"), 400),
    "zero limit": (_list(limit=0), 400),
    "empty orderBy item": (_list(orderBy="_instance.xdm:name,,"), 400),
    "orderBy unknown path": (_list(orderBy="whatever"), 400),
    "missing schema": (lambda api, iid: api.session.get(api.url("/instances")), 400),
    "repeated limit": (_list(limit=[1, 2]), 400),
    "too many filters": (_list(property=["_instance.xdm:name"] * 40), 400),
    "unknown route": (lambda api, iid: api.session.get(api.root + "/a/b/c/d/e"), 404),
    "wrong method": (lambda api, iid: api.session.post(api.url(f"/instances/{iid}")), 405),
    "unknown container": (
        lambda api, iid: api.session.get(
            api.root + "/nope/instances", params={"schema": TEST_ITEM}
        ),
        404,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_a_4xx_problem_and_changes_nothing(mockxcore: MockServer, case: str) -> None:
    api = Api(mockxcore.url)
    iid = api.create_ok({"xdm:name": "original"})["instanceId"]
    before = mockxcore.export_state()
    call, status = CASES[case]
    response = call(api, iid)
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= {"type", "title", "status", "detail", "errors"}
    assert body["status"] == status
    assert body["errors"], "the problem names what failed"
    assert "Traceback" not in response.text
    assert mockxcore.export_state() == before


def test_body_size_is_bounded() -> None:
    with MockServer() as mock:
        assert mock.config.max_body == 1 << 20
        api = Api(mock.url)
        huge = b'{"_instance": {"xdm:name": "' + b"x" * (2 << 20) + b'"}, "_links": {}}'
        response = api.session.post(
            api.url("/instances"),
            data=huge,
            headers={"Content-Type": f'{HAL}; schema="{TEST_ITEM}"'},
        )
        assert response.status_code == 413
        assert response.json()["type"] == "urn:mockxcore:problem:body-too-large"
