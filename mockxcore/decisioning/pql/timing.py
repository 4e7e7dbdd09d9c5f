"""Calendar arithmetic for ``occurs``, ``today`` and ``last month``, all in UTC.

Every time reference denotes an interval ``[start, end)``; an instant (``now``, a timestamp
attribute) has ``start == end``. The rules are the notes' §5 table. Arithmetic saturates at the
ends of the calendar instead of raising, so ``occurs <= 100000 years before now`` just means
"any time up to now".
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Final

MIN_TIME: Final = datetime.min.replace(tzinfo=UTC)
MAX_TIME: Final = datetime.max.replace(tzinfo=UTC)

Interval = tuple[datetime, datetime]

_FIXED: Final = {
    "millisecond": timedelta(milliseconds=1),
    "second": timedelta(seconds=1),
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(weeks=1),
}
_MONTHS: Final = {"month": 1, "year": 12, "decade": 120, "century": 1200, "millennium": 12000}
_YEARS_PER: Final = {"decade": 10, "century": 100, "millennium": 1000}
_IRREGULAR: Final = {"centuries": "century", "millennia": "millennium"}

UNITS: Final = frozenset(_FIXED) | frozenset(_MONTHS)


def unit_name(word: str) -> str:
    """The singular unit a unit word names: ``Months`` -> ``month``, ``millennia`` -> ..."""
    lower = word.lower()
    if lower in _IRREGULAR:
        return _IRREGULAR[lower]
    return lower[:-1] if lower.endswith("s") else lower


def shift(moment: datetime, count: int, unit: str) -> datetime:
    """``moment`` plus ``count`` units: calendar units keep the day, clamped to the month's end
    (Aug 31 - 6 months = Feb 29 in a leap year); beyond year 1 or 9999 it saturates."""
    try:
        if unit in _FIXED:
            return moment + _FIXED[unit] * count
        months = moment.month - 1 + _MONTHS[unit] * count
        year = moment.year + months // 12
        month = months % 12 + 1
    except OverflowError:
        return MIN_TIME if count < 0 else MAX_TIME
    if year < 1:
        return MIN_TIME
    if year > 9999:
        return MAX_TIME
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def floor(moment: datetime, unit: str) -> datetime:
    """The start of the calendar ``unit`` containing ``moment`` (weeks start on Monday)."""
    if unit == "millisecond":
        return moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    if unit == "second":
        return moment.replace(microsecond=0)
    if unit == "minute":
        return moment.replace(second=0, microsecond=0)
    if unit == "hour":
        return moment.replace(minute=0, second=0, microsecond=0)
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if unit == "day":
        return midnight
    if unit == "week":
        return shift(midnight, -midnight.weekday(), "day")
    if unit == "month":
        return midnight.replace(day=1)
    if unit == "year":
        return midnight.replace(month=1, day=1)
    span = _YEARS_PER[unit]
    return midnight.replace(year=max(1, moment.year // span * span), month=1, day=1)


def day_of(moment: datetime) -> Interval:
    start = floor(moment, "day")
    return start, shift(start, 1, "day")


def period(now: datetime, which: str, unit: str) -> Interval:
    """``this``, ``last`` or ``next`` ``unit``: the calendar unit containing now, or a neighbour."""
    start = shift(floor(now, unit), {"this": 0, "last": -1, "next": 1}[which], unit)
    return start, shift(start, 1, unit)


def time_word(now: datetime, word: str) -> Interval:
    if word == "now":
        return now, now
    today = floor(now, "day")
    start = shift(today, {"today": 0, "yesterday": -1, "tomorrow": 1}[word], "day")
    return start, shift(start, 1, "day")


def distance_test(
    op: str, count: int, unit: str, direction: str, anchor: Interval
) -> Callable[[datetime], bool]:
    """The test ``t occurs <op> count unit before|after anchor`` (``from`` means ``after``),
    with its bounds worked out once, since most anchors are the same for every event."""
    origin = anchor[0]
    bound = shift(origin, -count if direction == "before" else count, unit)
    if op in ("=", "!="):
        slot, wanted = floor(bound, unit), op == "="
        return lambda moment: (floor(moment, unit) == slot) is wanted
    if direction == "before":
        return _before_test(op, bound, origin)
    return _after_test(op, bound, origin)


def _before_test(op: str, bound: datetime, origin: datetime) -> Callable[[datetime], bool]:
    if op == "<=":
        return lambda moment: bound <= moment <= origin
    if op == "<":
        return lambda moment: bound < moment <= origin
    if op == ">=":
        return lambda moment: moment <= bound
    return lambda moment: moment < bound


def _after_test(op: str, bound: datetime, origin: datetime) -> Callable[[datetime], bool]:
    if op == "<=":
        return lambda moment: origin <= moment <= bound
    if op == "<":
        return lambda moment: origin <= moment < bound
    if op == ">=":
        return lambda moment: moment >= bound
    return lambda moment: moment > bound


def occurs_direction(moment: datetime, direction: str, anchor: Interval) -> bool:
    """``before`` means before the anchor starts; ``after``/``from``, once it has ended."""
    start, end = anchor
    if direction == "before":
        return moment < start
    return moment > end if start == end else moment >= end


def occurs_on(moment: datetime, anchor: Interval) -> bool:
    start, end = anchor
    return moment == start if start == end else start <= moment < end


def occurs_between(moment: datetime, first: Interval, last: Interval) -> bool:
    """From the start of ``first`` to the end of ``last``: a whole last day counts, and an
    instant as the last bound is included."""
    start, end = first[0], last[1]
    return start <= moment <= end if last[0] == last[1] else start <= moment < end
