"""Hypothesis against the Target loaders: artifacts and decision tables, over real HTTP.

Arbitrary JSON, and valid documents with one part replaced by arbitrary JSON, must give a 2xx
or a 4xx problem naming what is wrong -- never a 5xx, never a refused load that changed
anything -- and whatever loads must then be served and decided from without a 5xx.
(The PQL parser has its own fuzz: tests/decisioning/test_pql_properties.py.)
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from mockxcore import MockServer
from tests.target.support import deliver, mboxes, web_request
from tests.target.test_artifact import ARTIFACT

TABLE: dict[str, Any] = {
    "activities": [
        {
            "mbox": "greeting",
            "name": "hello",
            "experiences": [
                {"name": "A", "split": 50, "options": [{"type": "html", "content": "hi"}]},
                {"name": "B", "split": 50, "options": [{"type": "json", "content": {"n": 1}}]},
            ],
        }
    ]
}

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=25,
)
LOGIC_OPERATORS = ["==", "<", "<=", "and", "or", "!", "var", "in", "if", "+", "max", "substr"]
json_logic = st.recursive(
    json_values,
    lambda children: st.builds(
        lambda op, args: {op: args},
        st.sampled_from(LOGIC_OPERATORS),
        st.lists(children, max_size=3) | children,
    ),
    max_leaves=15,
)


def _paths(node: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield at
    if isinstance(node, dict):
        for key, child in node.items():
            yield from _paths(child, (*at, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _paths(child, (*at, index))


@st.composite
def mutated(draw: st.DrawFn, document: dict[str, Any]) -> Any:
    """``document`` with one part (maybe the whole) replaced by arbitrary JSON or JSON Logic."""
    path = draw(st.sampled_from(list(_paths(document))))
    replacement = draw(json_values | json_logic)
    if not path:
        return replacement
    changed = copy.deepcopy(document)
    parent = changed
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = replacement
    return changed


@pytest.fixture(scope="module")
def mock() -> Iterator[MockServer]:
    with MockServer(strict=False) as server:
        for kind, body in (("artifact", ARTIFACT), ("table", TABLE)):
            loaded = requests.put(f"{server.url}/__admin/target/clients/{kind}/{kind}", json=body)
            assert loaded.status_code == 200, loaded.text
        yield server


def _load_and_use(mock: MockServer, kind: str, body: Any) -> None:
    base = f"{mock.url}/__admin/target/clients/{kind}"
    before = requests.get(base).json()
    response = requests.put(f"{base}/{kind}", json=body)
    assert response.status_code in (200, 400, 413, 422), response.text
    if response.status_code != 200:
        problem = response.json()
        assert response.headers["Content-Type"] == "application/problem+json"
        assert problem["type"].startswith("urn:mockxcore:problem:") and problem["detail"]
        assert requests.get(base).json() == before  # a refused load changes nothing
    else:
        rules = requests.get(f"{mock.url}/{kind}/production/v1/rules.json")
        assert rules.status_code in (200, 404)  # 404: the load named another environment
    request = web_request(
        id={"tntId": "0123456789abcdef0123456789abcdef.35_0"},
        execute={"mboxes": mboxes("greeting", parameters={"greet": "yes"})},
        prefetch={"mboxes": mboxes("greeting")},
    )
    decided = deliver(mock.url, request, client=kind)
    assert decided.status_code in (200, 400), decided.text
    assert requests.get(f"{mock.url}/__admin/state").status_code == 200


@given(body=json_values | mutated(ARTIFACT))
def test_any_artifact_loads_or_is_a_4xx_and_nothing_breaks(mock: MockServer, body: Any) -> None:
    _load_and_use(mock, "artifact", body)


@given(body=json_values | mutated(TABLE))
def test_any_table_loads_or_is_a_4xx_and_nothing_breaks(mock: MockServer, body: Any) -> None:
    _load_and_use(mock, "table", body)
