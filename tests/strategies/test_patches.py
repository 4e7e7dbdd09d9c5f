"""Valid patches answer 200 and leave exactly what ``jsonpatch`` computes; invalid ones answer
400/422 naming their rule and change nothing. Documents come from loaded catalogs and from
objects drawn one by one (so every schema and every rule gets its turn)."""

from __future__ import annotations

from typing import Any

import jsonpatch
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    catalogs,
    eligibility_rules,
    entries,
    fallback_offers,
    json_patches,
    offer_activities,
    offer_filters,
    personalized_offers,
    placements,
    tags,
)
from tests.strategies.conftest import (
    ContainerApi,
    Context,
    build_context,
    error_rules,
    fresh_container,
    load,
    references,
)

Document = dict[str, Any]


@pytest.fixture(scope="module")
def context(server: MockServer) -> Context:
    return build_context(server)


def user_links(document: Document) -> dict[str, Any]:
    return {k: v for k, v in document["_links"].items() if k != "self"}


def apply_valid(api: ContainerApi, document: Document, patch: list[dict[str, Any]]) -> None:
    """PATCH must answer 200 and leave what RFC 6902 says, still valid, one etag later."""
    response = api.patch(document["instanceId"], patch, if_match=f'"{document["repo:etag"]}"')
    assert response.status_code == 200, response.text
    expected = jsonpatch.apply_patch(document, patch)
    after = api.get(document["instanceId"]).json()
    assert after["_instance"] == expected["_instance"]
    assert user_links(after) == user_links(expected)
    assert after["repo:etag"] == document["repo:etag"] + 1
    schema = document["schemas"][0].split(";")[0]
    assert contracts.default().validate(schema, after["_instance"]) == []


def apply_invalid(
    api: ContainerApi, document: Document, patch: list[dict[str, Any]], rule: str
) -> None:
    """PATCH must answer 400 (malformed) or 422 naming ``rule``, and change nothing."""
    response = api.patch(document["instanceId"], patch)
    assert response.status_code in (400, 422), response.text
    assert response.status_code == 422 or rule == "patch"
    assert rule in error_rules(response), response.text
    after = api.get(document["instanceId"]).json()
    assert after["repo:etag"] == document["repo:etag"]
    assert after["_instance"] == document["_instance"]


# -- documents from catalogs ---------------------------------------------------------------
def from_catalog(
    server: MockServer, data: st.DataObject
) -> tuple[ContainerApi, Document, dict[str, list[str]]]:
    """Load a catalog, choose one of its instances (each schema equally likely), read it."""
    catalog = data.draw(catalogs(min_activities=1), label="catalog")
    api = load(server, catalog)
    schema = data.draw(st.sampled_from(sorted(references(catalog))), label="schema")
    entry = data.draw(st.sampled_from(list(entries(catalog, schema))), label="instance")
    return api, api.get(entry["instanceId"]).json(), references(catalog)


@given(data=st.data())
def test_valid_patches_over_a_catalog(server: MockServer, data: st.DataObject) -> None:
    api, document, known = from_catalog(server, data)
    apply_valid(api, document, data.draw(json_patches(document, references=known)))


@given(data=st.data())
def test_invalid_patches_over_a_catalog(server: MockServer, data: st.DataObject) -> None:
    api, document, known = from_catalog(server, data)
    patch, rule = data.draw(json_patches(document, valid=False, references=known))
    apply_invalid(api, document, patch, rule)


# -- documents drawn object by object ------------------------------------------------------
def drawn(
    server: MockServer, context: Context, data: st.DataObject, schema: str, minimum: int = 0
) -> tuple[ContainerApi, Document]:
    """Create an object of ``schema`` drawn against the context's objects, and read it.

    Tags go to a container of their own: names drawn in earlier examples may repeat.
    """
    c = context
    strategies = {
        PLACEMENT: placements(),
        TAG: tags(),
        RULE: eligibility_rules(),
        OFFER: personalized_offers(
            placements=c.placements, tags=c.tags, rules=c.rules, min_representations=minimum
        ),
        FALLBACK: fallback_offers(
            placements=c.placements, tags=c.tags, min_representations=minimum
        ),
        FILTER: offer_filters(offers=c.offers, tags=c.tags),
        ACTIVITY: offer_activities(filters=c.filters, fallbacks=c.fallbacks),
    }
    api = fresh_container(server) if schema == TAG else c.api
    receipt = api.create_ok(data.draw(strategies[schema], label="instance"), schema)
    return api, api.get(receipt["instanceId"]).json()


SCHEMAS = [PLACEMENT, TAG, RULE, OFFER, FALLBACK, FILTER, ACTIVITY]
FEWER = settings(max_examples=max(3, settings().max_examples // 3))


@pytest.mark.parametrize("schema", SCHEMAS, ids=[s.rsplit("/", 1)[1] for s in SCHEMAS])
@FEWER
@given(data=st.data())
def test_valid_patches_over_every_schema(
    server: MockServer, context: Context, schema: str, data: st.DataObject
) -> None:
    api, document = drawn(server, context, data, schema)
    patch = data.draw(json_patches(document, references=context.references()), label="patch")
    apply_valid(api, document, patch)


BREAKABLE = {
    "patch": SCHEMAS,
    "read-only": SCHEMAS,
    "schema": SCHEMAS,
    "immutable": SCHEMAS,
    "lifecycle": [OFFER, FALLBACK],
    "unique-placement": [OFFER, FALLBACK],
    "reference": [OFFER, FALLBACK, FILTER, ACTIVITY],
    "date-order": [OFFER, ACTIVITY],
    "filter-kind": [FILTER],
    "pql": [RULE],
}


@pytest.mark.parametrize("label", sorted(BREAKABLE))
@FEWER
@given(data=st.data())
def test_invalid_patches_for_every_rule(
    server: MockServer, context: Context, label: str, data: st.DataObject
) -> None:
    schema = data.draw(st.sampled_from(BREAKABLE[label]), label="schema")
    minimum = 1 if label == "unique-placement" else 0
    api, document = drawn(server, context, data, schema, minimum)
    patch, rule = data.draw(
        json_patches(document, valid=False, references=context.references(), violating={label}),
        label="patch",
    )
    assert rule == label
    apply_invalid(api, document, patch, rule)
