"""Everything the invalid strategies draw is refused with a 422 naming exactly the labelled
rule, nothing is stored, and only the ``schema``-labelled ones fail their JSON Schema."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from mockxcore import MockServer, contracts
from mockxcore.offers.schemas import (
    ACTIVITY,
    FALLBACK,
    FILTER,
    OFFER,
    PLACEMENT,
    RULE,
    TAG,
)
from mockxcore.strategies import (
    invalid_eligibility_rules,
    invalid_fallback_offers,
    invalid_offer_activities,
    invalid_offer_filters,
    invalid_personalized_offers,
    invalid_placements,
    invalid_tags,
)
from tests.strategies.conftest import Context, build_context, error_rules


@pytest.fixture(scope="module")
def context(server: MockServer) -> Context:
    return build_context(server)


Factory = Callable[[Context, set[str] | None], st.SearchStrategy[tuple[dict[str, Any], str]]]
CASES: dict[str, tuple[str, Factory, set[str]]] = {
    "placement": (
        PLACEMENT,
        lambda c, v: invalid_placements(violating=v),
        {"schema", "usereditable"},
    ),
    "tag": (
        TAG,
        lambda c, v: invalid_tags(existing=c.tag_names, violating=v),
        {"schema", "usereditable", "unique-name"},
    ),
    "rule": (
        RULE,
        lambda c, v: invalid_eligibility_rules(violating=v),
        {"schema", "usereditable", "pql"},
    ),
    "offer": (
        OFFER,
        lambda c, v: invalid_personalized_offers(
            placements=c.placements, tags=c.tags, rules=c.rules, violating=v
        ),
        {"schema", "usereditable", "reference", "unique-placement", "date-order"},
    ),
    "offer-alone": (
        OFFER,
        lambda c, v: invalid_personalized_offers(violating=v),
        {"schema", "usereditable", "reference", "date-order"},
    ),
    "fallback": (
        FALLBACK,
        lambda c, v: invalid_fallback_offers(
            placements=list(c.placements), tags=c.tags, violating=v
        ),
        {"schema", "usereditable", "reference", "unique-placement"},
    ),
    "filter": (
        FILTER,
        lambda c, v: invalid_offer_filters(offers=c.offers, tags=c.tags, violating=v),
        {"schema", "usereditable", "reference", "filter-kind"},
    ),
    "activity": (
        ACTIVITY,
        lambda c, v: invalid_offer_activities(
            filters=c.filters, fallbacks=c.fallbacks, placements=list(c.placements), violating=v
        ),
        {"schema", "usereditable", "reference", "date-order", "fallback-placement"},
    ),
}
PAIRS = [(name, rule) for name, (_, _, rules) in CASES.items() for rule in sorted(rules)]


def stored(context: Context, schema: str) -> int:
    """How many instances of ``schema`` the context's container holds."""
    found: int = context.api.list(schema=schema).json()["_embedded"]["total"]
    return found


CREATED = {PLACEMENT: 2, TAG: 2, RULE: 1, OFFER: 1, FALLBACK: 1, FILTER: 2, ACTIVITY: 0}
"""What the context fixture created: refused writes must leave these counts alone."""


@pytest.mark.parametrize(("case", "label"), PAIRS, ids=[f"{c}-{r}" for c, r in PAIRS])
# A third of the profile per rule: there are 29 of them, and the next test mixes them all.
@settings(max_examples=max(3, settings().max_examples // 3))
@given(data=st.data())
def test_invalid_objects_are_refused_for_the_labelled_rule_alone(
    context: Context, case: str, label: str, data: st.DataObject
) -> None:
    schema, factory, _ = CASES[case]
    instance, rule = data.draw(factory(context, {label}))
    assert rule == label
    response = context.api.create(instance, schema)
    assert response.status_code == 422, response.text
    assert error_rules(response) == {rule}, response.text
    assert stored(context, schema) == CREATED[schema]
    schema_errors = contracts.default().validate(schema, instance)
    assert bool(schema_errors) == (rule == "schema"), schema_errors


@given(data=st.data())
def test_without_a_restriction_every_rule_is_drawn(context: Context, data: st.DataObject) -> None:
    case = data.draw(st.sampled_from(sorted(CASES)))
    schema, factory, rules = CASES[case]
    instance, rule = data.draw(factory(context, None))
    assert rule in rules
    response = context.api.create(instance, schema)
    assert response.status_code == 422, response.text
    assert error_rules(response) == {rule}, response.text


def test_a_rule_that_cannot_be_broken_with_these_arguments_is_refused() -> None:
    with pytest.raises(InvalidArgument):
        invalid_placements(violating={"reference"})
    with pytest.raises(InvalidArgument):
        invalid_tags(violating={"unique-name"})
    with pytest.raises(InvalidArgument):
        invalid_personalized_offers(violating={"unique-placement"})
    with pytest.raises(InvalidArgument):
        invalid_offer_filters(violating={"filter-kind"})
    with pytest.raises(InvalidArgument):
        invalid_offer_activities(
            filters=["xcore:offer-filter:000000000000001"],
            fallbacks={"xcore:fallback-offer:000000000000001": ["xcore:offer-placement:1"]},
            violating={"fallback-placement"},
        )
