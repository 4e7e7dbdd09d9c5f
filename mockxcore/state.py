"""Everything one mock holds, in one object owned by its event loop.

``MockState`` ties the clock, the seeded RNG, the contracts and the repository together, and
knows the start-up data so that :meth:`reset` can return to it.
"""

from __future__ import annotations

import random
from typing import Any

from mockxcore import contracts, snapshot
from mockxcore.config import Config
from mockxcore.control.clock import Clock
from mockxcore.offers import rules
from mockxcore.store import MemoryStore
from mockxcore.xcore.repository import Repository, Settings


class MockState:
    def __init__(self, config: Config, clock: Clock | None = None) -> None:
        self.config = config
        self.clock = clock or Clock()
        self.contracts = contracts.default().extended(
            s if isinstance(s, dict) else contracts.read_schema(s) for s in config.schemas
        )
        self.startup = snapshot.merge(snapshot.read(p) for p in config.data)
        self.repository = self._fresh_repository()
        snapshot.load(self.repository, self.startup)

    def _fresh_repository(self) -> Repository:
        settings = Settings(
            delete_polls=self.config.delete_polls,
            auto_container=self.config.auto_container,
            default_limit=self.config.default_limit,
            max_limit=self.config.max_limit,
            seed=self.config.seed,
        )
        return Repository(
            MemoryStore(),
            self.contracts,
            self.clock,
            random.Random(self.config.seed),
            settings,
            rules.RULES,
        )

    def reset(self) -> None:
        """Back to the start-up data, ids and RNG sequence included."""
        repository = self._fresh_repository()
        snapshot.load(repository, self.startup)
        self.repository = repository

    def export(self) -> dict[str, Any]:
        return snapshot.dump(self.repository)

    def import_(self, data: Any) -> None:
        """Replace all state with a snapshot; on any error nothing changes."""
        snapshot.load(self.repository, data)
