"""The contracts' quick check (jsonschema-rs) judges as jsonschema does, on every schema it has.

``Contracts.validate`` returns no errors without walking a value the quick check accepts, so a
quick check that accepted what jsonschema refuses would let bad input in. Each test compares
the quick verdict with jsonschema's full walk (``validator(...).iter_errors``).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockxcore.contracts import Contracts, default
from mockxcore.strategies import (
    catalogs,
    decision_requests,
    delivery_requests,
    invalid_delivery_requests,
)

CONTRACTS = default()
QUICK = [sid for sid in CONTRACTS.ids() if CONTRACTS.quick_check(sid) is not None]
DELIVERY = "https://ns.adobe.com/experience/target/delivery-request"
DECISION = "https://ns.adobe.com/experience/offer-management/decision-request"


def _agrees(contracts: Contracts, sid: str, value: Any) -> None:
    quick = contracts.quick_check(sid)
    assert quick is not None
    walked = list(contracts.validator(sid).iter_errors(value))
    assert quick(value) == (not walked), (sid, value, [e.message for e in walked])


def _vocabulary(node: Any, names: set[str], scalars: list[Any]) -> None:
    """Property names, enum and const values of a schema: what makes drawn values get past
    the first keyword."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                names.update(value)
            if key == "required" and isinstance(value, list):
                names.update(v for v in value if isinstance(v, str))
            if key == "enum" and isinstance(value, list):
                scalars.extend(v for v in value if not isinstance(v, dict | list))
            if key == "const" and not isinstance(value, dict | list):
                scalars.append(value)
            _vocabulary(value, names, scalars)
    elif isinstance(node, list):
        for value in node:
            _vocabulary(value, names, scalars)


def _values(sid: str) -> st.SearchStrategy[Any]:
    names: set[str] = set()
    scalars: list[Any] = []
    for uri in CONTRACTS._documents(sid):
        _vocabulary(CONTRACTS.schema(uri), names, scalars)
    keys = st.sampled_from(sorted(names | {"x"}))
    leaves = (
        st.none()
        | st.booleans()
        | st.integers(-2, 300)
        | st.floats(-2, 2, allow_nan=False)
        | st.sampled_from(["", "x", "2024-01-01T00:00:00Z", "not-a-date", "10.0.0.1", "x" * 300])
        | (st.sampled_from(scalars) if scalars else st.nothing())
    )
    return st.recursive(
        leaves,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=5),
        max_leaves=12,
    )


@pytest.mark.parametrize("sid", QUICK)
def test_the_quick_check_agrees_with_jsonschema_on_drawn_values(sid: str) -> None:
    @settings(max_examples=60)
    @given(_values(sid))
    def agrees(value: Any) -> None:
        _agrees(CONTRACTS, sid, value)

    agrees()


@given(delivery_requests() | invalid_delivery_requests().map(lambda labelled: labelled[0]))
def test_the_quick_check_agrees_on_delivery_requests_valid_or_not(request: Any) -> None:
    _agrees(CONTRACTS, DELIVERY, request)


@settings(max_examples=20)
@given(catalogs(min_activities=1).flatmap(decision_requests))
def test_the_quick_check_accepts_what_jsonschema_accepts_of_decision_requests(body: Any) -> None:
    _agrees(CONTRACTS, DECISION, body)


def test_hot_request_schemas_have_a_quick_check() -> None:
    assert DELIVERY in QUICK and DECISION in QUICK


def test_schemas_with_regular_expressions_have_none() -> None:
    """jsonschema reads ``pattern`` with Python's ``re``, jsonschema-rs as ECMA-262."""
    contracts = CONTRACTS.extended(
        [
            {"$id": "https://example.com/code", "type": "string", "pattern": "^[a-z]+$"},
            {"$id": "https://example.com/keys", "patternProperties": {"^_": {}}},
            {"$id": "https://example.com/uses-code", "properties": {"c": {"$ref": "code"}}},
            {"$id": "https://example.com/plain", "type": "string", "maxLength": 3},
        ]
    )
    for name in ("code", "keys", "uses-code"):  # the last reaches a pattern through $ref
        assert contracts.quick_check(f"https://example.com/{name}") is None, name
    assert contracts.quick_check("https://example.com/plain") is not None
    # Python's re lets "$" match before a final newline; the judge decides such cases alone.
    assert contracts.validate("https://example.com/code", "abc\n") == []


@pytest.mark.parametrize(
    ("property_schema", "value"),
    [
        ({"type": "number", "multipleOf": 0.01}, 19.99),
        ({"multipleOf": 3}, 1.0000000000000002e17),
        ({"type": "array", "uniqueItems": True}, [9223372036854775808, 9.223372036854776e18]),
        ({"type": "integer", "maximum": 9.223372036854776e18}, 9223372036854775809),
        ({"not": {"const": 9223372036854775808}}, 9.223372036854776e18),
    ],
)
def test_what_the_two_judge_apart_gets_no_quick_check(property_schema: Any, value: Any) -> None:
    """Each found by an independent differential fuzz: jsonschema-rs called these valid."""
    sid = "https://example.com/ctx"
    contracts = CONTRACTS.extended(
        [{"$id": sid, "type": "object", "properties": {"p": property_schema}}]
    )
    assert contracts.quick_check(sid) is None
    assert list(contracts.validator(sid).iter_errors({"p": value}))  # jsonschema refuses it
    assert contracts.validate(sid, {"p": value})  # and so does the mock


def test_a_schema_whose_ref_cannot_be_resolved_here_has_none_and_is_never_fetched() -> None:
    contracts = CONTRACTS.extended(
        [{"$id": "https://example.com/remote", "$ref": "https://example.org/elsewhere.json"}]
    )
    assert contracts.quick_check("https://example.com/remote") is None


def test_formats_are_jsonschemas_own() -> None:
    """A date-time jsonschema-rs would take (a leap second) but the mock's clock cannot read
    is refused by both, because jsonschema-rs is handed the mock's own format checks."""
    contracts = CONTRACTS.extended(
        [{"$id": "https://example.com/when", "type": "string", "format": "date-time"}]
    )
    sid = "https://example.com/when"
    for value in ("2024-01-01T00:00:00Z", "2024-06-30T23:59:60Z", "2024-13-01T00:00:00Z", "x"):
        _agrees(contracts, sid, value)
    assert contracts.validate(sid, "2024-01-01T00:00:00Z") == []
    assert contracts.validate(sid, "x")


def test_values_beyond_json_data_go_to_jsonschema() -> None:
    """jsonschema-rs raises on a set or bytes; validate() then lets jsonschema judge."""
    sid = "https://example.com/text"
    contracts = CONTRACTS.extended(
        [{"$id": sid, "type": "object", "properties": {"p": {"type": "string"}}}]
    )
    quick = contracts.quick_check(sid)
    assert quick is not None
    for value in ({"x"}, b"x"):
        with pytest.raises(ValueError):
            quick({"p": value})
        errors = contracts.validate(sid, {"p": value})
        assert [e.pointer for e in errors] == ["/p"], errors
