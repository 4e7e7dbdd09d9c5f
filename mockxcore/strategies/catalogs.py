"""Whole catalogs: consistent object graphs in the snapshot format, ready to load.

A catalog is what ``mockxcore serve --data`` and ``PUT /__admin/state`` load: one tenant, one
container, and placements, tags, rules, offers, fallbacks, filters and activities whose ids
the strategy assigns, so that every reference resolves and every semantic rule holds (tag
names unique ignoring case, one representation per placement, windows in order, filters
listing the right kind, each activity's fallback covering its placement, rules that compile).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from mockxcore.strategies import objects, text
from mockxcore.strategies._common import (
    ACTIVITY,
    FALLBACK,
    FILTER,
    KINDS,
    OFFER,
    PLACEMENT,
    RULE,
    TAG,
    Instance,
    uri_for,
)

SNAPSHOT_FORMAT = "snapshot/1"


def entries(catalog: dict[str, Any], schema: str | None = None) -> Iterator[dict[str, Any]]:
    """The instance entries (``instanceId``, ``schema``, ``_instance``) of a snapshot, those
    of ``schema`` only when given, across every tenant and container.

    >>> [e["_instance"]["@id"] for e in entries(catalog, ACTIVITY)]   # doctest: +SKIP
    ['xcore:offer-activity:0000000000000a1']
    """
    for tenant in catalog.get("tenants", []):
        for container in tenant.get("containers", []):
            for entry in container.get("instances", []):
                declared = entry.get("schema") or entry.get("schemas", [""])[0]
                if schema is None or declared.split(";", 1)[0] == schema:
                    yield entry


def objects_in(catalog: dict[str, Any], schema: str) -> list[Instance]:
    """The ``_instance`` payloads of ``schema`` in a snapshot.

    >>> [a["xdm:placement"] for a in objects_in(catalog, ACTIVITY)]   # doctest: +SKIP
    ['xcore:offer-placement:00000000000000a']
    """
    return [entry["_instance"] for entry in entries(catalog, schema)]


class _Builder:
    """Assigns ids as objects are drawn: ``@id``s and ``instanceId``s unique by construction."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.entries: list[dict[str, Any]] = []
        self.used: set[str] = set()

    def _fresh(self, make: Callable[[int], str], number: int) -> str:
        # Draws shrink towards 0, so collisions are common while shrinking: step past them.
        value = make(number)
        while value in self.used:
            number = (number + 1) % 2**60
            value = make(number)
        self.used.add(value)
        return value

    def add(self, schema: str, instance: Instance) -> str:
        kind = KINDS[schema]
        uri = self._fresh(lambda n: uri_for(kind, n), self.draw(st.integers(0, 2**60 - 1)))
        instance_id = self._fresh(
            lambda n: str(uuid.UUID(int=n, version=4)), self.draw(st.integers(0, 2**60 - 1))
        )
        self.entries.append(
            {"instanceId": instance_id, "schema": schema, "_instance": {"@id": uri, **instance}}
        )
        return uri


def _always_live(activity: Instance) -> bool:
    return activity.get("xdm:status") == "live" and not (
        "xdm:startDate" in activity or "xdm:endDate" in activity
    )


