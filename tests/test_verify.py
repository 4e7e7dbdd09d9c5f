"""``mockxcore verify``: a well-behaved client's recording passes; a bad client is caught."""

import json
import subprocess
import sys
import time
from pathlib import Path
from xml.etree import ElementTree

import pytest
import requests

from mockxcore import MockServer
from tests.support import Api, headers


def verify(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mockxcore", "verify", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def good_client(api: Api) -> None:
    receipt = api.create_ok({"xdm:name": "x"})
    etag = api.get(receipt["instanceId"]).headers["ETag"]
    assert api.patch(
        receipt["instanceId"],
        [{"op": "add", "path": "/_instance/xdm:priority", "value": 1}],
        if_match=etag,
    ).ok
    api.list()
    api.delete_to_outcome(receipt["instanceId"])


def test_a_good_clients_recording_passes(tmp_path: Path) -> None:
    path = tmp_path / "good.jsonl"
    with MockServer(record=path) as mock:
        good_client(Api(mock.url))
    done = verify(str(path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("7 recorded requests: 0 error(s), 0 warning(s)")


def test_a_saved_admin_journal_is_read_too(tmp_path: Path) -> None:
    with MockServer() as mock:
        good_client(Api(mock.url))
        path = tmp_path / "journal.json"
        path.write_text(json.dumps(requests.get(mock.url + "/__admin/journal").json()))
    assert verify(str(path)).returncode == 0


@pytest.fixture
def bad_recording(tmp_path: Path) -> Path:
    path = tmp_path / "bad.jsonl"
    with MockServer(record=path) as mock:
        api = Api(mock.url)
        iid = api.create_ok({"xdm:name": "x"})["instanceId"]
        api.patch(
            iid, [{"op": "add", "path": "/_instance/xdm:priority", "value": 1}]
        )  # no If-Match
        api.patch(
            iid, [{"op": "add", "path": "/_instance/xdm:priority", "value": 2}], if_match="2"
        )  # unquoted etag
        api.create({"xdm:name": 7})  # breaks the schema
        api.delete(iid)  # never polled
        mock.add_fault(
            method="GET",
            path="/data/core/xcore/",
            action="status",
            status=429,
            retryAfter=5,
            times=1,
        )
        requests.get(mock.url + "/data/core/xcore/", headers=headers())
        time.sleep(0.01)
        requests.get(mock.url + "/data/core/xcore/", headers=headers())  # too early
        # Another org uses this org's container id.
        other = {**headers("other@AdobeOrg")}
        requests.get(
            f"{api.root}/{api.container}/instances",
            params={"schema": "https://ns.adobe.com/experience/mockxcore/test-item"},
            headers=other,
        )
    return path


def test_a_bad_client_is_caught(bad_recording: Path) -> None:
    done = verify(str(bad_recording))
    assert done.returncode == 1
    out = done.stdout
    for line in (
        "contract-request (error): 1",
        "unquoted-etag (error): 1",
        "if-match (warning): 1",
        "delete-not-polled (error): 1",
        "retry-after (error): 1",
        "foreign-container (error): 1",
    ):
        assert line in out, out
    assert "/_instance/xdm:name: 7 is not of type 'string'" in out
    assert "Retry-After: 5" in out


def test_if_match_can_be_an_error_or_off(bad_recording: Path) -> None:
    as_error = verify(str(bad_recording), "--if-match", "error", "--format", "json")
    report = json.loads(as_error.stdout)
    assert report["counts"]["if-match"] == 1
    assert {f["severity"] for f in report["findings"] if f["rule"] == "if-match"} == {"error"}
    off = json.loads(verify(str(bad_recording), "--if-match", "off", "--format", "json").stdout)
    assert "if-match" not in off["counts"]


def test_junit_for_ci(bad_recording: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.xml"
    done = verify(str(bad_recording), "--format", "junit", "--output", str(out))
    assert done.returncode == 1
    suite = ElementTree.parse(out).getroot()
    assert suite.tag == "testsuite"
    cases = suite.findall("testcase")
    assert len(cases) == int(suite.get("tests", "0")) >= 8
    failed = [c for c in cases if c.find("failure") is not None]
    assert len(failed) == int(suite.get("failures", "0")) >= 5
    assert any(c.find("system-out") is not None for c in cases)  # the If-Match warning


def test_an_unreadable_recording_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "nope.jsonl"
    path.write_text("{not json\n")
    assert verify(str(path)).returncode == 2
    assert verify(str(tmp_path / "missing.jsonl")).returncode == 2
