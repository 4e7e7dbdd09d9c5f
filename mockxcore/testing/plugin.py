"""The pytest plugin (registered through the ``pytest11`` entry point).

``mockxcore`` is a function-scoped fixture: every test gets its own server, port and state.
Configure it with a marker, whose keywords are those of :class:`~mockxcore.MockServer`::

    @pytest.mark.mockxcore(data="demo", seed=7)
    def test_offers(mockxcore):
        requests.get(mockxcore.url + "/data/core/xcore/", headers=...)
"""

from __future__ import annotations

from collections.abc import Iterator

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
