"""Response latency: a delay distribution globally and per route, drawn from the seeded RNG.

A delay is written the same way everywhere (CLI, admin API, Python):
``40ms`` (fixed), ``uniform:min=10ms,max=50ms``, ``lognormal:median=30ms,sigma=0.4``.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any

from mockxcore.control.durations import format_duration, parse_duration
from mockxcore.control.matching import Matcher, bad, parse_matcher

MAX_DELAY = 300.0
"""Seconds; a mock that makes a client wait longer than five minutes is a hung mock."""


@dataclass(frozen=True)
class Delay:
    """A distribution of delays in seconds."""

    kind: str
    first: float
    second: float = 0.0

    def sample(self, rng: random.Random) -> float:
        if self.kind == "fixed":
            return self.first
        if self.kind == "uniform":
            return rng.uniform(self.first, self.second)
        return min(rng.lognormvariate(math.log(self.first), self.second), MAX_DELAY)

    def spec(self) -> str:
        def ms(seconds: float) -> str:
            return format_duration(parse_duration(seconds * 1000))

        if self.kind == "fixed":
            return ms(self.first)
        if self.kind == "uniform":
            return f"uniform:min={ms(self.first)},max={ms(self.second)}"
        return f"lognormal:median={ms(self.first)},sigma={self.second:g}"


def parse_delay(spec: str | int | float) -> Delay:
    """Parse a delay spec (see the module docstring); raises ValueError naming what is wrong.

    >>> parse_delay("uniform:min=10ms,max=50ms")
    Delay(kind='uniform', first=0.01, second=0.05)
    """
    delay = _parse_delay(spec)
    if max(delay.first, delay.second if delay.kind == "uniform" else 0) > MAX_DELAY:
        raise ValueError(f"{spec!r}: a delay is at most {MAX_DELAY:g} seconds")
    return delay


def _parse_delay(spec: str | int | float) -> Delay:
    if not isinstance(spec, str) or ":" not in spec:
        return Delay("fixed", parse_duration(spec).total_seconds())
    kind, _, rest = spec.partition(":")
    kind = kind.strip().lower()
    if kind == "fixed":
        return Delay("fixed", parse_duration(rest.strip()).total_seconds())
    params: dict[str, str] = {}
    for item in rest.split(","):
        name, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"{spec!r}: expected name=value, got {item!r}")
        params[name.strip().lower()] = value.strip()
    if kind == "uniform":
        low = parse_duration(params.get("min", "0ms")).total_seconds()
        high = parse_duration(_required(params, "max", spec)).total_seconds()
        if high < low:
            raise ValueError(f"{spec!r}: max is below min")
        return Delay("uniform", low, high)
    if kind == "lognormal":
        median = parse_duration(_required(params, "median", spec)).total_seconds()
        try:
            sigma = float(_required(params, "sigma", spec))
        except ValueError:
            raise ValueError(f"{spec!r}: sigma must be a number") from None
        if median <= 0 or not 0 <= sigma <= 5:
            raise ValueError(f"{spec!r}: median must be positive and sigma between 0 and 5")
        return Delay("lognormal", median, sigma)
    raise ValueError(f"{spec!r}: the kind of delay is fixed, uniform or lognormal, not {kind!r}")


def _required(params: dict[str, str], name: str, spec: str) -> str:
    if name not in params:
        raise ValueError(f"{spec!r} needs {name}=...")
    return params[name]


@dataclass(frozen=True)
class RouteDelay:
    matcher: Matcher
    delay: Delay


@dataclass
class Latency:
    """The default delay and per-route overrides (the first matching route wins)."""

    default: Delay | None = None
    routes: list[RouteDelay] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return self.default is not None or bool(self.routes)

    def delay_for(self, method: str, path: str, rng: random.Random) -> float:
        for route in self.routes:
            if route.matcher.matches(method, path, {}, None):
                return route.delay.sample(rng)
        return self.default.sample(rng) if self.default else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "delay": self.default.spec() if self.default else None,
            "routes": [{**r.matcher.to_dict(), "delay": r.delay.spec()} for r in self.routes],
        }

    @classmethod
    def from_dict(cls, data: Any) -> Latency:
        """From ``{"delay": "40ms", "routes": [{"method", "path", "delay"}]}``; 400 if invalid."""
        if isinstance(data, str | int | float) and not isinstance(data, bool):
            data = {"delay": data}
        if not isinstance(data, dict):
            raise bad("", 'latency is an object: {"delay": "40ms", "routes": [...]}')
        unknown = set(data) - {"delay", "routes"}
        if unknown:
            raise bad("/" + sorted(unknown)[0], "unknown latency setting")
        default = None
        if data.get("delay") is not None:
            default = _delay(data["delay"], "/delay")
        routes = []
        raw_routes = data.get("routes") or []
        if not isinstance(raw_routes, list):
            raise bad("/routes", "routes is a list")
        for index, route in enumerate(raw_routes):
            where = f"/routes/{index}"
            if not isinstance(route, dict) or "delay" not in route:
                raise bad(where, 'each route is {"method", "path", "delay"}')
            unknown = set(route) - {"method", "path", "delay"}
            if unknown:
                raise bad(f"{where}/{sorted(unknown)[0]}", "unknown route setting")
            routes.append(
                RouteDelay(parse_matcher(route, where), _delay(route["delay"], where + "/delay"))
            )
        return cls(default, routes)


def _delay(spec: Any, where: str) -> Delay:
    try:
        return parse_delay(spec)
    except ValueError as exc:
        raise bad(where, str(exc)) from None
