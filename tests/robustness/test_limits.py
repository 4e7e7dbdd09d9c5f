"""Every input is bounded, and each limit answers a clear 4xx naming it."""

import json
import socket
import time
from typing import Any

import pytest
import requests

from mockxcore import MockServer
from mockxcore.jsonbody import MAX_DEPTH
from mockxcore.xcore.repository import MAX_TENANTS
from tests.support import HAL, TEST_ITEM, Api

pytestmark = pytest.mark.mockxcore(strict=False)  # these requests break limits on purpose


def limit_error(response: requests.Response, status: int = 400) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["errors"][0]["rule"] == "limits"
    return body


def test_body_size_is_configurable() -> None:
    with MockServer(max_body=2048) as mock:
        api = Api(mock.url)
        small = api.create({"xdm:name": "x", "xdm:description": "x" * 500})
        assert small.status_code == 201
        big = api.create({"xdm:name": "x", "xdm:description": "x" * 4000})
        body = limit_error(big, 413)
        assert "too large" in body["detail"].lower() or "2048" in body["detail"]


def test_nesting_depth(mockxcore: MockServer) -> None:
    api = Api(mockxcore.url)
    nested: Any = "x"
    for _ in range(MAX_DEPTH + 5):
        nested = {"d": nested}
    body = limit_error(api.create({"xdm:name": "x", "xdm:details": nested}))
    assert str(MAX_DEPTH) in body["detail"]
    raw = b'{"_instance": ' + b"[" * 5000 + b"]" * 5000 + b', "_links": {}}'
    response = api.session.post(
        api.url("/instances"), data=raw, headers={"Content-Type": f'{HAL}; schema="{TEST_ITEM}"'}
    )
    limit_error(response)
    assert api.list().json()["_embedded"]["total"] == 0


def test_page_limit_is_clamped(mockxcore: MockServer) -> None:
    api = Api(mockxcore.url)
    for n in range(3):
        api.create_ok({"xdm:name": f"n{n}"})
    response = api.list(limit=10**9)
    assert response.status_code == 200
    assert response.json()["_embedded"]["count"] == 3
    assert mockxcore.config.max_limit == 1000


@pytest.mark.parametrize(
    ("params", "slug"),
    [
        ({"property": ["_instance.xdm:name"] * 33}, "too-many-filters"),
        ({"id": [f"xcore:test-item:{n:015x}" for n in range(101)]}, "too-many-ids"),
        ({"property": "_instance.xdm:name~" + "a" * 1025}, "regex-too-long"),
    ],
)
def test_query_sizes(mockxcore: MockServer, params: dict[str, Any], slug: str) -> None:
    body = limit_error(Api(mockxcore.url).list(**params))
    assert body["type"] == f"urn:mockxcore:problem:{slug}"


def test_product_and_field_repeats_are_bounded(mockxcore: MockServer) -> None:
    api = Api(mockxcore.url)
    for path in ("/", "/containers"):
        response = api.session.get(api.root + path, params={"product": ["acp"] * 33})
        assert limit_error(response)["type"] == "urn:mockxcore:problem:too-many-filters"
        assert api.session.get(api.root + path, params={"product": ["acp"] * 32}).ok
    response = api.search(q="x", field=["_instance.xdm:name"] * 33)
    assert limit_error(response)["type"] == "urn:mockxcore:problem:too-many-fields"


def test_search_terms_are_bounded(mockxcore: MockServer) -> None:
    api = Api(mockxcore.url)
    body = limit_error(api.search(q=" ".join(f"term{n}" for n in range(40))))
    assert body["type"] == "urn:mockxcore:problem:too-many-terms"


def test_a_catastrophic_regex_cannot_stall_the_server(mockxcore: MockServer) -> None:
    api = Api(mockxcore.url)
    api.create_ok({"xdm:name": "a" * 200 + "!", "xdm:description": "a" * 4000 + "!"})
    # (a+)+$ backtracks exponentially in Python's re; RE2 answers in linear time.
    started = time.perf_counter()
    response = api.session.get(
        api.url("/instances"),
        timeout=30,
        params={
            "schema": TEST_ITEM,
            "property": ["_instance.xdm:name~(a+)+$", "_instance.xdm:description~(a|aa)+$"],
        },
    )
    assert response.status_code == 200
    assert response.json()["_embedded"]["count"] == 0
    assert time.perf_counter() - started < 10  # would not finish in a lifetime by backtracking
    # The server keeps answering.
    assert api.list().status_code == 200


