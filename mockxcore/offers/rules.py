"""Semantic rules of the offer-management objects, beyond what their JSON Schemas check.

Each rule reads the instance being written (already schema-valid, its references resolved)
and answers the errors it finds, with pointers relative to ``_instance``. The repository runs
them on create, PUT, PATCH and snapshot load; a write with any error is refused (422).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from mockxcore import timestamps
from mockxcore.contracts import kind
from mockxcore.decisioning.pql import PqlError, compile_rule
from mockxcore.offers.schemas import ACTIVITY, FALLBACK, FILTER, OFFER, RULE, TAG
from mockxcore.problems import ErrorItem
from mockxcore.xcore.repository import Rule, RuleContext

LIFECYCLE = {("draft", "approved"), ("approved", "archived"), ("archived", "draft")}
"""Option status moves one step round draft -> approved -> archived -> draft."""


def option_lifecycle(context: RuleContext, instance: dict[str, Any]) -> list[ErrorItem]:
    """A status change must follow the lifecycle; an absent status counts as draft."""
    if context.previous is None:
        return []
    before = context.previous.get("xdm:status", "draft")
    after = instance.get("xdm:status", "draft")
    if before == after or (before, after) in LIFECYCLE:
        return []
    return [
        ErrorItem(
            "lifecycle",
            f"an option cannot go from {before} to {after}: the lifecycle is "
            "draft -> approved -> archived -> draft",
            "/xdm:status",
        )
    ]


def distinct_placements(context: RuleContext, instance: dict[str, Any]) -> list[ErrorItem]:
    """At most one representation per placement, so a placement picks one unambiguously."""
    seen: dict[str, int] = {}
    errors = []
    for index, representation in enumerate(instance.get("xdm:representations", [])):
        placement = representation["xdm:placement"]
        if placement in seen:
            errors.append(
                ErrorItem(
                    "unique-placement",
                    f"representation {seen[placement]} already uses placement {placement}",
                    f"/xdm:representations/{index}/xdm:placement",
                )
            )
        seen.setdefault(placement, index)
    return errors


def _date_order(start: Any, end: Any, pointer: str) -> list[ErrorItem]:
    if not isinstance(start, str) or not isinstance(end, str):
        return []
    first, last = timestamps.parse(start), timestamps.parse(end)
    if first is not None and last is not None and first > last:
        return [ErrorItem("date-order", f"ends ({end}) before it starts ({start})", pointer)]
    return []


def calendar_window(context: RuleContext, instance: dict[str, Any]) -> list[ErrorItem]:
    constraint = instance.get("xdm:selectionConstraint", {})
    return _date_order(
        constraint.get("xdm:startDate"),
        constraint.get("xdm:endDate"),
        "/xdm:selectionConstraint/xdm:endDate",
    )


def activity_dates(context: RuleContext, instance: dict[str, Any]) -> list[ErrorItem]:
    return _date_order(instance.get("xdm:startDate"), instance.get("xdm:endDate"), "/xdm:endDate")


def _comparable(name: str) -> str:
    """What two names must not share: case, Unicode composition and outer spaces aside."""
    return unicodedata.normalize("NFC", name).strip().casefold()


def unique_tag_name(context: RuleContext, instance: dict[str, Any]) -> list[ErrorItem]:
    """Tag names are unique in a container (ignoring case), so a UI can show them alone."""
    name = _comparable(instance["xdm:name"])
    for other in context.others(TAG):
        if _comparable(str(other.instance.get("xdm:name", ""))) == name:
            return [
                ErrorItem(
                    "unique-name",
                    f"tag {other.uri} is already named {other.instance['xdm:name']!r}",
                    "/xdm:name",
                )
            ]
    return []


def filter_targets(context: RuleContext, instance: dict[str, Any]) -> list[ErrorItem]:
    """``ids`` name offers for ``filterType: offers`` and tags for ``anyTags``/``allTags``."""
    expected = OFFER if instance["xdm:filterType"] == "offers" else TAG
    errors = []
    for index, uri in enumerate(instance["ids"]):
        target = context.target(uri)
        if target is not None and target.schema != expected:
            errors.append(
                ErrorItem(
                    "filter-kind",
                    f"a filter of type {instance['xdm:filterType']} lists "
                    f"{kind(expected)}s; {uri} is a {kind(target.schema)}",
                    f"/ids/{index}",
                )
            )
    return errors


def fallback_fits_placement(context: RuleContext, instance: dict[str, Any]) -> list[ErrorItem]:
    """The activity's fallback must have a representation for the activity's placement."""
    fallback = context.target(instance["xdm:fallback"])
    if fallback is None:
        return []
    placements = {r["xdm:placement"] for r in fallback.instance.get("xdm:representations", [])}
    if instance["xdm:placement"] in placements:
        return []
    return [
        ErrorItem(
            "fallback-placement",
            f"fallback {fallback.uri} has no representation for placement "
            f"{instance['xdm:placement']}",
            "/xdm:fallback",
        )
    ]


def pql_subset(context: RuleContext, instance: dict[str, Any]) -> list[ErrorItem]:
    """A rule's PQL must be in the supported subset, refused when written rather than at
    decision time. A snapshot is restored as it was; diagnostics then name such a rule."""
    if context.loading:
        return []
    try:
        compile_rule(instance["xdm:condition"]["xdm:value"])
    except PqlError as error:
        construct = f" ({error.construct} is not supported)" if error.construct else ""
        return [ErrorItem("pql", f"{error}{construct}", "/xdm:condition/xdm:value")]
    return []


RULES: dict[str, Sequence[Rule]] = {
    OFFER: (option_lifecycle, distinct_placements, calendar_window),
    FALLBACK: (option_lifecycle, distinct_placements),
    TAG: (unique_tag_name,),
    FILTER: (filter_targets,),
    ACTIVITY: (activity_dates, fallback_fits_placement),
    RULE: (pql_subset,),
}
