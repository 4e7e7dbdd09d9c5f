"""The journal: what is recorded, masking, filters, bounds, --record, and domain assertions."""

import http.client
import json
import time
from pathlib import Path

import pytest
import requests

from mockxcore import MockServer
from tests.support import Api, hal_type, headers

HAL_TEST_ITEM = hal_type()


def test_requests_and_answers_are_recorded_with_secrets_masked(mockxcore: MockServer) -> None:
    api = Api(mockxcore.url)
    receipt = api.create_ok({"xdm:name": "x"})
    entry = mockxcore.journal.filter(method="POST")[0]
    assert entry["path"] == f"/data/core/xcore/{api.container}/instances"
    assert entry["status"] == 201
    assert entry["body"] == {"_instance": {"xdm:name": "x"}, "_links": {}}
    assert entry["responseBody"]["instanceId"] == receipt["instanceId"]
    assert entry["responseHeaders"]["Location"].endswith(receipt["instanceId"])
    assert entry["headers"]["Authorization"] == "Bearer ***"
    assert entry["headers"]["x-api-key"] == "***"
    assert entry["headers"]["x-gw-ims-org-id"] == "test@AdobeOrg"
    assert entry["durationMs"] > 0
    assert "test-token" not in json.dumps(mockxcore.journal)
    # The control plane itself is not journaled.
    requests.get(mockxcore.url + "/__admin/health")
    assert all(not e["path"].startswith("/__admin") for e in mockxcore.journal)


def test_an_entry_times_its_own_answer_not_the_journal(mockxcore: MockServer) -> None:
    """``elapsed`` counts from the journal's start; ``durationMs`` only from the request's."""
    time.sleep(0.3)
    requests.get(mockxcore.url + "/data/core/xcore/", headers=headers())
    entry = mockxcore.journal.filter(path="/data/core/xcore/")[-1]
    assert entry["elapsed"] >= 0.3
    assert 0 < entry["durationMs"] < 250


def test_the_query_is_journaled_decoded_once(mockxcore: MockServer) -> None:
    # "%2525" is the text "%25": decoding it twice would journal "%".
    url = mockxcore.url + "/data/core/xcore/?product=a%2525b&product=c+d&empty="
    requests.get(url, headers=headers())
    entry = mockxcore.journal.filter(path="/data/core/xcore/")[-1]
    assert entry["query"] == {"product": ["a%25b", "c d"], "empty": [""]}
    # A fragment a client sends along is not part of the query.
    host, port = mockxcore.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port))
    connection.request("GET", "/data/core/xcore/?product=x#frag", headers=headers())
    assert connection.getresponse().status == 200
    connection.close()
    entry = mockxcore.journal.filter(path="/data/core/xcore/")[-1]
    assert entry["query"] == {"product": ["x"]}


def test_journal_over_http_with_filters_and_clear(mockxcore: MockServer) -> None:
    api = Api(mockxcore.url)
    iid = api.create_ok({"xdm:name": "x"})["instanceId"]
    api.get(iid)
    api.get("missing")
    journal = mockxcore.url + "/__admin/journal"
    assert [e["method"] for e in requests.get(journal).json()] == ["GET", "POST", "GET", "GET"]
    assert len(requests.get(journal, params={"method": "get"}).json()) == 3
    assert len(requests.get(journal, params={"status": 404}).json()) == 1
    assert (
        len(requests.get(journal, params={"path": "/data/core/xcore/" + api.container}).json()) == 3
    )
    assert requests.get(journal, params={"status": "x"}).status_code == 400
    assert requests.delete(journal).json() == []
    assert requests.get(journal).json() == []
    assert len(mockxcore.journal) == 0


def test_python_journal_filters(mockxcore: MockServer) -> None:
    api = Api(mockxcore.url)
    iid = api.create_ok({"xdm:name": "x"})["instanceId"]
    api.patch(iid, [{"op": "add", "path": "/_instance/xdm:priority", "value": 1}])
    api.patch(iid, [{"op": "add", "path": "/_instance/xdm:priority", "value": -1}])
    assert len(mockxcore.journal.filter(method="PATCH")) == 2
    assert [e["status"] for e in mockxcore.journal.filter(method="patch", status=422)] == [422]
    mockxcore.clear_journal()
    assert mockxcore.journal == []


@pytest.mark.mockxcore(journal_size=3)
def test_the_journal_is_a_bounded_ring(mockxcore: MockServer) -> None:
    for _ in range(5):
        requests.get(mockxcore.url + "/data/core/xcore/", headers=headers())
    ids = [e["id"] for e in mockxcore.journal]
    assert ids == [3, 4, 5]