def test_decision_events_are_a_bounded_ring() -> None:
    from mockxcore.store.memory import MAX_DECISIONS_PER_TENANT, MemoryStore

    store = MemoryStore()
    tenant = ("o", "s")
    for n in range(MAX_DECISIONS_PER_TENANT + 10):
        store.add_decision(tenant, {"n": n})
    events = store.decisions(tenant)
    assert len(events) == MAX_DECISIONS_PER_TENANT
    assert events[0]["n"] == 10


@pytest.mark.parametrize(
    "params",
    [
        {"orderBy": "_instance.xdm:priority", "start": "1e400"},
        {"property": "_instance.xdm:priority>1e400"},
        {"property": "_instance.xdm:priority==" + "9" * 5000},
    ],
)
def test_numbers_out_of_range_are_400(mockxcore: MockServer, params: dict[str, Any]) -> None:
    body = limit_error(Api(mockxcore.url).list(**params))
    assert body["type"] == "urn:mockxcore:problem:bad-number"


@pytest.mark.parametrize(
    ("instance", "pointer"),
    [
        ({"xdm:name": "x", "xdm:priority": 2**40}, "/_instance/xdm:priority"),
        ({"xdm:name": "   "}, "/_instance/xdm:name"),
    ],
)
def test_integers_and_names_are_bounded(
    mockxcore: MockServer, instance: dict[str, Any], pointer: str
) -> None:
    response = Api(mockxcore.url).create(instance)
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == pointer


@pytest.mark.parametrize("number", [2**64, 2**70, -(2**63) - 1, 10**30])
def test_integers_past_64_bits_are_refused_not_rounded(mockxcore: MockServer, number: int) -> None:
    """orjson would read them as floats: stored, they would come back as other numbers."""
    body = limit_error(Api(mockxcore.url).create({"xdm:name": "x", "xdm:priority": number}))
    assert body["type"] == "urn:mockxcore:problem:number-out-of-range"


def test_the_number_of_tenants_is_bounded(mockxcore: MockServer) -> None:
    """Every new org + sandbox costs memory (and gets a container): at 10,000 a new one is
    refused, while those already known carry on."""
    known = [{"org": f"org-{n}@AdobeOrg", "sandbox": "prod"} for n in range(MAX_TENANTS)]
    mockxcore.import_state({"tenants": known})
    refused = Api(mockxcore.url, org="one-too-many@AdobeOrg").session.get(
        mockxcore.url + "/data/core/xcore/"
    )
    body = limit_error(refused, 507)
    assert body["type"] == "urn:mockxcore:problem:too-many-tenants"
    known_one = Api(mockxcore.url, org="org-7@AdobeOrg")
    assert known_one.session.get(mockxcore.url + "/data/core/xcore/").status_code == 200


def test_a_body_that_cannot_be_decompressed_is_a_400_on_the_control_plane(
    mockxcore: MockServer,
) -> None:
    """The handler reads this body itself (the control plane is not journaled)."""
    response = requests.put(
        mockxcore.url + "/__admin/target/geo/1.2.3.4",
        data=b'{"city": "Basel"}',
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
    )
    assert response.status_code == 400, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    assert "could not be read" in response.json()["detail"]
    geo = requests.get(mockxcore.url + "/v1/geo", headers={"x-forwarded-for": "1.2.3.4"})
    assert geo.status_code == 200 and "x-geo-city" not in geo.headers  # nothing was set


@pytest.mark.parametrize(
    "head",
    [
        b"GET /data/core/xcore/ HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        b"POST /rest/v1/delivery HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n",
    ],
)
def test_a_request_http_cannot_parse_is_a_problem_too(mockxcore: MockServer, head: bytes) -> None:
    """It never reaches the app (aiohttp's parser refuses it): still a JSON problem body."""
    with socket.create_connection(("127.0.0.1", mockxcore.port), timeout=5) as conn:
        conn.sendall(head)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    status_line, _, rest = answer.partition(b"\r\n")
    headers, _, body = rest.partition(b"\r\n\r\n")
    assert status_line.split()[1] == b"400", answer
    assert b"Content-Type: application/problem+json" in headers
    problem = json.loads(body)
    assert problem["status"] == 400 and problem["type"].endswith("bad-http-request")
    assert "Traceback" not in problem["detail"]