@st.composite
def _catalog(
    draw: st.DrawFn,
    org: str,
    sandbox: str,
    container_id: str | None,
    min_activities: int,
    max_activities: int,
    max_offers: int,
) -> dict[str, Any]:
    build = _Builder(draw)
    n_activities = draw(st.integers(min_activities, max_activities))

    placement_types: dict[str, str] = {}
    for instance in draw(st.lists(objects.placements(), min_size=1, max_size=4)):
        placement_types[build.add(PLACEMENT, instance)] = instance["xdm:componentType"]

    tag_ids = [
        build.add(TAG, t)
        for t in draw(
            st.lists(objects.tags(), max_size=5, unique_by=lambda t: t["xdm:name"].casefold())
        )
    ]
    rule_ids = [build.add(RULE, r) for r in draw(st.lists(objects.eligibility_rules(), max_size=3))]
    offer_ids = [
        build.add(OFFER, o)
        for o in draw(
            st.lists(
                objects.personalized_offers(
                    placements=placement_types, tags=tag_ids, rules=rule_ids
                ),
                max_size=max_offers,
            )
        )
    ]

    fallback_bodies: list[Instance] = []
    if n_activities:
        # The first fallback covers at least one placement, so an activity can be paired.
        fallback_bodies.append(
            draw(
                objects.fallback_offers(
                    placements=placement_types, tags=tag_ids, min_representations=1
                )
            )
        )
    fallback_bodies += draw(
        st.lists(objects.fallback_offers(placements=placement_types, tags=tag_ids), max_size=2)
    )
    coverage: dict[str, list[str]] = {}
    fallback_entries: dict[str, Instance] = {}
    for body in fallback_bodies:
        uri = build.add(FALLBACK, body)
        coverage[uri] = [r["xdm:placement"] for r in body.get("xdm:representations", [])]
        fallback_entries[uri] = build.entries[-1]["_instance"]

    filter_ids = [
        build.add(FILTER, f)
        for f in draw(
            st.lists(
                objects.offer_filters(offers=offer_ids, tags=tag_ids),
                min_size=1 if n_activities else 0,
                max_size=3,
            )
        )
    ]

    if n_activities:
        activities = [
            draw(objects.offer_activities(filters=filter_ids, fallbacks=coverage))
            for _ in range(n_activities)
        ]
        if not any(_always_live(a) for a in activities):
            # One activity is decidable whatever the mock's clock says: live, no dates.
            activities[0]["xdm:status"] = "live"
            activities[0].pop("xdm:startDate", None)
            activities[0].pop("xdm:endDate", None)
        for activity in activities:
            if activity.get("xdm:status") == "live":
                # A live activity proposes its fallback, which a marketer approved.
                fallback_entries[activity["xdm:fallback"]]["xdm:status"] = "approved"
            build.add(ACTIVITY, activity)

    container = {
        "instanceId": container_id or str(draw(st.uuids(version=4))),
        "productContexts": ["dma_offers", "acp"],
        "_instance": {"repo:name": draw(text.faked(lambda f: f"{f.company()} offers"))},
        "instances": build.entries,
    }
    return {
        "mockxcore": SNAPSHOT_FORMAT,
        "tenants": [{"org": org, "sandbox": sandbox, "containers": [container], "deletions": []}],
    }


def catalogs(
    *,
    org: str = "demo@AdobeOrg",
    sandbox: str = "prod",
    container_id: str | None = None,
    min_activities: int = 0,
    max_activities: int = 3,
    max_offers: int = 6,
) -> st.SearchStrategy[dict[str, Any]]:
    """Snapshots holding one consistent offer catalog for ``org``/``sandbox``.

    The default tenant is the one ``--auth off`` serves, so ``mockxcore serve --data`` on a
    saved example answers without headers. Whenever a catalog has activities, at least one is
    live with no date window (so it can be decided at any clock), and the fallback of every
    live activity is approved.

    >>> catalogs(min_activities=1).example()   # doctest: +SKIP
    {'mockxcore': 'snapshot/1', 'tenants': [{'org': 'demo@AdobeOrg', 'sandbox': 'prod',
     'containers': [{'instanceId': '...', 'instances': [...]}], 'deletions': []}]}
    >>> requests.put(mock.url + "/__admin/state", json=catalog)   # doctest: +SKIP
    <Response [200]>
    """
    if not 0 <= min_activities <= max_activities:
        raise InvalidArgument("need 0 <= min_activities <= max_activities")
    if max_offers < 0:
        raise InvalidArgument("max_offers must be >= 0")
    return _catalog(org, sandbox, container_id, min_activities, max_activities, max_offers)