@pytest.mark.mockxcore(strict=False)  # sends invalid requests on purpose
def test_large_bodies_are_cut_and_flagged(mockxcore: MockServer) -> None:
    api = Api(mockxcore.url)
    api.create({"xdm:name": "x", "xdm:description": "y" * 100_000})
    entry = mockxcore.journal.filter(method="POST")[0]
    assert entry["truncated"] is True
    assert len(entry["body"]) <= 64 * 1024


@pytest.mark.mockxcore(strict=False)  # refused on purpose
def test_requests_the_control_plane_refuses_are_journaled_with_their_status(
    mockxcore: MockServer,
) -> None:
    """A body over --max-body (413) and one that cannot be decompressed (400) are answered
    before any handler runs: the journal still shows what the client got."""
    api = Api(mockxcore.url)
    url = api.url("/instances")
    content = {"Content-Type": HAL_TEST_ITEM}
    too_large = api.session.post(url, data=b"x" * (2 << 20), headers=content)
    unreadable = api.session.post(url, data=b"{}", headers={**content, "Content-Encoding": "gzip"})
    assert (too_large.status_code, unreadable.status_code) == (413, 400)
    assert [e["status"] for e in mockxcore.journal.filter(method="POST")] == [413, 400]


def test_record_streams_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    with MockServer(record=path) as mock:
        api = Api(mock.url)
        api.create_ok({"xdm:name": "x"})
        api.list()
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [(e["method"], e["status"]) for e in lines] == [
        ("GET", 200),
        ("POST", 201),
        ("GET", 200),
    ]
    assert lines[1]["headers"]["Authorization"] == "Bearer ***"


def test_undecodable_header_bytes_are_journaled_as_text(tmp_path: Path) -> None:
    """aiohttp keeps non-UTF-8 header bytes as surrogates, which JSON cannot carry."""
    path = tmp_path / "journal.jsonl"
    with MockServer(record=path) as mock:
        sent = requests.get(
            mock.url + "/data/core/xcore/", headers={**headers(), "x-note": "\xff\xfeok"}
        )
        assert sent.status_code == 200
        journal = requests.get(mock.url + "/__admin/journal")
        assert journal.status_code == 200
        assert journal.json()[0]["headers"]["x-note"] == "\ufffd\ufffdok"
    assert json.loads(path.read_text())["headers"]["x-note"] == "\ufffd\ufffdok"


def test_assert_every_write_used_if_match(mockxcore: MockServer) -> None:
    api = Api(mockxcore.url)
    iid = api.create_ok({"xdm:name": "x"})["instanceId"]
    api.patch(iid, [{"op": "add", "path": "/_instance/xdm:priority", "value": 1}], if_match='"1"')
    mockxcore.assert_every_write_used_if_match()
    api.patch(iid, [{"op": "add", "path": "/_instance/xdm:priority", "value": 2}])
    with pytest.raises(AssertionError, match=rf"PATCH /data/core/xcore/.*/instances/{iid}"):
        mockxcore.assert_every_write_used_if_match()


def test_assert_retry_after_respected(mockxcore: MockServer) -> None:
    mockxcore.add_fault(
        method="GET", path="/data/core/xcore/", action="status", status=429, retryAfter=1, times=2
    )
    url = mockxcore.url + "/data/core/xcore/"
    assert requests.get(url, headers=headers()).status_code == 429
    time.sleep(1.05)
    assert requests.get(url, headers=headers()).status_code == 429
    mockxcore.assert_retry_after_respected()
    assert requests.get(url, headers=headers()).status_code == 200  # retried at once
    with pytest.raises(AssertionError, match="Retry-After: 1"):
        mockxcore.assert_retry_after_respected()


def test_assert_deletes_polled_to_completion(mockxcore: MockServer) -> None:
    api = Api(mockxcore.url)
    first = api.create_ok({"xdm:name": "a"})["instanceId"]
    second = api.create_ok({"xdm:name": "b"})["instanceId"]
    api.delete_to_outcome(first)
    mockxcore.assert_deletes_polled_to_completion()
    api.delete(second)
    with pytest.raises(AssertionError, match=rf"DELETE .*/instances/{second} -> 202"):
        mockxcore.assert_deletes_polled_to_completion()


@pytest.mark.mockxcore(strict=False)
def test_a_body_too_deep_to_write_back_is_journaled_as_text(tmp_path: Path) -> None:
    """orjson refuses to write what nests past 255 levels: the journal keeps such a body as
    text, so the journal and the recording stay readable."""
    path = tmp_path / "journal.jsonl"
    deep = "[" * 300 + "]" * 300
    with MockServer(record=path) as mock:
        api = Api(mock.url)
        refused = api.session.post(
            api.url("/instances"), data=deep, headers={"Content-Type": HAL_TEST_ITEM}
        )
        assert refused.status_code == 400
        journal = requests.get(mock.url + "/__admin/journal")
        assert journal.status_code == 200
        assert journal.json()[-1]["body"] == deep
    assert json.loads(path.read_text().splitlines()[-1])["body"] == deep
