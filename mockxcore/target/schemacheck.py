"""A fast "is this valid?" for the Delivery API request schema, compiled from the schema itself.

jsonschema stays the judge of what is wrong and where; but it walks the schema anew for each
request, and on the hot path of a mock answering thousands of deliveries a second that walk is
most of the cost. :func:`compile_check` turns a schema into nested closures for the keywords
the Target schemas use and answers only "valid" or "not sure"; "not sure" sends the request to
jsonschema, which then names every problem. Sound by construction (each closure is stricter
or equal to its keyword) and property-tested against jsonschema. A schema with a keyword this
does not know compiles to None, and everything goes to jsonschema.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urldefrag, urljoin

from mockxcore.contracts import Contracts

Check = Callable[[Any], bool]

ANNOTATIONS = frozenset(
    {"$schema", "$id", "$defs", "$comment", "title", "description", "default", "examples"}
)
TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
}


class Unsupported(Exception):
    """The schema uses something the compiler does not know; use jsonschema for all of it."""


class _Compiler:
    def __init__(self, contracts: Contracts, schema_id: str) -> None:
        self.contracts = contracts
        self.format_checker = contracts.validator(schema_id).format_checker
        self.cache: dict[str, Check] = {}

    def resolve(self, base: str, ref: str) -> tuple[str, Any]:
        target, fragment = urldefrag(urljoin(base, ref))
        node: Any = self.contracts.schema(target)
        for part in [p for p in fragment.split("/") if p]:
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return target, node

    def ref(self, base: str, ref: str) -> Check:
        key = urljoin(base, ref)
        found = self.cache.get(key)
        if found is None:
            cell: list[Check] = []
            self.cache[key] = lambda v: cell[0](v)  # recursion-safe placeholder
            target, node = self.resolve(base, ref)
            cell.append(self.compile(node, target))
            found = self.cache[key] = cell[0]
        return found

    def compile(self, schema: Any, base: str) -> Check:
        if schema is True or schema == {}:
            return _always
        if schema is False:
            return lambda v: False
        if not isinstance(schema, dict):
            raise Unsupported(repr(schema))
        checks = [
            self.keyword(key, value, schema, base)
            for key, value in schema.items()
            if key not in ANNOTATIONS
        ]
        return _every(checks)

    def keyword(self, key: str, value: Any, schema: dict[str, Any], base: str) -> Check:
        match key:
            case "$ref":
                return self.ref(base, value)
            case "type":
                names = [value] if isinstance(value, str) else list(value)
                tests = [TYPES[name] for name in names]
                return tests[0] if len(tests) == 1 else lambda v: any(t(v) for t in tests)
            case "enum":
                if not all(isinstance(item, str) for item in value):
                    raise Unsupported("enum of non-strings")
                allowed = frozenset(value)
                return lambda v: isinstance(v, str) and v in allowed
            case "const":
                if not isinstance(value, str):
                    raise Unsupported("const of a non-string")
                return lambda v: isinstance(v, str) and v == value
            case "maxLength":
                return lambda v: not isinstance(v, str) or len(v) <= value
            case "minLength":
                return lambda v: not isinstance(v, str) or len(v) >= value
            case "minimum":
                return lambda v: not TYPES["number"](v) or v >= value
            case "maximum":
                return lambda v: not TYPES["number"](v) or v <= value
            case "maxItems":
                return lambda v: not isinstance(v, list) or len(v) <= value
            case "maxProperties":
                return lambda v: not isinstance(v, dict) or len(v) <= value
            case "required":
                names = list(value)
                return lambda v: not isinstance(v, dict) or all(n in v for n in names)
            case "items":
                return _items(self.compile(value, base))
            case "properties":
                return _properties({name: self.compile(sub, base) for name, sub in value.items()})
            case "additionalProperties":
                if "patternProperties" in schema:
                    raise Unsupported("patternProperties")
                declared = frozenset(schema.get("properties", {}))
                return _additional(declared, self.compile(value, base))
            case "propertyNames":
                name_check = self.compile(value, base)
                return lambda v: not isinstance(v, dict) or all(name_check(k) for k in v)
            case "allOf":
                return _every([self.compile(sub, base) for sub in value])
            case "anyOf":
                parts = [self.compile(sub, base) for sub in value]
                return lambda v: any(part(v) for part in parts)
            case "format":
                checker = self.format_checker
                if checker is None:
                    return _always
                return lambda v: checker.conforms(v, value)
        raise Unsupported(key)


def _always(value: Any) -> bool:
    return True


def _every(checks: list[Check]) -> Check:
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]

    def every(value: Any) -> bool:
        for check in checks:  # noqa: SIM110 - a plain loop beats all() over a generator here
            if not check(value):
                return False
        return True

    return every


def _items(item: Check) -> Check:
    def items(value: Any) -> bool:
        if isinstance(value, list):
            for element in value:
                if not item(element):
                    return False
        return True

    return items


def _properties(known: dict[str, Check]) -> Check:
    def properties(value: Any) -> bool:
        if isinstance(value, dict):
            for key, element in value.items():
                check = known.get(key)
                if check is not None and not check(element):
                    return False
        return True

    return properties


def _additional(declared: frozenset[str], extra: Check) -> Check:
    def additional(value: Any) -> bool:
        if isinstance(value, dict):
            for key, element in value.items():
                if key not in declared and not extra(element):
                    return False
        return True

    return additional


def compile_check(contracts: Contracts, schema_id: str) -> Check | None:
    """A sound "certainly valid" test for ``schema_id``, or None when it cannot be compiled."""
    try:
        compiler = _Compiler(contracts, schema_id)
        return compiler.compile(contracts.schema(schema_id), schema_id)
    except (Unsupported, KeyError, TypeError):
        return None
