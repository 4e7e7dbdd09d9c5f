"""Durations as people write them: ``50ms``, ``2s``, ``1.5m``, ``PT5M`` (ISO 8601), or a number
of milliseconds. One parser for the CLI, the admin API and Python."""

from __future__ import annotations

import re
from datetime import timedelta

_SIMPLE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(us|ms|s|m|h|d)\s*$")
_ISO = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)
_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
MAX = timedelta(days=366 * 100)


def parse_duration(value: str | int | float) -> timedelta:
    """Parse a duration; a bare number means milliseconds.

    >>> [parse_duration(v).total_seconds() for v in ("50ms", "PT5M", 250)]
    [0.05, 300.0, 0.25]
    """
    if isinstance(value, bool):
        raise ValueError("a duration is a string like '50ms' or a number of milliseconds")
    if isinstance(value, int | float):
        if value < 0:
            raise ValueError(f"a duration cannot be negative: {value}")
        seconds = value / 1000
    elif isinstance(value, str):
        simple = _SIMPLE.match(value)
        iso = _ISO.match(value.strip().upper()) if not simple else None
        if simple:
            seconds = float(simple.group(1)) * _UNITS[simple.group(2)]
        elif iso and value.strip().upper() not in ("P", "PT"):
            parts = {k: float(v) for k, v in iso.groupdict().items() if v}
            seconds = (
                parts.get("d", 0) * 86400
                + parts.get("h", 0) * 3600
                + parts.get("m", 0) * 60
                + parts.get("s", 0)
            )
        else:
            raise ValueError(
                f"{value!r} is not a duration: write e.g. '50ms', '2s', '1.5m' or 'PT5M'"
            )
    else:
        raise ValueError("a duration is a string like '50ms' or a number of milliseconds")
    if not seconds <= MAX.total_seconds():  # also refuses NaN, before timedelta overflows
        raise ValueError(f"{value!r} is too long a duration (at most {MAX.days} days)")
    return timedelta(seconds=seconds)


def format_duration(delta: timedelta) -> str:
    """The shortest exact spelling in ms or s (``50ms``, ``2s``)."""
    micros = round(delta.total_seconds() * 1_000_000)
    if micros % 1_000_000 == 0:
        return f"{micros // 1_000_000}s"
    if micros % 1000 == 0:
        return f"{micros // 1000}ms"
    return f"{micros}us"
