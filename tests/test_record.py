"""``mockxcore record``: pass-through recording of a real service, with drift reported.

The "real service" is another mockxcore; for the drift test it is altered to answer a field
the contracts do not know.
"""

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson
import pytest
import requests
from aiohttp import web

from tests.support import TEST_ITEM, Api, hal_type, headers, served


@web.middleware
async def surprise(request: web.Request, handler):  # type: ignore[no-untyped-def]
    """What an upstream that moved looks like: reads carry a field nobody documented."""
    response = await handler(request)
    if request.method == "GET" and "/instances/" in request.path and response.status == 200:
        body = orjson.loads(response.body)
        body["xdm:surprise"] = True
        response.body = orjson.dumps(body)
    return response


@contextmanager
def recorder(target: str, out: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mockxcore",
            "record",
            "--upstream",
            target,
            "--out",
            str(out),
            "--port",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    assert line.startswith("mockxcore recording on http://"), line
    try:
        yield process, line.split(" ")[3]
    finally:
        if process.poll() is None:
            process.kill()


def traffic(url: str) -> dict[str, object]:
    api = Api(url)
    receipt = api.create_ok({"xdm:name": "recorded"})
    doc = api.get(receipt["instanceId"]).json()
    api.list()
    return {"receipt": receipt, "doc": doc}


@pytest.mark.parametrize("altered", [False, True])
def test_records_and_reports_drift(tmp_path: Path, altered: bool) -> None:
    out = tmp_path / "recording.jsonl"
    with (
        served(*([surprise] if altered else [])) as target,
        recorder(target, out) as (process, url),
    ):
        seen = traffic(url)
        # Credentials went through untouched: the upstream saw our API key.
        assert seen["receipt"]["repo:createdByClientId"] == "test-client"  # type: ignore[index]
        assert ("xdm:surprise" in seen["doc"]) is altered  # type: ignore[operator]
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=10)
        report = process.stderr.read() if process.stderr else ""
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(e["method"], e["status"]) for e in lines] == [
        ("GET", 200),
        ("POST", 201),
        ("GET", 200),
        ("GET", 200),
    ]
    assert all(e["headers"]["Authorization"] == "Bearer ***" for e in lines)
    assert all(e["headers"]["x-api-key"] == "***" for e in lines)
    drifted = [e for e in lines if e["drift"]]
    if altered:
        assert code == 1
        assert [e["path"].split("/")[-2] for e in drifted] == ["instances"]
        [item] = drifted[0]["drift"]
        assert "xdm:surprise" in item["message"]
        assert "drift found (1)" in report
        assert "xdm:surprise" in report
    else:
        assert code == 0
        assert drifted == []
        assert "no drift" in report


def test_an_unreachable_upstream_is_a_502(tmp_path: Path) -> None:
    with recorder("http://127.0.0.1:9", tmp_path / "r.jsonl") as (process, url):
        response = requests.post(
            f"{url}/data/core/xcore/x/instances",
            json={},
            headers={**headers(), "Content-Type": hal_type(TEST_ITEM)},
        )
        assert response.status_code == 502
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
