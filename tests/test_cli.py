"""``mockxcore serve`` as a real subprocess."""

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from tests.support import headers


@contextmanager
def serve(*args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "mockxcore", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith("mockxcore listening on http://"), (
            line,
            process.stderr.read() if process.poll() else "",
        )
        yield process, line.removeprefix("mockxcore listening on ")
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def test_first_line_names_the_real_port_and_binds_loopback() -> None:
    with serve() as (_process, url):
        assert url.startswith("http://127.0.0.1:")
        assert not url.endswith(":0")
        assert requests.get(url + "/__admin/health").status_code == 200


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_clean_shutdown_on_signal(signum: int) -> None:
    with serve() as (process, url):
        requests.get(url + "/__admin/health")
        process.send_signal(signum)
        assert process.wait(timeout=10) == 0


def test_serves_the_demo_data_by_default() -> None:
    with serve() as (_process, url):
        home = requests.get(url + "/data/core/xcore/", headers=headers("demo@AdobeOrg")).json()
        [container] = home["_embedded"]["https://ns.adobe.com/experience/xcore/container"]
        listed = requests.get(
            f"{url}/data/core/xcore/{container['instanceId']}/instances",
            params={"schema": "https://ns.adobe.com/experience/offer-management/offer-activity"},
            headers=headers("demo@AdobeOrg"),
        ).json()
        assert listed["_embedded"]["total"] > 0


def test_no_demo_and_data_and_options(tmp_path: Path) -> None:
    with serve("--no-demo", "--no-auto-container", "--auth", "off") as (_process, url):
        home = requests.get(url + "/data/core/xcore/").json()
        assert home["_embedded"]["https://ns.adobe.com/experience/xcore/container"] == []
    snap = tmp_path / "s.json"
    snap.write_text(
        json.dumps(
            {
                "tenants": [
                    {
                        "org": "x@AdobeOrg",
                        "sandbox": "prod",
                        "containers": [{"_instance": {"repo:name": "X"}}],
                    }
                ]
            }
        )
    )
    with serve("--data", str(snap), "--seed", "3") as (_process, url):
        home = requests.get(url + "/data/core/xcore/", headers=headers("x@AdobeOrg")).json()
        [container] = home["_embedded"]["https://ns.adobe.com/experience/xcore/container"]
        assert container["_instance"]["repo:name"] == "X"
        demo = requests.get(url + "/data/core/xcore/", headers=headers("demo@AdobeOrg")).json()
        assert (
            demo["_embedded"]["https://ns.adobe.com/experience/xcore/container"][0]["_instance"][
                "repo:name"
            ]
            != "Demo decisioning container"
        )


def test_bad_snapshot_fails_start_up_with_a_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"tenants": [{"org": 1}]}')
    done = subprocess.run(
        [sys.executable, "-m", "mockxcore", "serve", "--port", "0", "--data", str(bad)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert "snapshot is invalid" in done.stderr
    assert "/tenants/0" in done.stderr


def test_delete_polls_option() -> None:
    with serve("--delete-polls", "2", "--auth", "off") as (_process, url):
        root = url + "/data/core/xcore"
        cid = requests.get(root + "/").json()["_embedded"][
            "https://ns.adobe.com/experience/xcore/container"
        ][0]["instanceId"]
        created = requests.post(
            f"{root}/{cid}/instances",
            json={"_instance": {"xdm:name": "x"}, "_links": {}},
            headers={
                "Content-Type": "application/vnd.adobe.platform.xcore.hal+json; "
                'schema="https://ns.adobe.com/experience/mockxcore/test-item"'
            },
        ).json()
        location = requests.delete(f"{root}/{cid}/instances/{created['instanceId']}").headers[
            "Location"
        ]
        assert [requests.get(f"{root}/{location}").status_code for _ in range(2)] == [202, 200]


def test_control_options(tmp_path: Path) -> None:
    record = tmp_path / "journal.jsonl"
    fault = json.dumps(
        {
            "method": "GET",
            "path": "/data/core/xcore/containers",
            "action": "status",
            "status": 503,
            "retryAfter": 3,
        }
    )
    args = [
        "--latency",
        "lognormal:median=120ms,sigma=0.1",
        "--fault",
        fault,
        "--record",
        str(record),
        "--auth",
        "off",
        "--delete-after",
        "2s",
    ]
    with serve(*args) as (process, url):
        started = time.perf_counter()
        assert requests.get(url + "/data/core/xcore/").ok
        assert time.perf_counter() - started >= 0.08
        throttled = requests.get(url + "/data/core/xcore/containers")
        assert throttled.status_code == 503 and throttled.headers["Retry-After"] == "3"
        assert requests.get(url + "/__admin/latency").json()["delay"] == (
            "lognormal:median=120ms,sigma=0.1"
        )
        preflight = requests.options(
            url + "/data/core/xcore/",
            headers={"Origin": "http://localhost:3000", "Access-Control-Request-Method": "GET"},
        )
        assert "Access-Control-Allow-Origin" in preflight.headers  # CORS on by default
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    lines = [json.loads(line) for line in record.read_text().splitlines()]
    assert [entry["status"] for entry in lines][:2] == [200, 503]


def test_bad_control_options_fail_start_up() -> None:
    for args in (["--latency", "soon"], ["--fault", "{not json"], ["--fault", '{"action": "x"}']):
        done = subprocess.run(
            [sys.executable, "-m", "mockxcore", "serve", "--port", "0", *args],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert done.returncode == 2, args
        assert done.stderr.startswith("mockxcore: "), done.stderr
