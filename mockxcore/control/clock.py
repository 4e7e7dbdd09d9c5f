"""The one clock every timestamp and time-based rule of the mock reads.

It follows wall time until frozen; a frozen clock only moves when told to (``advance``).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from mockxcore.timestamps import epoch_micros

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
    def __init__(self) -> None:
        self._frozen: datetime | None = None
        self._frozen_micros = 0

    def now(self) -> datetime:
        return self._frozen if self._frozen is not None else datetime.now(UTC)

    def micros(self) -> int:
        """Now, in microseconds since the epoch: what the journal keeps of every request (an
        int costs a fraction of a datetime; it becomes one when the entry is read)."""
        return self._frozen_micros if self._frozen is not None else time.time_ns() // 1000

    @property
    def frozen(self) -> bool:
        return self._frozen is not None

    def freeze(self, at: datetime | None = None) -> None:
        moment = at or self.now()
        if moment.tzinfo is None:
            raise ValueError("the clock needs an aware datetime (with a UTC offset)")
        self._set(in_range(moment.astimezone(UTC)))

    def advance(self, delta: timedelta) -> None:
        """Move a frozen clock forward (freezing it at now + delta if it was running)."""
        try:
            self._set(in_range(self.now() + delta))
        except OverflowError:
            raise ValueError(f"advancing the clock by {delta} goes past {LATEST.date()}") from None

    def unfreeze(self) -> None:
        self._frozen = None

    def _set(self, moment: datetime) -> None:
        self._frozen, self._frozen_micros = moment, epoch_micros(moment)
