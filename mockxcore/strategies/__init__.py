"""Hypothesis strategies for the xcore repository's offer-management objects and for
Target's Delivery API.

They let a client's tests (and ours) state properties over everything the mock accepts, not
over a handful of hand-written fixtures: valid objects, whole catalogs ready to load into the
mock, JSON Patches, list and search queries, decision requests, Delivery API requests -- and,
for each, inputs that break exactly one rule, labelled with the rule the mock's errors will
name.

Everything random is drawn by Hypothesis (Faker included, see :func:`faked`), so failing
examples replay from the database and shrink. ``docs/strategies.md`` is the user guide.

>>> from mockxcore.strategies import catalogs, decision_requests   # doctest: +SKIP
>>> catalogs(min_activities=1).flatmap(decision_requests).example()   # doctest: +SKIP
"""

from mockxcore.strategies._common import instants
from mockxcore.strategies.catalogs import catalogs, entries, objects_in
from mockxcore.strategies.decisions import decision_requests, identities
from mockxcore.strategies.delivery import delivery_requests, invalid_delivery_requests
from mockxcore.strategies.invalid import (
    invalid_eligibility_rules,
    invalid_fallback_offers,
    invalid_list_queries,
    invalid_offer_activities,
    invalid_offer_filters,
    invalid_personalized_offers,
    invalid_placements,
    invalid_search_queries,
    invalid_tags,
)
from mockxcore.strategies.objects import (
    components,
    eligibility_rules,
    fallback_offers,
    offer_activities,
    offer_filters,
    personalized_offers,
    placements,
    tags,
)
from mockxcore.strategies.patches import invalid_json_patches, json_patches
from mockxcore.strategies.pql import pql_conditions, unsupported_pql
from mockxcore.strategies.queries import list_queries, property_paths, search_queries
from mockxcore.strategies.text import faked

__all__ = [
    "catalogs",
    "components",
    "decision_requests",
    "delivery_requests",
    "eligibility_rules",
    "entries",
    "faked",
    "fallback_offers",
    "identities",
    "instants",
    "invalid_delivery_requests",
    "invalid_eligibility_rules",
    "invalid_fallback_offers",
    "invalid_json_patches",
    "invalid_list_queries",
    "invalid_offer_activities",
    "invalid_offer_filters",
    "invalid_personalized_offers",
    "invalid_placements",
    "invalid_search_queries",
    "invalid_tags",
    "json_patches",
    "list_queries",
    "objects_in",
    "offer_activities",
    "offer_filters",
    "personalized_offers",
    "placements",
    "pql_conditions",
    "property_paths",
    "search_queries",
    "tags",
    "unsupported_pql",
]
