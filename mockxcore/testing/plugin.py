"""The pytest plugin (registered through the ``pytest11`` entry point).

``mockxcore`` is a function-scoped fixture: every test gets its own server, port and state,
in-process. Configure it with a marker, whose keywords are those of
:class:`~mockxcore.MockServer`::

    @pytest.mark.mockxcore(data="demo", latency="20ms", seed=7)
    def test_offers(mockxcore):
        requests.get(mockxcore.url + "/data/core/xcore/", headers=...)

``mockxcore_shared`` is the variant for suites that want one server: it is started once per
session (per xdist worker) and reset before each test. Override the
``mockxcore_shared_options`` fixture (a dict of MockServer keywords) to configure it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mockxcore.testing.server import MockServer


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "mockxcore(**options): options for the mockxcore fixture (see MockServer)"
    )


def _options(node: pytest.Item) -> dict[str, Any]:
    """The keywords of every ``mockxcore`` marker on the test, the closest winning."""
    options: dict[str, Any] = {}
    for marker in reversed(list(node.iter_markers("mockxcore"))):
        options.update(marker.kwargs)
    return options


def contract_failures(server: MockServer) -> str | None:
    """A report of the requests the client sent that break the contracts, or None."""
    bad = [e for e in server.journal if e["verdict"] and not e["verdict"]["valid"]]
    if not bad:
        return None
    lines = []
    for entry in bad:
        lines.append(f"#{entry['id']} {entry['method']} {entry['path']} -> {entry['status']}")
        lines += [
            f"    {v['pointer'] or '/'}: {v['message']}" for v in entry["verdict"]["violations"]
        ]
    return (
        f"{len(bad)} request(s) broke the mockxcore contracts "
        "(opt out with @pytest.mark.mockxcore(strict=False)):\n" + "\n".join(lines)
    )


@pytest.fixture
def mockxcore(request: pytest.FixtureRequest) -> Iterator[MockServer]:
    """A server of the test's own; at teardown, the test fails if the client sent requests
    that break the contracts (``strict=False`` opts out; ``strict=True`` also makes the
    server answer them 400)."""
    options = _options(request.node)
    check = options.get("strict") is not False
    options["strict"] = bool(options.get("strict"))
    with MockServer(**options) as server:
        yield server
        report = contract_failures(server) if check else None
    if report is not None:
        pytest.fail(report, pytrace=False)


@pytest.fixture(scope="session")
def mockxcore_shared_options() -> dict[str, Any]:
    """Keywords for the shared server; override this fixture in your conftest.py."""
    return {}


@pytest.fixture(scope="session")
def _mockxcore_session_server(mockxcore_shared_options: dict[str, Any]) -> Iterator[MockServer]:
    with MockServer(**mockxcore_shared_options) as server:
        yield server


@pytest.fixture
def mockxcore_shared(_mockxcore_session_server: MockServer) -> MockServer:
    """One server for the whole session, reset to its start-up state before each test."""
    _mockxcore_session_server.reset()
    return _mockxcore_session_server
