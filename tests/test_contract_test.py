"""``mockxcore contract-test``: generated traffic against a provider, verdicts per check.

The provider is the mock itself (which must pass) and mocks altered in one way each (which
must fail the check that covers that way, and only for a reason the report names).
"""

from pathlib import Path
from xml.etree import ElementTree

import orjson
import pytest
from aiohttp import web

from mockxcore import MockServer
from mockxcore.cli import main
from mockxcore.config import Config
from tests.support import served

# The refusal checks send invalid instances on purpose: strict mode would count them against
# the client (this test), so the mock under test is not strict.
pytestmark = pytest.mark.mockxcore(strict=False)


def contract_test(url: str, tmp_path: Path, *extra: str) -> tuple[int, dict]:
    out = tmp_path / "report.json"
    code = main(
        ["contract-test", url, "--max-examples", "3", "--format", "json", "-o", str(out), *extra]
    )
    return code, orjson.loads(out.read_bytes())


@pytest.mark.mockxcore(journal_size=100_000)
def test_the_mock_honours_its_contract_and_leaves_nothing_behind(
    mockxcore: MockServer, tmp_path: Path
) -> None:
    before = mockxcore.export_state()
    code, report = contract_test(mockxcore.url, tmp_path, "--org", "ct@AdobeOrg")
    assert code == 0, [c for c in report["checks"] if not c["passed"]]
    names = [c["check"] for c in report["checks"]]
    assert len(names) == 16 and report["failed"] == 0
    assert "offer-activity: create, read, list, patch, delete" in names
    assert all(c["runs"] >= 3 for c in report["checks"])
    # Every kind of request was made.
    journal = mockxcore.journal
    assert {"GET", "POST", "PATCH", "DELETE"} <= {e["method"] for e in journal}
    statuses = {e["status"] for e in journal}
    assert {200, 201, 202, 304, 404, 409} <= statuses
    assert statuses & {400, 422}  # invalid instances and patches were refused
    # What it created, it deleted: the org's container holds no instances.
    after = mockxcore.export_state()
    tenant = next(t for t in after["tenants"] if t["org"] == "ct@AdobeOrg")
    assert all(not c["instances"] for c in tenant["containers"])
    assert [t for t in after["tenants"] if t["org"] != "ct@AdobeOrg"] == before["tenants"]


@web.middleware
async def ignore_if_match(request: web.Request, handler):  # type: ignore[no-untyped-def]
    """A server that forgets optimistic locking: If-Match never reaches the handler."""
    if "If-Match" in request.headers:
        request = request.clone(
            headers={k: v for k, v in request.headers.items() if k.lower() != "if-match"}
        )
    return await handler(request)


@web.middleware
async def plain_json(request: web.Request, handler):  # type: ignore[no-untyped-def]
    """A server that answers reads as application/json, not Adobe's HAL media type."""
    response = await handler(request)
    if request.method == "GET" and "/instances/" in request.path and response.status == 200:
        response.content_type = "application/json"
    return response


def test_a_server_without_optimistic_locking_fails_the_life_checks(tmp_path: Path) -> None:
    with served(ignore_if_match) as url:
        code, report = contract_test(url, tmp_path)
    assert code == 1
    failed = {c["check"]: c["failure"] for c in report["checks"] if not c["passed"]}
    lives = [name for name in failed if name.endswith("create, read, list, patch, delete")]
    assert len(lives) == 7, failed
    assert all("PATCH" in failed[name] and "expected 409 or 412" in failed[name] for name in lives)
    # The shrunk example is told: the instance and the patch that were sent.
    assert all("Draw 1 (instance)" in failed[name] for name in lives)
    # Refusals and queries do not depend on If-Match, and passed.
    assert set(failed) == set(lives)


def test_a_non_conforming_answer_is_named_in_junit(tmp_path: Path) -> None:
    out = tmp_path / "report.xml"
    with served(plain_json) as url:
        code = main(
            ["contract-test", url, "--max-examples", "2", "--format", "junit", "-o", str(out)]
        )
    assert code == 1
    suite = ElementTree.parse(out).getroot()
    assert suite.get("tests") == "16" and suite.get("failures") == "7"
    failures = [case.find("failure") for case in suite.iter("testcase")]
    messages = [f.get("message") for f in failures if f is not None]
    assert len(messages) == 7
    assert all("Content-Type 'application/json;" in m for m in messages), messages


def test_an_unreachable_server_fails_at_setup(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    with served() as url:
        pass  # the port is closed again
    assert main(["contract-test", url, "--max-examples", "1"]) == 1
    out = capsys.readouterr().out
    assert "0 passed, 1 failed" in out and "FAIL setup" in out
    assert "ConnectionError" in out


def test_bad_options_are_refused(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["contract-test", "http://127.0.0.1:9", "--max-examples", "0"]) == 2
    assert "--max-examples" in capsys.readouterr().err


def test_requests_carry_the_given_headers(mockxcore: MockServer, tmp_path: Path) -> None:
    code, _ = contract_test(
        mockxcore.url,
        tmp_path,
        "--org",
        "acme@AdobeOrg",
        "--sandbox",
        "staging",
        "--token",
        "t0k",
        "--api-key",
        "acme-ci",
    )
    assert code == 0
    seen = {
        (
            e["headers"].get("x-gw-ims-org-id"),
            e["headers"].get("x-sandbox-name"),
            e["headers"].get("Authorization"),
        )
        for e in mockxcore.journal
    }
    assert seen == {("acme@AdobeOrg", "staging", "Bearer ***")}  # secrets are masked


def test_the_token_is_sent(tmp_path: Path) -> None:
    """Under ``--auth tokens`` only a known token gets in: the right one passes, a wrong one
    fails at setup with the 401."""
    tokens = tmp_path / "tokens.json"
    tokens.write_text("t0k\n")
    with MockServer(config=Config(auth="tokens", tokens_file=str(tokens))) as mock:
        ok, _ = contract_test(mock.url, tmp_path, "--org", "acme@AdobeOrg", "--token", "t0k")
        refused, report = contract_test(
            mock.url, tmp_path, "--org", "acme@AdobeOrg", "--token", "wrong"
        )
    assert ok == 0 and refused == 1
    assert report["checks"][0]["check"] == "setup" and "401" in report["checks"][0]["failure"]


def _sent_bodies(seed: str, tmp_path: Path) -> list[object]:
    with MockServer(seed=1, journal_size=100_000) as mock:
        code, _ = contract_test(mock.url, tmp_path, "--seed", seed)
        assert code == 0
        return [e["body"] for e in mock.journal if e["method"] in ("POST", "PATCH")]


def test_the_seed_makes_a_run_repeatable(tmp_path: Path) -> None:
    first = _sent_bodies("4", tmp_path)
    assert first == _sent_bodies("4", tmp_path)
    assert first != _sent_bodies("5", tmp_path)
