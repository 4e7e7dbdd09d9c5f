"""The server survives what clients and operators do to it: disconnects, SIGTERM under load,
SIGKILL while writing its state file."""

from __future__ import annotations

import json
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from mockxcore import MockServer
from mockxcore.config import Config
from mockxcore.control import persistence
from tests.support import HAL, TEST_ITEM, Api, headers

pytestmark = pytest.mark.mockxcore(strict=False)


@contextmanager
def serve(*args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "mockxcore", "serve", "--port", "0", "--no-demo", *args],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        yield process, process.stdout.readline().strip().rsplit(" ", 1)[-1]
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def tenant(state: dict) -> dict:  # type: ignore[type-arg]
    return next(t for t in state["tenants"] if t["org"] == "test@AdobeOrg")


def test_state_file_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    with serve("--state-file", str(path)) as (process, url):
        api = Api(url)
        first = api.create_ok({"xdm:name": "first"})
        second = api.create_ok({"xdm:name": "second"})
        api.patch(
            first["instanceId"], [{"op": "add", "path": "/_instance/xdm:priority", "value": 4}]
        )
        location = api.delete(second["instanceId"]).headers["Location"]
        requests.post(url + "/__admin/faults", json={"path": "/nowhere", "action": "drop"})
        before = requests.get(url + "/__admin/state").json()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    with serve("--state-file", str(path)) as (_process, url):
        after = requests.get(url + "/__admin/state").json()
        assert tenant(after) == tenant(before)
        assert after["faults"] == before["faults"]
        api = Api(url)
        assert api.get(first["instanceId"]).json()["repo:etag"] == 2
        assert api.poll(location).status_code == 200  # the delete status survived too
        # ... and the id sequence continues without clashing.
        assert api.create_ok({"xdm:name": "third"})["instanceId"] not in {
            first["instanceId"],
            second["instanceId"],
        }


def test_sigkill_mid_write_never_leaves_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    rng = random.Random(7)
    created = 0
    for _round in range(5):
        with serve("--state-file", str(path), "--auth", "off") as (process, url):
            stop = threading.Event()

            def writer(stop: threading.Event = stop, url: str = url) -> None:
                nonlocal created
                session = requests.Session()
                session.headers.update({"Content-Type": f'{HAL}; schema="{TEST_ITEM}"'})
                root = url + "/data/core/xcore"
                cid = session.get(root + "/").json()["_embedded"][
                    "https://ns.adobe.com/experience/xcore/container"
                ][0]["instanceId"]
                while not stop.is_set():
                    try:
                        session.post(
                            f"{root}/{cid}/instances",
                            timeout=5,
                            data=json.dumps({"_instance": {"xdm:name": "x" * 200}, "_links": {}}),
                        )
                        created += 1
                    except requests.RequestException:
                        return

            thread = threading.Thread(target=writer)
            thread.start()
            time.sleep(rng.uniform(0.2, 0.6))
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
            stop.set()
            thread.join(timeout=10)
        saved = persistence.read(path)  # parses, whole
        assert saved is not None
        with MockServer(config=Config(state_file=path, auth="off")) as mock:  # loads, valid
            assert mock.export_state()["tenants"]
    assert created > 20  # writes really were going on when the process was killed


def test_sigterm_under_load_finishes_in_flight_requests_and_flushes_the_record(
    tmp_path: Path,
) -> None:
    record = tmp_path / "journal.jsonl"
    with serve("--record", str(record), "--latency", "300ms", "--auth", "off") as (process, url):
        results: list[int] = []

        def client() -> None:
            try:
                results.append(requests.get(url + "/data/core/xcore/", timeout=10).status_code)
            except requests.RequestException:
                results.append(-1)

        threads = [threading.Thread(target=client) for _ in range(20)]
        for thread in threads:
            thread.start()
        time.sleep(0.1)  # all twenty are now waiting out their latency in the server
        started = time.perf_counter()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        assert time.perf_counter() - started < 5
        for thread in threads:
            thread.join(timeout=10)
    assert results == [200] * 20
    lines = [json.loads(line) for line in record.read_text().splitlines()]
    assert len(lines) == 20 and all(entry["status"] == 200 for entry in lines)


def test_disconnecting_clients_do_not_hurt_the_server(mockxcore: MockServer) -> None:
    host, port = mockxcore.url.removeprefix("http://").split(":")
    api = Api(mockxcore.url)
    api.create_ok({"xdm:name": "x" * 200})
    request_head = (
        f"POST /data/core/xcore/{api.container}/instances HTTP/1.1\r\n"
        f'Host: x\r\nContent-Type: {HAL}; schema="{TEST_ITEM}"\r\n'
        "Authorization: Bearer t\r\nx-api-key: k\r\nx-gw-ims-org-id: test@AdobeOrg\r\n"
        "x-sandbox-name: prod\r\nContent-Length: 1000\r\n\r\n"
    ).encode()
    for _ in range(20):
        # Mid-request: headers and half a body, then gone.
        with socket.create_connection((host, int(port))) as sock:
            sock.sendall(request_head + b'{"_instance": {"xdm:na')
        # Mid-response: ask, read a few bytes of a slowly sent answer, then gone.
        mockxcore.add_fault(
            path=f"/data/core/xcore/{api.container}/instances",
            method="GET",
            action="slow-body",
            duration="500ms",
            chunks=20,
            times=1,
        )
        with socket.create_connection((host, int(port))) as sock:
            sock.sendall(
                f"GET /data/core/xcore/{api.container}/instances?schema={TEST_ITEM} "
                "HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\nx-api-key: k\r\n"
                "x-gw-ims-org-id: test@AdobeOrg\r\nx-sandbox-name: prod\r\n\r\n".encode()
            )
            sock.recv(64)
    time.sleep(0.6)  # let the abandoned slow answers run into their closed sockets
    assert requests.get(mockxcore.url + "/__admin/health").status_code == 200
    assert api.list().json()["_embedded"]["total"] == 1  # no half request was stored
    assert requests.get(mockxcore.url + "/data/core/xcore/", headers=headers()).ok


@pytest.mark.mockxcore(latency="100ms", auth="off")
def test_a_client_gone_before_its_delayed_answer_is_not_an_error(
    mockxcore: MockServer, caplog: pytest.LogCaptureFixture
) -> None:
    host, port = mockxcore.url.removeprefix("http://").split(":")
    with caplog.at_level("ERROR"):
        for _ in range(5):
            with socket.create_connection((host, int(port))) as sock:
                sock.sendall(b"GET /data/core/xcore/ HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(0.4)  # the answers fall due after their clients left
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == []
    # Journaled, with no status: no answer reached anyone.
    entries = mockxcore.journal.filter(path="/data/core/xcore/")
    assert [e["status"] for e in entries] == [None] * 5
    assert requests.get(mockxcore.url + "/data/core/xcore/").status_code == 200


def test_a_failed_save_is_logged_and_the_answer_stands(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A state file that cannot be written (here: its directory is a file) must not turn the
    client's answer into a 500; the failure is logged, loudly."""
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    with MockServer(config=Config(state_file=str(blocker / "state.json"))) as mock:
        with caplog.at_level("ERROR", logger="mockxcore"):
            created = Api(mock.url).create({"xdm:name": "kept in memory"})
        assert created.status_code == 201
        assert Api(mock.url).get(created.json()["instanceId"]).status_code == 200
    assert any("could not save the state" in r.getMessage() for r in caplog.records)
