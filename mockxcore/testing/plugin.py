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


@pytest.fixture
def mockxcore(request: pytest.FixtureRequest) -> Iterator[MockServer]:
    marker = request.node.get_closest_marker("mockxcore")
    options = dict(marker.kwargs) if marker else {}
    with MockServer(**options) as server:
        yield server


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
