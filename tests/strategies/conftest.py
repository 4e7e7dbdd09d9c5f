"""A real mock per test module, and helpers to talk to one container of it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from mockxcore import MockServer
from mockxcore.strategies import entries
from tests.support import CONTAINER, Api, hal_type

CATALOG_ORG = "demo@AdobeOrg"
"""The tenant catalogs() fills by default."""


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    with MockServer() as mock:
        yield mock


class ContainerApi(Api):
    """The repository API of one given container."""

    def __init__(self, url: str, container: str, org: str = "test@AdobeOrg") -> None:
        super().__init__(url, org=org)
        self._container = container


def fresh_container(server: MockServer) -> ContainerApi:
    """A new, empty container: each example starts from nothing, whatever earlier ones made."""
    api = Api(server.url)
    response = api.session.post(
        api.root + "/containers",
        json={"_instance": {"repo:name": "strategies"}, "_links": {}},
        headers={"Content-Type": hal_type(CONTAINER)},
    )
    assert response.status_code == 201, response.text
    return ContainerApi(server.url, response.json()["instanceId"])


def load(server: MockServer, catalog: dict[str, Any]) -> ContainerApi:
    """Replace the mock's state with ``catalog`` (it must load) and return its container."""
    response = requests.put(server.url + "/__admin/state", json=catalog)
    assert response.status_code == 200, response.text
    container = catalog["tenants"][0]["containers"][0]["instanceId"]
    return ContainerApi(server.url, container, org=catalog["tenants"][0]["org"])


def references(catalog: dict[str, Any]) -> dict[str, list[str]]:
    """Every ``@id`` of the catalog, by schema: what exists once it is loaded."""
    found: dict[str, list[str]] = {}
    for entry in entries(catalog):
        found.setdefault(entry["schema"], []).append(entry["_instance"]["@id"])
    return found


def error_rules(response: requests.Response) -> set[str]:
    return {e["rule"] for e in response.json()["errors"]}
