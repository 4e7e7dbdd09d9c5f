"""Fault injection: rules that make matching requests fail the way real services fail.

A rule is one JSON object, the same over HTTP, from Python and on the command line::

    {"method": "PATCH", "path": "/data/core/xcore/*/instances/*",
     "header": {"x-sandbox-name": "prod"}, "body": {"/_instance/xdm:status": "approved"},
     "action": "conflict", "times": 1, "probability": 1.0}

with the action's parameters as siblings. Actions: ``conflict`` (a concurrent update: the
instance's etag really moves, then 409), ``status`` (``status``, optional ``retryAfter``,
``message``), ``latency`` (``delay``), ``drop``, ``reset``, ``truncate``, ``slow-body``
(``duration``, ``chunks``), and ``delete`` (``polls`` or ``after``: how this delete's outcome
is revealed).
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from mockxcore.control.durations import format_duration, parse_duration
from mockxcore.control.latency import Delay, parse_delay
from mockxcore.control.matching import Matcher, bad, parse_matcher
from mockxcore.problems import not_found

ACTIONS: dict[str, frozenset[str]] = {
    "conflict": frozenset(),
    "status": frozenset({"status", "retryAfter", "message"}),
    "latency": frozenset({"delay"}),
    "drop": frozenset(),
    "reset": frozenset(),
    "truncate": frozenset(),
    "slow-body": frozenset({"duration", "chunks"}),
    "delete": frozenset({"polls", "after"}),
}
TERMINAL = frozenset({"conflict", "status", "drop", "reset", "truncate", "slow-body"})
"""Actions that decide the answer; only the first matching one fires per request."""
COMMON = frozenset(
    {"id", "method", "path", "header", "body", "action", "times", "probability", "fired"}
)
MAX_RULES = 256


@dataclass
class FaultRule:
    id: str
    matcher: Matcher
    action: str
    times: int | None = None
    probability: float = 1.0
    status: int = 503
    retry_after: int | None = None
    message: str | None = None
    delay: Delay | None = None
    duration: timedelta = field(default_factory=lambda: timedelta(seconds=2))
    chunks: int = 10
    polls: int | None = None
    after: timedelta | None = None
    fired: int = 0

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.fired >= self.times

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, **self.matcher.to_dict(), "action": self.action}
        if self.times is not None:
            out["times"] = self.times
        out["probability"] = self.probability
        if self.action == "status":
            out["status"] = self.status
            if self.retry_after is not None:
                out["retryAfter"] = self.retry_after
            if self.message is not None:
                out["message"] = self.message
        elif self.action == "latency" and self.delay is not None:
            out["delay"] = self.delay.spec()
        elif self.action == "slow-body":
            out["duration"] = format_duration(self.duration)
            out["chunks"] = self.chunks
        elif self.action == "delete":
            if self.polls is not None:
                out["polls"] = self.polls
            if self.after is not None:
                out["after"] = format_duration(self.after)
        out["fired"] = self.fired
        return out


def parse_rule(data: Any, rule_id: str, where: str = "") -> FaultRule:
    """Validate a rule; a 400 problem names the first thing wrong (with its pointer)."""
    if not isinstance(data, dict):
        raise bad(where, "a fault rule is a JSON object")
    action = data.get("action")
    if action not in ACTIONS:
        raise bad(f"{where}/action", f"action must be one of {', '.join(ACTIONS)}")
    unknown = set(data) - COMMON - ACTIONS[action]
    if unknown:
        raise bad(f"{where}/{sorted(unknown)[0]}", f"not a parameter of a {action} fault")
    rule = FaultRule(rule_id, parse_matcher(data, where), action)
    times = data.get("times")
    if times is not None and (not isinstance(times, int) or isinstance(times, bool) or times < 1):
        raise bad(f"{where}/times", "times is a positive integer")
    rule.times = times
    probability = data.get("probability", 1.0)
    if (
        not isinstance(probability, int | float)
        or isinstance(probability, bool)
        or not 0 <= probability <= 1
    ):
        raise bad(f"{where}/probability", "probability is a number between 0 and 1")
    rule.probability = float(probability)
    fired = data.get("fired", 0)
    if not isinstance(fired, int) or isinstance(fired, bool) or fired < 0:
        raise bad(f"{where}/fired", "fired is a count")
    rule.fired = fired
    try:
        _parameters(rule, data, where)
    except ValueError as exc:
        raise bad(where, str(exc)) from None
    return rule


def _parameters(rule: FaultRule, data: dict[str, Any], where: str) -> None:
    if rule.action == "status":
        status = data.get("status", 503)
        if not isinstance(status, int) or isinstance(status, bool) or not 400 <= status <= 599:
            raise bad(f"{where}/status", "status is an error status, 400 to 599")
        rule.status = status
        if "retryAfter" in data:
            retry = data["retryAfter"]
            seconds = retry if isinstance(retry, int) and not isinstance(retry, bool) else None
            if isinstance(retry, str):
                seconds = round(parse_duration(retry).total_seconds())
            if seconds is None or seconds < 0:
                raise bad(f"{where}/retryAfter", "retryAfter is seconds or a duration ('2s')")
            rule.retry_after = seconds
        if "message" in data:
            if not isinstance(data["message"], str):
                raise bad(f"{where}/message", "message is a string")
            rule.message = data["message"][:1000]
    elif rule.action == "latency":
        if "delay" not in data:
            raise bad(f"{where}/delay", "a latency fault needs a delay ('50ms')")
        rule.delay = parse_delay(data["delay"])
    elif rule.action == "slow-body":
        rule.duration = parse_duration(data.get("duration", "2s"))
        if rule.duration > timedelta(minutes=5):
            raise bad(f"{where}/duration", "a slow body lasts at most 5 minutes")
        chunks = data.get("chunks", 10)
        if not isinstance(chunks, int) or isinstance(chunks, bool) or not 1 <= chunks <= 1000:
            raise bad(f"{where}/chunks", "chunks is an integer from 1 to 1000")
        rule.chunks = chunks
    elif rule.action == "delete":
        if ("polls" in data) == ("after" in data):
            raise bad(where, "a delete fault sets either polls (a count) or after (a duration)")
        if "polls" in data:
            polls = data["polls"]
            if not isinstance(polls, int) or isinstance(polls, bool) or not 1 <= polls <= 1000:
                raise bad(f"{where}/polls", "polls is an integer from 1 to 1000")
            rule.polls = polls
        else:
            rule.after = parse_duration(data["after"])


class Faults:
    """The active fault rules of one mock, in the order they were added."""

    def __init__(self) -> None:
        self.rules: list[FaultRule] = []
        self._next = 1

    def add(self, data: Any) -> FaultRule:
        if len(self.rules) >= MAX_RULES:
            raise bad("", f"at most {MAX_RULES} fault rules at a time")
        rule = parse_rule(data, f"fault-{self._next}")
        self._next += 1
        self.rules.append(rule)
        return rule

    def replace_all(self, rules: list[Any]) -> None:
        """All or nothing: every rule is validated before any replaces the current ones."""
        if not isinstance(rules, list):
            raise bad("", "faults is a list of rules")
        if len(rules) > MAX_RULES:
            raise bad("", f"at most {MAX_RULES} fault rules at a time")
        parsed: list[FaultRule] = []
        for n, data in enumerate(rules):
            given = data.get("id") if isinstance(data, dict) else None
            rule = parse_rule(data, str(given or f"fault-{n + 1}"), f"/{n}")
            if any(other.id == rule.id for other in parsed):
                raise bad(f"/{n}/id", f"two fault rules have the id {rule.id!r}")
            parsed.append(rule)
        self.rules = parsed
        # New ids continue after every id taken, so none is handed out twice.
        numbers = [int(r.id[6:]) for r in parsed if re.fullmatch(r"fault-\d{1,9}", r.id)]
        self._next = max([len(parsed), *numbers]) + 1

    def clear(self) -> None:
        self.rules.clear()

    def get(self, rule_id: str) -> FaultRule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise not_found("fault rule", rule_id)

    def remove(self, rule_id: str) -> FaultRule:
        rule = self.get(rule_id)
        self.rules.remove(rule)
        return rule

    @property
    def match_bodies(self) -> bool:
        return any(rule.matcher.body for rule in self.rules)

    def fire(
        self,
        method: str,
        path: str,
        headers: Mapping[str, str],
        body: Any,
        rng: random.Random,
    ) -> list[FaultRule]:
        """The rules that fire for this request (their counts move): at most one deciding
        the answer, plus any latency and delete rules."""
        fired: list[FaultRule] = []
        decided = False
        for rule in self.rules:
            if rule.exhausted or (decided and rule.action in TERMINAL):
                continue
            if not rule.matcher.matches(method, path, headers, body):
                continue
            if rule.probability < 1.0 and rng.random() >= rule.probability:
                continue
            rule.fired += 1
            fired.append(rule)
            decided = decided or rule.action in TERMINAL
        return fired
