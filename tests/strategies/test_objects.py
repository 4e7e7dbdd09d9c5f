"""Everything the object strategies draw is created as sent (201, read back equal plus its
``@id``) and validates against its contract: alone, and as a graph referencing itself."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from mockxcore import MockServer, contracts
from mockxcore.offers.schemas import ACTIVITY, FALLBACK, FILTER, OFFER, PLACEMENT, RULE, TAG
from mockxcore.strategies import (
    eligibility_rules,
    fallback_offers,
    offer_activities,
    offer_filters,
    personalized_offers,
    placements,
    tags,
)
from tests.strategies.conftest import ContainerApi, fresh_container


def create_as_sent(api: ContainerApi, schema: str, instance: dict[str, Any]) -> str:
    """Create ``instance``; it must be schema-valid, accepted, and read back unchanged."""
    assert contracts.default().validate(schema, instance) == []
    response = api.create(instance, schema)
    assert response.status_code == 201, response.text
    receipt = response.json()
    stored = api.get(receipt["instanceId"]).json()["_instance"]
    assert stored == {"@id": receipt["@id"], **instance}
    uri: str = receipt["@id"]
    return uri


UNREFERENCING = [
    (PLACEMENT, placements()),
    (TAG, tags()),
    (RULE, eligibility_rules()),
    (OFFER, personalized_offers()),
    (FALLBACK, fallback_offers()),
    (FILTER, offer_filters()),
]


@pytest.mark.parametrize(
    ("schema", "strategy"), UNREFERENCING, ids=[s.rsplit("/", 1)[1] for s, _ in UNREFERENCING]
)
@given(data=st.data())
def test_objects_drawn_without_references_are_created_in_an_empty_container(
    server: MockServer,
    schema: str,
    strategy: st.SearchStrategy[dict[str, Any]],
    data: st.DataObject,
) -> None:
    instance = data.draw(strategy)
    create_as_sent(fresh_container(server), schema, instance)


@given(data=st.data())
def test_a_graph_drawn_object_by_object_is_created_as_sent(
    server: MockServer, data: st.DataObject
) -> None:
    api = fresh_container(server)
    made: dict[str, str] = {}
    for instance in data.draw(st.lists(placements(), min_size=1, max_size=3), label="placements"):
        made[create_as_sent(api, PLACEMENT, instance)] = instance["xdm:componentType"]
    placement_ids = list(made)
    tag_ids = [
        create_as_sent(api, TAG, t)
        for t in data.draw(
            st.lists(tags(), max_size=3, unique_by=lambda t: t["xdm:name"].casefold()),
            label="tags",
        )
    ]
    rule_ids = [
        create_as_sent(api, RULE, r)
        for r in data.draw(st.lists(eligibility_rules(), max_size=2), label="rules")
    ]
    offer_ids = [
        create_as_sent(api, OFFER, o)
        for o in data.draw(
            st.lists(
                personalized_offers(placements=made, tags=tag_ids, rules=rule_ids), max_size=3
            ),
            label="offers",
        )
    ]
    covered = data.draw(st.sampled_from(placement_ids), label="covered placement")
    fallback = data.draw(
        fallback_offers(placements={covered: made[covered]}, tags=tag_ids, min_representations=1),
        label="fallback",
    )
    fallbacks = {create_as_sent(api, FALLBACK, fallback): [covered]}
    filter_ids = [
        create_as_sent(api, FILTER, f)
        for f in data.draw(
            st.lists(offer_filters(offers=offer_ids, tags=tag_ids), min_size=1, max_size=2),
            label="filters",
        )
    ]
    activities = data.draw(
        st.lists(
            offer_activities(filters=filter_ids, fallbacks=fallbacks, placements=placement_ids),
            min_size=1,
            max_size=2,
        ),
        label="activities",
    )
    for activity in activities:
        assert activity["xdm:fallback"] in fallbacks
        assert activity["xdm:placement"] in fallbacks[activity["xdm:fallback"]]
        create_as_sent(api, ACTIVITY, activity)


def test_an_activity_needs_a_filter_and_a_covered_placement() -> None:
    with pytest.raises(InvalidArgument):
        offer_activities(filters=["xcore:offer-filter:000000000000001"], fallbacks={})
    with pytest.raises(InvalidArgument):
        offer_activities(
            filters=[],
            fallbacks={"xcore:fallback-offer:000000000000001": ["xcore:offer-placement:1"]},
        )
    with pytest.raises(InvalidArgument):
        offer_activities(
            filters=["xcore:offer-filter:000000000000001"],
            fallbacks={"xcore:fallback-offer:000000000000001": ["xcore:offer-placement:1"]},
            placements=["xcore:offer-placement:2"],
        )
    with pytest.raises(InvalidArgument):
        fallback_offers(min_representations=1)
