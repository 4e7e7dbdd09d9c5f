"""The one clock every timestamp and time-based rule of the mock reads.

It follows wall time until frozen; a frozen clock only moves when told to (``advance``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta


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
        self._frozen = moment.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        """Move a frozen clock forward (freezing it at now + delta if it was running)."""
        self._frozen = self.now() + delta

    def unfreeze(self) -> None:
        self._frozen = None
