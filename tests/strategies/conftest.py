"""A real mock per test module, and helpers to talk to one container of it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from mockxcore import MockServer
from mockxcore.offers.schemas import (
    FALLBACK,
    FILTER,
    IMAGELINK,
    OFFER,
    PLACEMENT,
    RULE,
    TAG,
    TEXT,
)
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


@dataclass
class Context:
    """Objects that exist in one container, for drawn objects and patches to reference."""

    api: ContainerApi
    placements: dict[str, str]
    tags: list[str]
    tag_names: list[str]
    rules: list[str]
    offers: list[str]
    fallbacks: dict[str, list[str]]
    filters: list[str]

    def references(self) -> dict[str, list[str]]:
        return {
            PLACEMENT: list(self.placements),
            TAG: self.tags,
            RULE: self.rules,
            OFFER: self.offers,
            FALLBACK: list(self.fallbacks),
            FILTER: self.filters,
        }


def build_context(server: MockServer) -> Context:
    """A fresh container holding a few objects of every kind, for drawn objects to reference:
    an imagelink and a text placement, two tags, a rule, an offer, a fallback covering only
    the text placement, an ``offers`` and an ``anyTags`` filter."""
    api = fresh_container(server)

    def make(schema: str, instance: dict[str, Any]) -> str:
        uri: str = api.create_ok(instance, schema)["@id"]
        return uri

    web = make(
        PLACEMENT,
        {"xdm:name": "Web hero", "xdm:channel": "https://ns.adobe.com/xdm/channels/web",
         "xdm:componentType": IMAGELINK},
    )  # fmt: skip
    email = make(
        PLACEMENT,
        {"xdm:name": "Email line", "xdm:channel": "https://ns.adobe.com/xdm/channels/email",
         "xdm:componentType": TEXT},
    )  # fmt: skip
    names = ["Travel", "Credit card"]
    tag_ids = [make(TAG, {"xdm:name": n}) for n in names]
    rule = make(
        RULE,
        {"xdm:name": "Gold", "xdm:condition": {"xdm:type": "PQL", "xdm:format": "pql/text",
                                               "xdm:value": 'membership.status = "gold"'}},
    )  # fmt: skip
    component = {"@type": TEXT, "dc:format": "text/plain", "xdm:copyline": "Fly"}
    offer = make(
        OFFER,
        {"xdm:name": "Fly", "xdm:representations": [
            {"xdm:placement": email, "xdm:components": [component]}]},
    )  # fmt: skip
    fallback = make(
        FALLBACK,
        {"xdm:name": "Default", "xdm:representations": [
            {"xdm:placement": email, "xdm:components": [component]}]},
    )  # fmt: skip
    filters = [
        make(FILTER, {"xdm:name": "Offers", "xdm:filterType": "offers", "ids": [offer]}),
        make(FILTER, {"xdm:name": "Travel", "xdm:filterType": "anyTags", "ids": tag_ids[:1]}),
    ]
    return Context(
        api,
        {web: IMAGELINK, email: TEXT},
        tag_ids,
        names,
        [rule],
        [offer],
        {fallback: [email]},
        filters,
    )
