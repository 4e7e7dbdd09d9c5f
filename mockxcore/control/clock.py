"""The one clock every timestamp and time-based rule of the mock reads.

It follows wall time until frozen; a frozen clock only moves when told to (``advance``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)
"""The range a clock may be set to: room is left for the durations rules add to "now"."""


def in_range(moment: datetime) -> datetime:
    """``moment``, if a clock may be set to it (ValueError otherwise)."""
    if not EARLIEST <= moment < LATEST:
        raise ValueError(
            f"the clock can be set from {EARLIEST.date()} up to {LATEST.date()}, not {moment}"
        )
    return moment


class Clock:
    def __init__(self, wall: Callable[[], datetime] | None = None) -> None:
        self._wall = wall or (lambda: datetime.now(UTC))
        self._frozen: datetime | None = None

    def now(self) -> datetime:
        return self._frozen if self._frozen is not None else self._wall()

    @property
    def frozen(self) -> bool:
        return self._frozen is not None

    def freeze(self, at: datetime | None = None) -> None:
        moment = at or self.now()
        if moment.tzinfo is None:
            raise ValueError("the clock needs an aware datetime (with a UTC offset)")
        self._frozen = in_range(moment.astimezone(UTC))

    def advance(self, delta: timedelta) -> None:
        """Move a frozen clock forward (freezing it at now + delta if it was running)."""
        try:
            self._frozen = in_range(self.now() + delta)
        except OverflowError:
            raise ValueError(f"advancing the clock by {delta} goes past {LATEST.date()}") from None

    def unfreeze(self) -> None:
        self._frozen = None
