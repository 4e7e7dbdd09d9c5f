"""The public face of the PQL subset: compile a rule once, evaluate it per profile.

``compile_rule`` does all the refusing (so a rule outside the subset is a 422 when it is
created or updated, never a surprise at decision time); ``Rule.evaluate`` never raises.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from mockxcore.decisioning.pql import values
from mockxcore.decisioning.pql.compiler import Compiler, Env, Fn, Scope
from mockxcore.decisioning.pql.errors import PqlError, Refusal, error_at
from mockxcore.decisioning.pql.parser import parse


@dataclass(frozen=True)
class Profile:
    """What a rule can read about the person a decision is for.

    ``attributes`` is the implicit root of paths (``person.age``); ``segment_membership`` is
    what ``segmentMembership.get("ups").get("<id>").status`` reads; ``events`` is ``xEvent``,
    each event a mapping with an RFC 3339 ``timestamp`` and any other fields.
    """

    attributes: Mapping[str, Any] = field(default_factory=dict)
    segment_membership: Mapping[str, Any] = field(default_factory=dict)
    events: Sequence[Mapping[str, Any]] = ()


class Rule:
    """A compiled eligibility rule; immutable, so one instance can serve every decision."""

    __slots__ = ("_run", "_slot_count", "context_schemas", "text")

    def __init__(
        self, text: str, run: Fn, slot_count: int, context_schemas: frozenset[str]
    ) -> None:
        self.text = text
        self.context_schemas = context_schemas
        self._run = run
        self._slot_count = slot_count

    def evaluate(self, profile: Profile, context: Mapping[str, Any], now: datetime) -> bool:
        """Whether the rule holds for ``profile``, with ``context`` mapping a context schema id
        (the text inside ``@{...}``) to that item's data, at the mock clock's ``now``.

        Missing or oddly typed data follows the null rules (docs/pql.md): it makes a
        predicate false, it never raises.
        """
        env = Env(
            _mapping(profile.attributes),
            _mapping(profile.segment_membership),
            _sequence(profile.events),
            _mapping(context),
            _utc(now),
            self._slot_count,
        )
        try:
            return values.truth(self._run(env))
        except RecursionError:  # only from a caller already near Python's stack limit
            return False

    def __repr__(self) -> str:
        return f"Rule({self.text!r})"


def compile_rule(text: str) -> Rule:
    """Parse and check ``text``; raise :class:`PqlError` for anything outside the subset.

    Pure, and cached by text: compiling the same rule twice costs a dictionary lookup.
    """
    if not isinstance(text, str):
        raise PqlError("a rule must be text", position=0, line=1, column=1)
    return _compile(text)


@functools.lru_cache(maxsize=512)
def _compile(text: str) -> Rule:
    try:
        tree = parse(text)
        compiler = Compiler()
        run = compiler.compile(tree, Scope())
    except Refusal as refusal:
        raise error_at(text, refusal.position, refusal.message, refusal.construct) from None
    except RecursionError:  # unreachable below the depth limit; a promise, not a hope
        raise error_at(text, 0, "the rule nests too deeply") from None
    return Rule(text, run, compiler.slot_count, frozenset(compiler.schemas))


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _sequence(value: object) -> Sequence[Any]:
    """Events as a list or tuple, the only sequences rules treat as lists."""
    if isinstance(value, list | tuple):
        return value
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return list(value)
    return ()


def _utc(now: datetime) -> datetime:
    if now.tzinfo is None:
        return now.replace(tzinfo=UTC)
    return now if now.tzinfo is UTC else now.astimezone(UTC)
