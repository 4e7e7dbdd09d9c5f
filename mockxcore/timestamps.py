"""RFC 3339 timestamps as the repository writes and compares them.

Adobe writes millisecond UTC timestamps (``2019-06-05T03:44:25.343Z``); clients may send any
RFC 3339 offset or a plain date, and filters must compare them as instants, not as text.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2}))?$"
)


def parse(text: str) -> datetime | None:
    """Return the aware instant ``text`` denotes, or None when it is not RFC 3339.

    A plain date (``2019-06-13``) means midnight UTC of that day.

    >>> parse("2019-06-13T11:21:23.356Z").isoformat()
    '2019-06-13T11:21:23.356000+00:00'
    >>> parse("next tuesday") is None
    True
    """
    if len(text) < 10 or len(text) > 40 or not text[0].isdigit():
        return None
    m = _RFC3339.match(text)
    if m is None:
        return None
    year, month, day, hh, mm, ss, frac, zone = m.groups()
    try:
        if hh is None:
            return datetime(int(year), int(month), int(day), tzinfo=UTC)
        micro = int((frac or ".0")[1:7].ljust(6, "0"))
        iso_zone = "+00:00" if zone in ("Z", "z") else zone
        base = datetime.fromisoformat(f"{year}-{month}-{day}T{hh}:{mm}:{ss}{iso_zone}")
        return base.replace(microsecond=micro)
    except ValueError:
        return None


def format(moment: datetime) -> str:
    """Millisecond UTC, the way Adobe's repository writes ``repo:createdDate``."""
    u = moment.astimezone(UTC)  # not strftime: its %Y does not pad years before 1000
    return (
        f"{u.year:04d}-{u.month:02d}-{u.day:02d}T{u.hour:02d}:{u.minute:02d}:{u.second:02d}."
        f"{u.microsecond // 1000:03d}Z"
    )


def epoch_micros(moment: datetime) -> int:
    """An exact integer sort key for an instant (floats would lose microseconds)."""
    delta = moment - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def at_epoch_micros(micros: int) -> datetime:
    """Inverse of :func:`epoch_micros`."""
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=micros)


def from_epoch_micros(micros: int) -> str:
    """:func:`at_epoch_micros` as text, keeping microseconds so a cursor round-trips."""
    moment = at_epoch_micros(micros)
    return format(moment)[:-4] + f"{moment.microsecond:06d}Z"
