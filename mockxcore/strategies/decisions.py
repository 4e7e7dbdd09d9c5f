"""Decision requests (``POST /data/core/ode/{containerId}/decisions``) against a catalog.

A request names activities of the catalog, an identity map and context data. The context
data items use the schema ids the catalog's rules read (``@{schema}``) plus a few others, and
the fields those rules test, so generated requests can make rules hold as well as fail.
"""

from __future__ import annotations

import re
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from mockxcore.decisioning.service import MAX_ACTIVITIES
from mockxcore.strategies import text
from mockxcore.strategies._common import ACTIVITY, RULE
from mockxcore.strategies.catalogs import entries
from mockxcore.strategies.pql import (
    CONTEXT_NUMBER_FIELDS,
    CONTEXT_SCHEMAS,
    CONTEXT_STRING_FIELDS,
)

_CONTEXT_REFERENCE = re.compile(r"@\{([^}]*)\}")


_IDENTITY: dict[str, st.SearchStrategy[Any]] = {
    "xdm:authenticatedState": st.sampled_from(["ambiguous", "authenticated", "loggedOut"]),
    "xdm:primary": st.booleans(),
}


def identities() -> st.SearchStrategy[dict[str, list[dict[str, Any]]]]:
    """``xdm:identityMap`` values: one to three namespaces, one or two ids each.

    >>> identities().example()   # doctest: +SKIP
    {'ECID': [{'xdm:id': '12345678901234567890123456789012345678'}]}
    """
    by_namespace: dict[str, st.SearchStrategy[Any]] = {
        "ECID": st.integers(10**37, 10**38 - 1).map(str),
        "Email": text.emails(),
        "CRMID": st.uuids().map(lambda u: u.hex[:16].upper()),
        "Phone": st.integers(10**9, 10**12).map(lambda n: f"+{n}"),
    }
    return st.lists(
        st.sampled_from(sorted(by_namespace)), min_size=1, max_size=3, unique=True
    ).flatmap(
        lambda names: st.fixed_dictionaries(
            {
                name: st.lists(
                    st.fixed_dictionaries({"xdm:id": by_namespace[name]}, optional=_IDENTITY),
                    min_size=1,
                    max_size=2,
                )
                for name in names
            }
        )
    )


def context_schemas(catalog: dict[str, Any]) -> list[str]:
    """The context-data schema ids the catalog's eligibility rules read, sorted."""
    found = {
        match.strip()
        for rule in entries(catalog, RULE)
        for match in _CONTEXT_REFERENCE.findall(
            str(rule["_instance"].get("xdm:condition", {}).get("xdm:value", ""))
        )
    }
    return sorted(found)


def _context_data(schemas: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    fields: dict[str, st.SearchStrategy[Any]] = {
        name: st.one_of(
            st.sampled_from(["web", "email", "mobile", "QF1", "home", "phone"]), text.words()
        )
        for name in CONTEXT_STRING_FIELDS
    }
    fields |= {name: st.integers(0, 500) for name in CONTEXT_NUMBER_FIELDS}
    return st.fixed_dictionaries(
        {"@type": st.sampled_from(schemas), "xdm:data": st.fixed_dictionaries({}, optional=fields)}
    )


def decision_requests(
    catalog: dict[str, Any], *, container_id: str | None = None
) -> st.SearchStrategy[dict[str, Any]]:
    """Bodies of decision requests for activities of ``catalog`` (a snapshot, e.g. drawn
    from :func:`catalogs`): 1 to 30 distinct activity ``@id``s of one container (the first
    that holds activities, or ``container_id``) and an identity map, and any of context
    data, ``dryRun``, ``allowDuplicatePropositions``, ``itemCount`` and
    ``validateContextData: false`` (context data of made-up schemas is not validated).

    >>> catalogs(min_activities=1).flatmap(decision_requests).example()   # doctest: +SKIP
    {'xdm:offerActivities': ['xcore:offer-activity:...'],
     'xdm:identityMap': {'Email': [{'xdm:id': 'ewilliams@example.org'}]},
     'xdm:contextData': [{'@type': 'https://ns.example.com/flight-context',
                          'xdm:data': {'flightnumber': 'QF1'}}],
     'xdm:dryRun': False, 'xdm:allowDuplicatePropositions': {'xdm:acrossActivities': True}}
    """
    activities: list[str] = []
    for tenant in catalog.get("tenants", []):
        for container in tenant.get("containers", []):
            if container_id is not None and container.get("instanceId") != container_id:
                continue
            found = [
                entry["_instance"]["@id"]
                for entry in entries({"tenants": [{"containers": [container]}]}, ACTIVITY)
                if "@id" in entry["_instance"]
            ]
            if found and not activities:
                activities = found
    if not activities:
        raise InvalidArgument(
            "decision_requests() needs a catalog with activities "
            "(draw it from catalogs(min_activities=1))"
        )
    schemas = sorted({*context_schemas(catalog), *CONTEXT_SCHEMAS})
    return st.fixed_dictionaries(
        {
            "xdm:offerActivities": st.lists(
                st.sampled_from(activities),
                min_size=1,
                max_size=min(MAX_ACTIVITIES, len(activities)),
                unique=True,
            ),
            "xdm:identityMap": identities(),
        },
        optional={
            "xdm:contextData": st.lists(_context_data(schemas), max_size=3),
            "xdm:dryRun": st.booleans(),
            "xdm:allowDuplicatePropositions": st.fixed_dictionaries(
                {},
                optional={
                    "xdm:acrossActivities": st.booleans(),
                    "xdm:acrossPlacements": st.booleans(),
                },
            ),
            "xdm:validateContextData": st.just(False),
            "xdm:itemCount": st.integers(1, MAX_ACTIVITIES),
        },
    )
