"""A container's offers and activities, compiled for deciding.

Compiling once per revision of the container (the store's ``version``) keeps the per-request
work small: dates parsed, rules compiled, offers indexed by tag and placement, and each
activity's static candidates (approved, in its filter, with a representation for its placement)
listed best first. Problems found on the way (a rule that no longer parses, a filter naming
something gone, a fallback that lost the activity's placement) are kept for diagnostics.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mockxcore import timestamps
from mockxcore.decisioning.pql import PqlError, Rule, compile_rule
from mockxcore.offers.schemas import ACTIVITY, FALLBACK, FILTER, OFFER, PLACEMENT, RULE, TAG
from mockxcore.store import Record


@dataclass(frozen=True)
class Option:
    """A personalized or fallback offer, as decisions need it."""

    uri: str
    etag: int
    name: str
    status: str
    priority: int
    tags: frozenset[str]
    representations: dict[str, dict[str, Any]]
    start: datetime | None
    end: datetime | None
    rule: str | None
    global_cap: int | None
    profile_cap: int | None
    characteristics: dict[str, str]

    def in_window(self, now: datetime) -> bool:
        return _within(self.start, self.end, now)


@dataclass(frozen=True)
class Activity:
    uri: str
    etag: int
    name: str
    status: str
    start: datetime | None
    end: datetime | None
    placement: str
    filter: str
    fallback: str

    def active(self, now: datetime) -> bool:
        return _within(self.start, self.end, now)


def _within(start: datetime | None, end: datetime | None, now: datetime) -> bool:
    """Inside a calendar window, both ends included; a missing end is open."""
    return (start is None or start <= now) and (end is None or now <= end)


@dataclass(frozen=True)
class Filter:
    uri: str
    kind: str
    ids: frozenset[str]


@dataclass(frozen=True)
class CompileError:
    rule: str
    instance: str
    pointer: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "instance": self.instance,
            "pointer": self.pointer,
            "message": self.message,
        }


@dataclass
class Catalog:
    offers: dict[str, Option] = field(default_factory=dict)
    fallbacks: dict[str, Option] = field(default_factory=dict)
    activities: dict[str, Activity] = field(default_factory=dict)
    filters: dict[str, Filter] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)
    placements: dict[str, int] = field(default_factory=dict)
    """Placement @id -> etag."""
    tags: set[str] = field(default_factory=set)
    by_tag: dict[str, set[str]] = field(default_factory=dict)
    """Tag @id -> approved offers carrying it."""
    catalog_updated: str | None = None
    activities_updated: str | None = None
    errors: list[CompileError] = field(default_factory=list)
    _candidates: dict[str, tuple[tuple[int, tuple[Option, ...]], ...]] = field(default_factory=dict)

    def candidates(self, activity: Activity) -> tuple[tuple[int, tuple[Option, ...]], ...]:
        """Approved offers in the activity's filter with a representation for its placement,
        grouped by priority, highest first (the profile-independent part of a decision)."""
        found = self._candidates.get(activity.uri)
        if found is None:
            found = self._candidates[activity.uri] = self._static_candidates(activity)
        return found

    def _static_candidates(self, activity: Activity) -> tuple[tuple[int, tuple[Option, ...]], ...]:
        selection = self.filters.get(activity.filter)
        if selection is None:
            return ()
        if selection.kind == "offers":
            uris: set[str] = {u for u in selection.ids if u in self.offers}
        elif selection.kind == "anyTags":
            uris = set().union(*(self.by_tag.get(t, set()) for t in selection.ids))
        else:
            tag_sets = [self.by_tag.get(t, set()) for t in selection.ids]
            uris = set.intersection(*tag_sets) if tag_sets else set()
        chosen = [
            self.offers[u]
            for u in uris
            if self.offers[u].status == "approved"
            and activity.placement in self.offers[u].representations
        ]
        groups: dict[int, list[Option]] = {}
        for option in chosen:
            groups.setdefault(option.priority, []).append(option)
        return tuple(
            (priority, tuple(sorted(groups[priority], key=lambda o: o.uri)))
            for priority in sorted(groups, reverse=True)
        )


def _instant(value: Any) -> datetime | None:
    return timestamps.parse(value) if isinstance(value, str) else None


def _option(record: Record) -> Option:
    doc = record.instance
    constraint = doc.get("xdm:selectionConstraint", {})
    caps = doc.get("xdm:cappingConstraint", {})
    return Option(
        uri=record.uri or record.instance_id,
        etag=record.etag,
        name=doc.get("xdm:name", ""),
        status=doc.get("xdm:status", "draft"),
        priority=doc.get("xdm:rank", {}).get("xdm:priority", 0),
        tags=frozenset(doc.get("xdm:tags", [])),
        representations={r["xdm:placement"]: r for r in doc.get("xdm:representations", [])},
        start=_instant(constraint.get("xdm:startDate")),
        end=_instant(constraint.get("xdm:endDate")),
        rule=constraint.get("xdm:eligibilityRule"),
        global_cap=caps.get("xdm:globalCap"),
        profile_cap=caps.get("xdm:profileCap"),
        characteristics=dict(doc.get("xdm:characteristics", {})),
    )


def compile_catalog(records: Iterable[Record]) -> Catalog:
    """Everything a container holds, ready for decisions (and the problems found)."""
    catalog = Catalog()
    filters: list[Record] = []
    activities: list[Record] = []
    latest_catalog = ""
    latest_activities = ""
    for record in records:
        uri = record.uri
        if uri is None:
            continue
        if record.schema == ACTIVITY:
            activities.append(record)
            latest_activities = max(latest_activities, record.modified)
            continue
        if record.schema in (OFFER, FALLBACK, RULE, FILTER, TAG, PLACEMENT):
            latest_catalog = max(latest_catalog, record.modified)
        if record.schema == OFFER:
            option = catalog.offers[uri] = _option(record)
            if option.status == "approved":
                for tag in option.tags:
                    catalog.by_tag.setdefault(tag, set()).add(uri)
        elif record.schema == FALLBACK:
            catalog.fallbacks[uri] = _option(record)
        elif record.schema == PLACEMENT:
            catalog.placements[uri] = record.etag
        elif record.schema == TAG:
            catalog.tags.add(uri)
        elif record.schema == FILTER:
            filters.append(record)
        elif record.schema == RULE:
            text = record.instance.get("xdm:condition", {}).get("xdm:value", "")
            try:
                catalog.rules[uri] = compile_rule(text)
            except PqlError as error:
                catalog.errors.append(
                    CompileError("pql", uri, "/_instance/xdm:condition/xdm:value", str(error))
                )
    for record in filters:
        doc = record.instance
        selection = Filter(
            record.uri or "", doc.get("xdm:filterType", "offers"), frozenset(doc.get("ids", []))
        )
        catalog.filters[selection.uri] = selection
    for record in activities:
        doc = record.instance
        activity = Activity(
            uri=record.uri or "",
            etag=record.etag,
            name=doc.get("xdm:name", ""),
            status=doc.get("xdm:status", "draft"),
            start=_instant(doc.get("xdm:startDate")),
            end=_instant(doc.get("xdm:endDate")),
            placement=doc.get("xdm:placement", ""),
            filter=doc.get("xdm:filter", ""),
            fallback=doc.get("xdm:fallback", ""),
        )
        catalog.activities[activity.uri] = activity
        fallback = catalog.fallbacks.get(activity.fallback)
        if fallback is None or activity.placement not in fallback.representations:
            catalog.errors.append(
                CompileError(
                    "fallback-placement",
                    activity.uri,
                    "/_instance/xdm:fallback",
                    f"fallback {activity.fallback} has no representation for placement "
                    f"{activity.placement}",
                )
            )
    for option in catalog.offers.values():
        if option.rule is not None and option.rule not in catalog.rules:
            catalog.errors.append(
                CompileError(
                    "pql",
                    option.uri,
                    "/_instance/xdm:selectionConstraint/xdm:eligibilityRule",
                    f"eligibility rule {option.rule} does not compile, so this offer is never "
                    "eligible",
                )
            )
    catalog.catalog_updated = latest_catalog or None
    catalog.activities_updated = latest_activities or None
    return catalog
