"""Pieces every strategy module shares: schema ids, generated ids, RFC 3339 instants."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from typing import Any, TypeVar

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from mockxcore.offers.schemas import (
    ACTIVITY,
    FALLBACK,
    FILTER,
    HTML,
    IMAGELINK,
    OFFER,
    PLACEMENT,
    RULE,
    TAG,
    TEXT,
)

Instance = dict[str, Any]
"""An ``_instance`` payload: what a client puts inside ``_instance``."""

PlacementRefs = Sequence[str] | Mapping[str, str]
"""Placement ``@id``s, or a mapping ``{@id: xdm:componentType}`` so components match."""

KINDS = {
    PLACEMENT: "offer-placement",
    OFFER: "personalized-offer",
    FALLBACK: "fallback-offer",
    RULE: "eligibility-rule",
    TAG: "tag",
    FILTER: "offer-filter",
    ACTIVITY: "offer-activity",
}
"""The ``{kind}`` part of ``xcore:{kind}:{15 hex}`` for each offer-management schema."""

COMPONENT_TYPES = (IMAGELINK, TEXT, HTML)

__all__ = [
    "ACTIVITY",
    "COMPONENT_TYPES",
    "FALLBACK",
    "FILTER",
    "HTML",
    "IMAGELINK",
    "KINDS",
    "OFFER",
    "PLACEMENT",
    "RULE",
    "TAG",
    "TEXT",
    "Instance",
    "PlacementRefs",
    "instants",
    "ordered_windows",
    "pick_rule",
    "select_rules",
    "uri_for",
    "uris",
]


def uri_for(kind: str, number: int) -> str:
    return f"xcore:{kind}:{number:015x}"


def uris(kind: str, *, avoid: Sequence[str] = ()) -> st.SearchStrategy[str]:
    """``@id``s of ``kind`` that are none of ``avoid`` (so "does not exist" holds)."""
    taken = frozenset(avoid)
    return (
        st.integers(0, 2**60 - 1).map(lambda n: uri_for(kind, n)).filter(lambda u: u not in taken)
    )


# -- instants ------------------------------------------------------------------------------
_FIRST = int(datetime(2000, 1, 1, tzinfo=UTC).timestamp())
_LAST = int(datetime(2099, 12, 31, tzinfo=UTC).timestamp())
_OFFSETS = (0, 60, 120, 330, 345, 540, 600, 840, -180, -300, -420, -480, -600, -720)

Moment = tuple[int, int]
"""An instant as (epoch seconds, milliseconds): exact, so ordering never depends on rounding."""

moments: st.SearchStrategy[Moment] = st.tuples(
    st.integers(_FIRST, _LAST), st.integers(0, 999) | st.just(0)
)


@st.composite
def _render(draw: st.DrawFn, moment: Moment) -> str:
    """Write ``moment`` the way some client might: any offset, Z or not, ms, us or none."""
    seconds, millis = moment
    offset = draw(st.sampled_from(_OFFSETS))
    local = datetime.fromtimestamp(seconds, timezone(timedelta(minutes=offset)))
    text = local.strftime("%Y-%m-%dT%H:%M:%S")
    if millis or draw(st.booleans()):
        text += f".{millis:03d}" + ("000" if draw(st.booleans()) else "")
    if offset == 0 and draw(st.booleans()):
        zone = "Z"
    else:
        sign = "-" if offset < 0 else "+"
        zone = f"{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"
    if draw(st.integers(0, 9)) == 0:
        # RFC 3339 section 5.6: "T" and "Z" may be written in lower case.
        text, zone = text.replace("T", "t"), zone.lower()
    return text + zone


@cache
def instants() -> st.SearchStrategy[str]:
    """RFC 3339 date-times between 2000 and 2099, in any offset and precision.

    >>> instants().example()   # doctest: +SKIP
    '2031-05-04T17:20:11.250+05:30'
    """
    return moments.flatmap(_render)


@cache
def ordered_windows(*, strict: bool = False) -> st.SearchStrategy[tuple[str, str]]:
    """(start, end) with start <= end as instants, each written in its own offset, so a
    server comparing the text instead of the instants is caught. With ``strict``, start < end:
    the invalid strategies swap such a pair to break ``date-order``."""
    return _windows(strict)


@st.composite
def _windows(draw: st.DrawFn, strict: bool) -> tuple[str, str]:
    first = draw(moments)
    second = draw(moments.filter(lambda m: m != first) if strict else moments)
    low, high = sorted((first, second))
    return draw(_render(low)), draw(_render(high))


# -- labelled mutations --------------------------------------------------------------------
M = TypeVar("M")


def select_rules(
    choices: list[tuple[str, M]], violating: Collection[str] | None
) -> dict[str, list[M]]:
    """Group mutations by the rule they break, keeping only ``violating`` when given."""
    grouped: dict[str, list[M]] = {}
    for rule, mutation in choices:
        grouped.setdefault(rule, []).append(mutation)
    if violating is None:
        return grouped
    unavailable = sorted(set(violating) - set(grouped))
    if unavailable or not violating:
        raise InvalidArgument(
            f"cannot break {unavailable or 'no rule'} here; possible: {sorted(grouped)}"
        )
    return {rule: grouped[rule] for rule in sorted(violating)}


def pick_rule(draw: st.DrawFn, grouped: dict[str, list[M]]) -> tuple[str, M]:
    # The rule first, then how to break it: every rule is equally likely, however many ways
    # there are to break it.
    rule = draw(st.sampled_from(sorted(grouped)))
    return rule, draw(st.sampled_from(grouped[rule]))
