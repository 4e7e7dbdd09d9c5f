"""The on-device decisioning artifact (``rules.json``): validated once, indexed for the engine.

An artifact is what Target publishes for the SDKs: per mbox and per view, an ordered list of
rules, each a json-logic ``condition`` and a ``consequence`` (the options to answer). Loading
one checks it against our schema of the format and then against what the engine can run:
conditions may only use json-logic's data, logic, comparison, string, arithmetic and array
operators (never ``method`` or ``log``: an artifact is data, not code), and are bounded in
depth and size. A bad artifact is refused whole, with a JSON pointer for each problem.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mockxcore.contracts import Contracts
from mockxcore.problems import ErrorItem, Problem
from mockxcore.target.logic import Evaluate, compile_logic
from mockxcore.target.macros import depends_on_request

SCHEMA = "https://ns.adobe.com/experience/target/artifact"
SUPPORTED_MAJOR = 1
DEFAULT_GLOBAL_MBOX = "target-global-mbox"
DEFAULT_ENVIRONMENT = "production"
ENVIRONMENTS = ("production", "staging", "development")
MAX_ARTIFACT_BYTES = 16 << 20
MAX_CONDITION_DEPTH = 64
MAX_CONDITION_NODES = 5_000
MAX_BODY_DEPTH = 2 * MAX_CONDITION_DEPTH
"""How deeply an artifact or decision-table body may nest arrays and objects: deeper than
other bodies (``mockxcore.jsonbody.MAX_DEPTH``), since a condition may nest
:data:`MAX_CONDITION_DEPTH` levels a few levels inside the artifact, yet far enough inside
orjson's 255-level limit that the artifact is always served and exported."""

