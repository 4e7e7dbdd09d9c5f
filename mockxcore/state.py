"""Everything one mock holds, in one object owned by its event loop.

``MockState`` ties the clock, the seeded RNGs, the contracts, the repository and the control
plane (journal, faults, latency) together, and knows the start-up data so that :meth:`reset`
can return to it.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mockxcore import contracts, snapshot, timestamps
from mockxcore.auth import read_tokens
from mockxcore.config import Config
from mockxcore.conformance import Conformance, request_violations
from mockxcore.control import persistence
from mockxcore.control.clock import Clock, in_range
from mockxcore.control.durations import parse_duration
from mockxcore.control.faults import Faults
from mockxcore.control.journal import Entry, Journal
from mockxcore.control.latency import Latency
from mockxcore.control.matching import bad
from mockxcore.decisioning.service import Decisioning
from mockxcore.offers import rules
from mockxcore.store import MemoryStore
from mockxcore.target.state import TargetState
from mockxcore.xcore.repository import Repository, Settings

_AUTH_POINTERS = frozenset(
    {
        "/headers/Authorization",
        "/headers/x-api-key",
        "/headers/x-gw-ims-org-id",
        "/headers/x-sandbox-name",
    }
)


class MockState:
    def __init__(self, config: Config, clock: Clock | None = None) -> None:
        self.config = config
        self.clock = clock or Clock()
        self.contracts = contracts.default().extended(
            s if isinstance(s, dict) else contracts.read_schema(s) for s in config.schemas
        )
        self.startup = snapshot.merge(snapshot.read(p) for p in config.data)
        self.tokens = read_tokens(config.tokens_file) if config.tokens_file else frozenset()
        self.journal = Journal(config.journal_size, config.record, self._check)
        self._conformance: Conformance | None = None
        self.admin_port: int | None = None
        """The port the control plane is served on when it has its own (set once bound)."""
        # Latency and fault draws have their own seeded stream, so turning faults on or off
        # does not change the ids the repository generates.
        self.control_rng = random.Random(f"{self.config.seed}:control")
        self.repository = self._fresh_repository()
        saved = persistence.read(Path(config.state_file)) if config.state_file else None
        self._install(saved if saved is not None else self.startup, self.repository)
        self.decisioning = Decisioning(
            lambda: self.repository, random.Random(f"{config.seed}:decisions")
        )

    @property
    def conformance(self) -> Conformance:
        """The contracts of this mock (its own schemas included) as a checker, built on use."""
        if self._conformance is None:
            # Imported here so that ``python -m mockxcore.openapi`` is not already imported.
            from mockxcore import openapi

            self._conformance = Conformance(openapi.build(self.contracts))
        return self._conformance

    def _check(self, entry: Entry) -> list[dict[str, Any]]:
        headers = entry.headers if isinstance(entry.headers, Mapping) else dict(entry.headers)
        violations = request_violations(
            self.conformance, entry.method, entry.path, entry.query, headers, entry.body
        )
        if self.config.auth == "off":
            # The user chose not to send Adobe's headers: their absence is no finding.
            violations = [v for v in violations if v.pointer not in _AUTH_POINTERS]
        return [v.to_dict() for v in violations]

    def _fresh_repository(self) -> Repository:
        after = parse_duration(self.config.delete_after) if self.config.delete_after else None
        settings = Settings(
            delete_polls=self.config.delete_polls,
            delete_after=after,
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

    def _install(self, data: Any, repository: Repository) -> None:
        """Make ``data`` (a snapshot) the state. Everything is checked before anything changes;
        control settings the snapshot leaves out come from the configuration."""
        snapshot.check(repository.contracts, data)
        faults = Faults()
        faults.replace_all(list(data.get("faults", self.config.faults)))
        latency = Latency.from_dict(data.get("latency", self.config.latency or {}))
        frozen_at = None
        clock = data.get("clock") or {"frozen": False}
        if isinstance(clock, dict) and clock.get("frozen"):
            frozen_at = timestamps.parse(str(clock.get("now", "")))
            if frozen_at is None:
                raise bad("/clock/now", "a frozen clock needs now: an RFC 3339 instant")
            try:
                in_range(frozen_at)
            except ValueError as exc:
                raise bad("/clock/now", str(exc)) from None
        target = TargetState(self.config, self.contracts)
        if "target" in data:
            target.load(data["target"])
        # Undated instances get the snapshot's own "now" when it freezes the clock.
        snapshot.load(repository, data, timestamps.format(frozen_at) if frozen_at else None)
        self.repository = repository
        self.target = target
        self.faults, self.latency = faults, latency
        if frozen_at is not None:
            self.clock.freeze(frozen_at)
        else:
            self.clock.unfreeze()

    def reset(self) -> None:
        """Back to the start-up data and settings: ids, RNG sequences, faults, latency, clock,
        and an empty journal."""
        self._install(self.startup, self._fresh_repository())
        self.control_rng = random.Random(f"{self.config.seed}:control")
        self.decisioning = Decisioning(
            lambda: self.repository, random.Random(f"{self.config.seed}:decisions")
        )
        self.journal.clear()

    def export(self) -> dict[str, Any]:
        document = snapshot.dump(self.repository)
        document["clock"] = (
            {"frozen": True, "now": timestamps.format(self.clock.now())}
            if self.clock.frozen
            else {"frozen": False}
        )
        document["faults"] = [rule.to_dict() for rule in self.faults.rules]
        document["latency"] = self.latency.to_dict()
        document["target"] = self.target.export()
        return document

    def import_(self, data: Any) -> None:
        """Replace all state with a snapshot; on any error, nothing changes."""
        self._install(data, self.repository)
