"""CORS: on for `serve`, off in the fixture; preflights answered for every mocked route."""

import pytest
import requests

from mockxcore import MockServer
from tests.support import headers

PREFLIGHT = {
    "Origin": "http://localhost:5173",
    "Access-Control-Request-Method": "PATCH",
    "Access-Control-Request-Headers": "authorization,x-api-key,content-type,if-match",
}


@pytest.mark.mockxcore(cors=True)
@pytest.mark.parametrize(
    "path",
    [
        "/data/core/xcore/",
        "/data/core/xcore/c/instances",
        "/data/core/xcore/c/instances/i",
        "/data/core/xcore/c/queries/core/search",
        "/data/core/xcore/deletions/s",
    ],
)
def test_preflights_are_answered(mockxcore: MockServer, path: str) -> None:
    response = requests.options(
        mockxcore.url + path, headers={**PREFLIGHT, "Access-Control-Request-Method": "GET"}
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] in ("*", PREFLIGHT["Origin"])


@pytest.mark.mockxcore(cors=True)
def test_answers_expose_the_repository_headers(mockxcore: MockServer) -> None:
    response = requests.options(mockxcore.url + "/data/core/xcore/c/instances/i", headers=PREFLIGHT)
    assert response.status_code == 200
    assert "PATCH" in response.headers["Access-Control-Allow-Methods"]
    actual = requests.get(
        mockxcore.url + "/data/core/xcore/", headers={**headers(), "Origin": PREFLIGHT["Origin"]}
    )
    assert actual.headers["Access-Control-Allow-Origin"] in ("*", PREFLIGHT["Origin"])
    exposed = actual.headers["Access-Control-Expose-Headers"]
    assert "ETag" in exposed and "Location" in exposed


def test_off_in_the_fixture_by_default(mockxcore: MockServer) -> None:
    response = requests.options(mockxcore.url + "/data/core/xcore/", headers=PREFLIGHT)
    assert "Access-Control-Allow-Origin" not in response.headers
