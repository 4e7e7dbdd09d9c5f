"""The reference graph of one container: who points at which ``@id``, from where.

Kept up to date on every write, so "may this be deleted?" is a dictionary lookup.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Reference = tuple[str, str]
"""``(pointer inside _instance, target @id)``"""


@dataclass
class ReferenceGraph:
    outbound: dict[str, list[Reference]] = field(default_factory=dict)
    inbound: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def set(self, instance_id: str, refs: list[Reference]) -> None:
        self.remove(instance_id)
        if not refs:
            return
        self.outbound[instance_id] = list(refs)
        for where, target in refs:
            self.inbound.setdefault(target, {}).setdefault(instance_id, []).append(where)

    def remove(self, instance_id: str) -> None:
        for _where, target in self.outbound.pop(instance_id, []):
            sources = self.inbound.get(target)
            if sources is not None:
                sources.pop(instance_id, None)
                if not sources:
                    del self.inbound[target]

    def referrers(self, target: str) -> dict[str, list[str]]:
        """instanceId -> pointers, for every instance that references ``target``."""
        return {iid: list(ptrs) for iid, ptrs in self.inbound.get(target, {}).items()}