OPERATORS = frozenset(
    {
        # data
        "var", "missing", "missing_some",
        # logic
        "and", "or", "if", "?:", "!", "!!",
        # comparison
        "==", "===", "!=", "!==", "<", "<=", ">", ">=", "in",
        # strings, numbers, arrays
        "cat", "substr", "+", "-", "*", "/", "%", "min", "max", "merge",
        "all", "some", "none", "filter", "map", "reduce",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of one location, in artifact order (order is priority)."""

    key: Any
    activity_id: Any
    meta: dict[str, Any]
    condition: Any
    consequence: dict[str, Any]
    property_tokens: frozenset[str]
    check: Evaluate
    """The condition, compiled (see :mod:`mockxcore.target.logic`)."""
    macros: bool
    """Whether the content has macros the request answers (else it can be shaped once)."""

    def allowed_for(self, property_token: str | None) -> bool:
        """Rules with property tokens only answer requests that name one of them."""
        if not self.property_tokens:
            return True
        return property_token is not None and property_token in self.property_tokens


@dataclass
class Artifact:
    raw: dict[str, Any]
    global_mbox: str
    environment: str
    response_tokens: frozenset[str]
    geo_enabled: bool
    mboxes: dict[str, tuple[Rule, ...]] = field(default_factory=dict)
    views: dict[str, tuple[Rule, ...]] = field(default_factory=dict)
    scoped: bool = False
    """Whether any rule is limited to property tokens (else no request needs filtering)."""
    shaped: dict[tuple[int, str, str], Any] = field(default_factory=dict, repr=False)
    """Consequences already shaped for a mode and location kind (rules without macros,
    answered without geo tokens): the same for every request, so built once."""

    @property
    def version(self) -> str:
        return str(self.raw.get("version", ""))

    @property
    def remote_mboxes(self) -> list[str]:
        return list(self.raw.get("remoteMboxes") or [])

    @property
    def remote_views(self) -> list[str]:
        return list(self.raw.get("remoteViews") or [])


# -- validation ----------------------------------------------------------------------------
def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def condition_errors(condition: Any, at: str) -> list[ErrorItem]:
    """Everything wrong with a json-logic condition: unknown operators, depth, size."""
    errors: list[ErrorItem] = []
    count = 0

    def walk(node: Any, where: str, depth: int) -> None:
        nonlocal count
        count += 1
        if count > MAX_CONDITION_NODES:
            if count == MAX_CONDITION_NODES + 1:
                errors.append(
                    ErrorItem("condition-size", f"more than {MAX_CONDITION_NODES} nodes", at)
                )
            return
        if depth > MAX_CONDITION_DEPTH:
            errors.append(
                ErrorItem("condition-depth", f"nested deeper than {MAX_CONDITION_DEPTH}", where)
            )
            return
        if isinstance(node, list):
            for index, item in enumerate(node):
                walk(item, f"{where}/{index}", depth + 1)
        elif isinstance(node, dict) and len(node) == 1:
            operator, args = next(iter(node.items()))
            if operator not in OPERATORS:
                errors.append(
                    ErrorItem(
                        "condition-operator",
                        f"json-logic operator {operator!r} is not allowed "
                        f"(allowed: {', '.join(sorted(OPERATORS))})",
                        f"{where}/{_escape(operator)}",
                    )
                )
                return
            walk(args, f"{where}/{_escape(operator)}", depth + 1)

    walk(condition, at, 0)
    return errors


def semantic_errors(raw: dict[str, Any]) -> list[ErrorItem]:
    errors: list[ErrorItem] = []
    major = str(raw.get("version", "")).split(".")[0]
    if not major.isdigit() or int(major) != SUPPORTED_MAJOR:
        errors.append(
            ErrorItem(
                "artifact-version",
                f"version {raw.get('version')!r} is not supported (major version must be "
                f"{SUPPORTED_MAJOR}, as the SDKs require)",
                "/version",
            )
        )
    environment = (raw.get("meta") or {}).get("environment", DEFAULT_ENVIRONMENT)
    if environment not in ENVIRONMENTS:
        errors.append(
            ErrorItem(
                "artifact-environment",
                f"environment {environment!r} is not one of {', '.join(ENVIRONMENTS)}",
                "/meta/environment",
            )
        )
    rules = raw.get("rules") or {}
    for kind in ("mboxes", "views"):
        for location, listed in (rules.get(kind) or {}).items():
            for index, rule in enumerate(listed):
                at = f"/rules/{kind}/{_escape(location)}/{index}/condition"
                errors.extend(condition_errors(rule.get("condition"), at))
    return errors


def _rules(listed: Iterable[dict[str, Any]]) -> tuple[Rule, ...]:
    built = []
    for rule in listed:
        meta = rule.get("meta") or {}
        condition = rule.get("condition", True)
        built.append(
            Rule(
                key=rule.get("ruleKey"),
                activity_id=meta.get("activity.id"),
                meta=meta,
                condition=condition,
                consequence=rule.get("consequence") or {},
                property_tokens=frozenset(rule.get("propertyTokens") or ()),
                check=compile_logic(condition),
                macros=depends_on_request((rule.get("consequence") or {}).get("options"), meta),
            )
        )
    return tuple(built)


def parse(contracts: Contracts, raw: Any) -> Artifact:
    """A checked, indexed artifact; a :class:`Problem` (422) listing every error otherwise."""
    errors = contracts.validate(SCHEMA, raw)
    if not errors:
        errors = semantic_errors(raw)
    if errors:
        summary = "; ".join(f"{e.pointer or '/'}: {e.message}" for e in errors[:5])
        raise Problem(422, "invalid-artifact", f"the artifact is not valid: {summary}", errors)
    rules = raw.get("rules") or {}
    meta = raw.get("meta") or {}
    mboxes = {name: _rules(listed) for name, listed in (rules.get("mboxes") or {}).items()}
    views = {name: _rules(listed) for name, listed in (rules.get("views") or {}).items()}
    located = [*mboxes.values(), *views.values()]
    return Artifact(
        raw=raw,
        global_mbox=str(raw.get("globalMbox") or DEFAULT_GLOBAL_MBOX),
        environment=str(meta.get("environment", DEFAULT_ENVIRONMENT)),
        response_tokens=frozenset(raw.get("responseTokens") or ()),
        geo_enabled=bool(raw.get("geoTargetingEnabled", False)),
        mboxes=mboxes,
        views=views,
        scoped=any(rule.property_tokens for listed in located for rule in listed),
    )


def served(
    artifact: Artifact,
    remote_mboxes: Iterable[str],
    remote_views: Iterable[str],
    property_token: str | None = None,
) -> dict[str, Any]:
    """The artifact as the CDN serves it: remote content listed as remote, and for a property
    path only the rules that property may see."""
    raw = dict(artifact.raw)
    remote_m = sorted(set(artifact.remote_mboxes) | set(remote_mboxes))
    remote_v = sorted(set(artifact.remote_views) | set(remote_views))
    raw["remoteMboxes"] = remote_m
    raw["remoteViews"] = remote_v
    raw["localMboxes"] = [m for m in raw.get("localMboxes") or [] if m not in set(remote_m)]
    raw["localViews"] = [v for v in raw.get("localViews") or [] if v not in set(remote_v)]
    if property_token is not None:
        rules = raw.get("rules") or {}
        raw["rules"] = {
            kind: {
                name: kept
                for name, listed in (rules.get(kind) or {}).items()
                if (kept := [r for r in listed if _visible(r, property_token)])
            }
            for kind in ("mboxes", "views")
        }
    return raw


def _visible(rule: Mapping[str, Any], property_token: str) -> bool:
    tokens = rule.get("propertyTokens") or []
    return not tokens or property_token in tokens
