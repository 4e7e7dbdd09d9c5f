"""List and search queries the strategies draw answer 200 over a loaded catalog, with pages
that keep the filters they were asked for; the invalid ones answer 400 naming their rule."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from mockxcore import MockServer
from mockxcore.strategies import (
    catalogs,
    invalid_list_queries,
    invalid_search_queries,
    list_queries,
    search_queries,
)
from mockxcore.strategies._common import KINDS, OFFER, TAG
from mockxcore.strategies.queries import property_paths
from tests.strategies.conftest import ContainerApi, error_rules, load, references


def loaded(server: MockServer, data: st.DataObject) -> tuple[ContainerApi, tuple[str, ...]]:
    catalog = data.draw(catalogs(max_offers=4), label="catalog")
    return load(server, catalog), tuple(i for ids in references(catalog).values() for i in ids)


def check_page(body: dict[str, Any], params: dict[str, Any]) -> None:
    results = body["_embedded"]["results"]
    assert body["_embedded"]["count"] == len(results) <= body["_embedded"]["total"]
    if "schema" in params:
        assert all(r["schemas"][0].split(";")[0] == params["schema"] for r in results)
    if "id" in params:
        assert {r["_instance"]["@id"] for r in results} <= set(params["id"])


@given(data=st.data())
def test_list_queries_are_accepted(server: MockServer, data: st.DataObject) -> None:
    api, ids = loaded(server, data)
    params = data.draw(list_queries(ids=ids), label="query")
    response = api.list(**params)
    assert response.status_code == 200, response.text
    check_page(response.json(), params)


@given(data=st.data())
def test_search_queries_are_accepted(server: MockServer, data: st.DataObject) -> None:
    api, ids = loaded(server, data)
    params = data.draw(search_queries(ids=ids), label="query")
    response = api.search(**params)
    assert response.status_code == 200, response.text
    check_page(response.json(), params)


@given(data=st.data())
def test_invalid_list_queries_are_refused_for_their_rule(
    server: MockServer, data: st.DataObject
) -> None:
    api, _ = loaded(server, data)
    params, rule = data.draw(invalid_list_queries(), label="query")
    response = api.session.get(api.url("/instances"), params=params)
    assert response.status_code == 400, response.text
    assert error_rules(response) == {rule}, response.text


@given(data=st.data())
def test_invalid_search_queries_are_refused_for_their_rule(
    server: MockServer, data: st.DataObject
) -> None:
    api, _ = loaded(server, data)
    params, rule = data.draw(invalid_search_queries(), label="query")
    response = api.search(**params)
    assert response.status_code == 400, response.text
    assert error_rules(response) == {rule}, response.text


def test_paths_come_from_the_schemas() -> None:
    offer = {p.path: p for p in property_paths(OFFER)}
    assert offer["_instance.xdm:rank.xdm:priority"].type == "integer"
    assert offer["_instance.xdm:selectionConstraint.xdm:startDate"].type == "date-time"
    assert offer["_instance.xdm:status"].members == ("draft", "approved", "archived")
    assert offer["_instance.xdm:representations.xdm:components.@type"].type == "string"
    assert offer["repo:etag"].type == "integer"
    assert [p.path for p in property_paths(TAG)][:2] == ["_instance.@id", "_instance.xdm:name"]
    assert all(property_paths(schema) for schema in KINDS)
