"""List and search queries the strategies draw answer 200 over a loaded catalog, with pages
that keep the filters they were asked for; the invalid ones answer 400 naming their rule."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from mockxcore import MockServer
from mockxcore.offers.schemas import OFFER, TAG
from mockxcore.strategies import (
    catalogs,
    invalid_list_queries,
    invalid_search_queries,
    list_queries,
    search_queries,
)
from mockxcore.strategies._common import KINDS
from mockxcore.strategies.queries import property_paths
from tests.strategies.conftest import (
    ContainerApi,
    error_rules,
    fresh_container,
    load,
    references,
)


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


@pytest.fixture(scope="module")
def empty(server: MockServer) -> ContainerApi:
    """A query is refused before any instance is looked at: an empty container will do."""
    return fresh_container(server)


LIST_RULES = ["bad-path", "limit", "limits", "orderBy", "regex", "schema"]
SEARCH_RULES = ["bad-path", "limit", "limits", "orderBy", "q", "qop", "regex", "schema"]
CASES = [("list", rule) for rule in LIST_RULES] + [("search", rule) for rule in SEARCH_RULES]


@pytest.mark.parametrize(("kind", "label"), CASES, ids=[f"{k}-{r}" for k, r in CASES])
@settings(max_examples=max(3, settings().max_examples // 3))
@given(data=st.data())
def test_invalid_queries_are_refused_for_their_rule(
    empty: ContainerApi, kind: str, label: str, data: st.DataObject
) -> None:
    if kind == "list":
        params, rule = data.draw(invalid_list_queries(violating={label}), label="query")
        response = empty.session.get(empty.url("/instances"), params=params)
    else:
        params, rule = data.draw(invalid_search_queries(violating={label}), label="query")
        response = empty.search(**params)
    assert rule == label
    assert response.status_code == 400, response.text
    assert error_rules(response) == {rule}, response.text


def test_a_rule_a_list_query_cannot_break_is_refused() -> None:
    with pytest.raises(InvalidArgument):
        invalid_list_queries(violating={"qop"})


def test_paths_come_from_the_schemas() -> None:
    offer = {p.path: p for p in property_paths(OFFER)}
    assert offer["_instance.xdm:rank.xdm:priority"].type == "integer"
    assert offer["_instance.xdm:selectionConstraint.xdm:startDate"].type == "date-time"
    assert offer["_instance.xdm:status"].members == ("draft", "approved", "archived")
    assert offer["_instance.xdm:representations.xdm:components.@type"].type == "string"
    assert offer["repo:etag"].type == "integer"
    assert [p.path for p in property_paths(TAG)][:2] == ["_instance.@id", "_instance.xdm:name"]
    assert all(property_paths(schema) for schema in KINDS)
