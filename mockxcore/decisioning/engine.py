"""The decision: for each requested activity, the best eligible offers, else its fallback.

Pure: it reads a compiled :class:`~mockxcore.decisioning.catalog.Catalog`, a profile, cap
counts and the clock's "now", draws ties from the given RNG, and answers the propositions and
the cap increments to apply (the caller applies them unless it is a dry run).

For each activity, in request order:

1. the activity must exist, be ``live`` and be inside its dates;
2. candidates: approved personalized offers selected by its filter, with a representation for
   its placement (compiled once per catalog revision);
3. eligible: inside their calendar window, their eligibility rule holds for this profile and
   context (each rule evaluated at most once per request), under their global and per-profile
   caps (counting what this request has already proposed);
4. ranked by ``xdm:rank.xdm:priority``, higher first; ties broken by the seeded RNG;
5. arbitration: an offer proposed for an earlier activity is skipped, unless duplicates are
   allowed across activities, so the activity falls to its next best;
6. nothing left: the activity's fallback.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mockxcore.decisioning.catalog import Activity, Catalog, Option
from mockxcore.decisioning.pql import Profile
from mockxcore.problems import ErrorItem, Problem


@dataclass(frozen=True)
class DecisionRequest:
    activities: tuple[str, ...]
    identities: tuple[tuple[str, str], ...]
    """(namespace, id) pairs in the order the identity map gave them."""
    context: Mapping[str, Any] = field(default_factory=dict)
    """Context data by schema id (what ``@{schemaId}`` reads)."""
    dry_run: bool = False
    allow_duplicates: bool = False
    item_count: int = 1


@dataclass
class Outcome:
    propositions: list[dict[str, Any]]
    increments: dict[str, int]
    """Cap counter key -> how much this decision draws down."""
    chosen: list[dict[str, Any]]
    """Per activity: what was proposed (for the decision event)."""


def global_key(offer: str) -> str:
    return f"global|{offer}"


def profile_key(offer: str, identity: tuple[str, str]) -> str:
    return f"profile|{offer}|{identity[0]}|{identity[1]}"


def _problem(status: int, slug: str, detail: str) -> dict[str, Any]:
    """A per-activity error, in the problem shape every other error has."""
    return Problem(status, slug, detail, [ErrorItem(slug, detail, "")]).to_dict()


def activity_not_found(uri: str) -> dict[str, Any]:
    """The entry a decision (or a dry run) gives for an activity the container lacks."""
    return {
        "xdm:activity": {"xdm:id": uri},
        "xdm:error": _problem(
            404, "activity-not-found", f"no offer activity {uri} in this container"
        ),
    }


def option_document(option: Option, placement: str, *, ranked: bool) -> dict[str, Any]:
    """An offer as a proposition carries it: id, etag, and its representation for the
    placement (components included)."""
    doc: dict[str, Any] = {"xdm:id": option.uri, "repo:etag": option.etag, "xdm:name": option.name}
    if ranked:
        doc["xdm:priority"] = option.priority
    doc["xdm:representation"] = option.representations.get(placement)
    if option.characteristics:
        doc["xdm:characteristics"] = option.characteristics
    return doc


def decide(
    catalog: Catalog,
    request: DecisionRequest,
    profile: Profile,
    identity: tuple[str, str] | None,
    counter: Callable[[str], int],
    now: datetime,
    rng: random.Random,
) -> Outcome:
    proposed: set[str] = set()
    increments: dict[str, int] = {}
    rule_results: dict[str, bool] = {}
    propositions: list[dict[str, Any]] = []
    chosen_log: list[dict[str, Any]] = []

    def count(key: str) -> int:
        return counter(key) + increments.get(key, 0)

    def eligible(option: Option) -> bool:
        if not option.in_window(now):
            return False
        if option.rule is not None:
            result = rule_results.get(option.rule)
            if result is None:
                rule = catalog.rules.get(option.rule)
                result = rule is not None and rule.evaluate(profile, request.context, now)
                rule_results[option.rule] = result
            if not result:
                return False
        if option.global_cap is not None and count(global_key(option.uri)) >= option.global_cap:
            return False
        return not (
            option.profile_cap is not None
            and identity is not None
            and count(profile_key(option.uri, identity)) >= option.profile_cap
        )

    for uri in request.activities:
        activity = catalog.activities.get(uri)
        if activity is None:
            propositions.append(activity_not_found(uri))
            continue
        header = {
            "xdm:activity": {"xdm:id": activity.uri, "repo:etag": activity.etag},
            "xdm:placement": {
                "xdm:id": activity.placement,
                "repo:etag": catalog.placements.get(activity.placement),
            },
        }
        problem = _inactive(activity, now)
        if problem is not None:
            propositions.append({**header, "xdm:error": problem})
            continue
        options = _choose(catalog, activity, request, eligible, proposed, rng)
        for option in options:
            proposed.add(option.uri)
            increments[global_key(option.uri)] = increments.get(global_key(option.uri), 0) + 1
            if identity is not None:
                key = profile_key(option.uri, identity)
                increments[key] = increments.get(key, 0) + 1
        proposition = {
            **header,
            "xdm:options": [option_document(o, activity.placement, ranked=True) for o in options],
        }
        fallback = catalog.fallbacks.get(activity.fallback)
        if not options:
            proposition["xdm:fallback"] = (
                option_document(fallback, activity.placement, ranked=False)
                if fallback is not None
                else {"xdm:id": activity.fallback}
            )
        propositions.append(proposition)
        chosen_log.append(
            {
                "activity": activity.uri,
                "options": [o.uri for o in options],
                "fallback": None if options else activity.fallback,
            }
        )
    return Outcome(propositions, increments, chosen_log)


def _inactive(activity: Activity, now: datetime) -> dict[str, Any] | None:
    if activity.status != "live":
        return _problem(
            422, "activity-not-live", f"activity {activity.uri} is {activity.status}, not live"
        )
    if not activity.active(now):
        return _problem(
            422, "activity-not-active", f"activity {activity.uri} is outside its dates at this time"
        )
    return None


def _choose(
    catalog: Catalog,
    activity: Activity,
    request: DecisionRequest,
    eligible: Callable[[Option], bool],
    proposed: set[str],
    rng: random.Random,
) -> list[Option]:
    chosen: list[Option] = []
    for _priority, group in catalog.candidates(activity):
        ready = [
            o
            for o in group
            if (request.allow_duplicates or o.uri not in proposed)
            and o not in chosen
            and eligible(o)
        ]
        rng.shuffle(ready)  # ties at one priority are broken at random, by the seeded RNG
        for option in ready:
            chosen.append(option)
            if len(chosen) == request.item_count:
                return chosen
    return chosen
