"""The contracts: JSON Schemas in ``contracts/schemas``, and what the repository reads from them.

Every schema (JSON Schema 2020-12) is registered in one ``referencing`` registry so that ``$ref``
works across files. Besides validation, a business-object schema carries the annotations the
repository honours, declared once next to the property they concern:

* ``meta:immutable: true`` -- never changes after creation;
* ``meta:usereditable: false`` -- a user or technical account may not send a different value;
* ``meta:references: [schemaId, ...]`` -- the value is the ``@id`` of an instance of one of
  those schemas; this is what the store's reference graph and delete integrity are built from.

Registering a schema is one call: ``contracts.register(schema_dict)``. Validation asks
jsonschema-rs "valid?" first (:meth:`Contracts.quick_check`); jsonschema walks only the values
it refuses, to say what is wrong and where.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

import jsonschema_rs
import orjson
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError, ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from mockxcore import timestamps
from mockxcore.data import data_dir
from mockxcore.problems import ErrorItem

CONTAINER_SCHEMA = "https://ns.adobe.com/experience/xcore/container"
RESULTS_SCHEMA = "https://ns.adobe.com/experience/xcore/hal/results"
HAL_REQUEST_SCHEMA = "https://ns.adobe.com/experience/xcore/hal-request"
JSON_PATCH_SCHEMA = "https://ns.adobe.com/experience/xcore/json-patch"

Pattern = tuple[str, ...]
"""A property location inside ``_instance``; ``"*"`` stands for every item of an array."""

_FORMATS = FormatChecker()


@_FORMATS.checks("date-time")  # type: ignore[untyped-decorator]
def _is_datetime(value: object) -> bool:
    return not isinstance(value, str) or (
        "T" in value.upper() and timestamps.parse(value) is not None
    )


_NOT_SHARED = frozenset({"pattern", "patternProperties", "multipleOf", "uniqueItems"})
"""Keywords jsonschema-rs judges otherwise than jsonschema: regular expressions (ECMA-262 there,
Python's ``re`` here), ``multipleOf`` (different float arithmetic), ``uniqueItems`` (2**63 and
9.223372036854776e18 differ there, not here)."""
_EXACT_FLOATS = 2**53
"""Numbers in a schema from this size on are compared otherwise by the two (int against float)."""

Quick = Callable[[Any], bool]
"""A fast test that answers True only for a value the schema accepts (False: ask jsonschema)."""


@dataclass(frozen=True)
class SchemaInfo:
    """What the repository needs to know about one business-object schema."""

    id: str
    version: str
    kind: str
    has_id: bool
    immutable: tuple[Pattern, ...]
    locked: tuple[Pattern, ...]
    references: tuple[tuple[Pattern, frozenset[str]], ...]

    @property
    def versioned_id(self) -> str:
        return f"{self.id};version={self.version}"


def pointer(parts: Iterator[Any] | list[Any] | tuple[Any, ...]) -> str:
    """RFC 6901 pointer for a sequence of keys/indexes."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def kind(schema_id: str) -> str:
    """The short name of a schema: ``…/offer-management/tag`` -> ``tag``."""
    return strip_version(schema_id).rstrip("/").rsplit("/", 1)[-1]


def strip_version(schema_id: str) -> str:
    """``https://…/offer-activity;version=0.1`` and ``https://…/offer-activity`` are one schema."""
    return schema_id.split(";", 1)[0].strip()


class Contracts:
    """The registry of schemas the mock validates against."""

    def __init__(self) -> None:
        self._registry: Registry[Any] = Registry()
        self._schemas: dict[str, dict[str, Any]] = {}
        self._info: dict[str, SchemaInfo] = {}
        self._validators: dict[str, Draft202012Validator] = {}
        self._quick: dict[str, Quick | None] = {}

    # -- registration ------------------------------------------------------------------
    def register(self, schema: dict[str, Any]) -> str:
        """Add a schema (it must carry ``$id``); returns its id."""
        schema_id = schema.get("$id")
        if not isinstance(schema_id, str) or not schema_id:
            raise ValueError("a registered schema needs an $id")
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as exc:
            raise ValueError(f"{schema_id} is not a valid JSON Schema: {exc.message}") from None
        self._registry = self._registry.with_resource(
            schema_id, Resource.from_contents(schema, default_specification=DRAFT202012)
        )
        self._schemas[schema_id] = schema
        self._validators.clear()
        self._quick.clear()
        self._info.clear()
        return schema_id

    def extended(self, schemas: Iterable[dict[str, Any]]) -> Contracts:
        """A copy with more schemas registered (the original is left as it was)."""
        copy = Contracts()
        copy._registry = self._registry
        copy._schemas = dict(self._schemas)
        for schema in schemas:
            copy.register(schema)
        return copy

    def load_dir(self, folder: Path) -> None:
        for path in sorted(folder.rglob("*.json")):
            self.register(orjson.loads(path.read_bytes()))

    # -- lookup ------------------------------------------------------------------------
    def __contains__(self, schema_id: str) -> bool:
        return strip_version(schema_id) in self._schemas

    def schema(self, schema_id: str) -> dict[str, Any]:
        return self._schemas[strip_version(schema_id)]

    def ids(self) -> list[str]:
        return sorted(self._schemas)

    def instance_schemas(self) -> list[str]:
        """Schemas of business objects: versioned ones, the container schema excepted."""
        return [
            sid
            for sid, s in sorted(self._schemas.items())
            if "meta:version" in s and sid != CONTAINER_SCHEMA
        ]

    def info(self, schema_id: str) -> SchemaInfo:
        sid = strip_version(schema_id)
        found = self._info.get(sid)
        if found is None:
            found = self._info[sid] = self._build_info(sid)
        return found

    # -- validation --------------------------------------------------------------------
    def validator(self, schema_id: str) -> Draft202012Validator:
        sid = strip_version(schema_id)
        found = self._validators.get(sid)
        if found is None:
            found = Draft202012Validator(
                self._schemas[sid], registry=self._registry, format_checker=_FORMATS
            )
            self._validators[sid] = found
        return found

    def validate(self, schema_id: str, value: Any, prefix: str = "") -> list[ErrorItem]:
        """Every violation of the schema, each with a pointer (``prefix`` + path in ``value``).

        A value the quick check accepts has none; only the others are walked by jsonschema,
        which alone says what is wrong and where."""
        quick = self.quick_check(schema_id)
        if quick is not None:
            try:
                if quick(value):
                    return []
            except (ValueError, TypeError, OverflowError):  # not plain JSON data: ask jsonschema
                pass
        items: list[ErrorItem] = []
        seen: set[tuple[str, str]] = set()
        errors = sorted(self.validator(schema_id).iter_errors(value), key=_error_order)
        for error in errors:
            for item in describe_error(error, prefix):
                if (item.pointer, item.message) not in seen:
                    seen.add((item.pointer, item.message))
                    items.append(item)
        return items

    def quick_check(self, schema_id: str) -> Quick | None:
        """jsonschema-rs's ``is_valid`` for the schema, or None where it could judge otherwise
        than jsonschema.

        jsonschema walks the schema anew for every value, which costs a delivery request ~280
        µs; jsonschema-rs answers "valid?" in ~1 µs. It is given the same schemas and
        jsonschema's own format checks, so on JSON data the two agree (tested on every schema
        that has a quick check, and by an independent differential fuzz). Schemas with
        something the two judge apart (:data:`_NOT_SHARED`, numbers from :data:`_EXACT_FLOATS`
        on) get none. Beyond JSON data they differ: a Python tuple is an array to jsonschema-rs,
        as it is to orjson, but not to jsonschema; a set or bytes makes it raise ValueError."""
        sid = strip_version(schema_id)
        if sid not in self._quick:
            self._quick[sid] = self._build_quick(sid)
        return self._quick[sid]

    def _build_quick(self, sid: str) -> Quick | None:
        try:
            if any(_judged_apart(self._schemas[uri]) for uri in self._documents(sid)):
                return None
            validator = jsonschema_rs.validator_for(
                self._schemas[sid],
                formats={name: partial(_conforms, name) for name in _FORMATS.checkers},
                validate_formats=True,
                retriever=self.schema,  # every $ref is looked up here, never on the network
            )
        except Exception:  # a schema it cannot take (a $ref not registered here...): no quick check
            return None
        quick: Quick = validator.is_valid
        return quick

    def _documents(self, sid: str) -> set[str]:
        """The schema documents ``sid`` uses, itself included (through ``$ref``, any depth)."""
        found: set[str] = set()
        pending = [sid]
        while pending:
            uri = pending.pop()
            if uri in found:
                continue
            found.add(uri)
            for ref in _refs(self._schemas[uri]):
                document = urldefrag(urljoin(uri, ref))[0] or uri
                pending.append(document)  # one not registered here: KeyError
        return found

    # -- annotations -------------------------------------------------------------------
    def _build_info(self, sid: str) -> SchemaInfo:
        schema = self._schemas[sid]
        immutable: list[Pattern] = []
        locked: list[Pattern] = []
        refs: list[tuple[Pattern, frozenset[str]]] = []
        resolver = self._registry.resolver(base_uri=sid)

        def walk(node: Any, at: Pattern, res: Any, depth: int) -> None:
            if not isinstance(node, dict) or depth > 32:
                return
            if "$ref" in node:
                resolved = res.lookup(node["$ref"])
                walk(resolved.contents, at, resolved.resolver, depth + 1)
            if at and node.get("meta:immutable") is True and at not in immutable:
                immutable.append(at)
            if at and node.get("meta:usereditable") is False and at not in locked:
                locked.append(at)
            targets = node.get("meta:references")
            if at and isinstance(targets, list):
                refs.append((at, frozenset(strip_version(t) for t in targets)))
            for key in ("allOf", "anyOf", "oneOf"):
                for sub in node.get(key, []):
                    walk(sub, at, res, depth + 1)
            for key in ("then", "else"):
                walk(node.get(key), at, res, depth + 1)
            for name, sub in node.get("properties", {}).items():
                walk(sub, (*at, name), res, depth + 1)
            if isinstance(node.get("items"), dict):
                walk(node["items"], (*at, "*"), res, depth + 1)

        walk(schema, (), resolver, 0)
        has_id = "@id" in schema.get("properties", {})
        return SchemaInfo(
            sid,
            str(schema.get("meta:version", "0.1")),
            kind(sid),
            has_id,
            tuple(immutable),
            tuple(locked),
            tuple(refs),
        )


def _conforms(format_name: str, value: object) -> bool:
    return bool(_FORMATS.conforms(value, format_name))


def _judged_apart(schema: Any) -> bool:
    """Whether a schema holds something the two libraries may judge apart (conservatively:
    keyword names and large numbers anywhere, annotations included)."""
    return any(key in _NOT_SHARED or _large_number(value) for key, value in _entries(schema))


def _large_number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and abs(value) >= _EXACT_FLOATS
    )


def _refs(schema: Any) -> Iterator[str]:
    return (v for k, v in _entries(schema) if k == "$ref" and isinstance(v, str))


def _entries(node: Any) -> Iterator[tuple[str | None, Any]]:
    """Every (key, value) of a JSON document, at any depth; list items have no key."""
    pairs = node.items() if isinstance(node, dict) else ((None, v) for v in node)
    for key, value in pairs:
        yield key, value
        if isinstance(value, dict | list):
            yield from _entries(value)


def values_at(doc: Any, pattern: Pattern, at: tuple[Any, ...] = ()) -> Iterator[tuple[str, Any]]:
    """Every (pointer, value) that ``pattern`` reaches inside ``doc``.

    >>> list(values_at({"a": [{"b": 1}, {"c": 2}]}, ("a", "*", "b")))
    [('/a/0/b', 1)]
    """
    if not pattern:
        yield pointer(at), doc
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if isinstance(doc, list):
            for index, item in enumerate(doc):
                yield from values_at(item, rest, (*at, index))
    elif isinstance(doc, dict) and head in doc:
        yield from values_at(doc[head], rest, (*at, head))


def references(info: SchemaInfo, instance: dict[str, Any]) -> list[tuple[str, str]]:
    """What an instance references: ``(pointer inside _instance, @id)`` pairs.

    The one place that answers "what references what": create and update validate these,
    the store indexes them, delete integrity and the decision engine read them.
    """
    found: list[tuple[str, str]] = []
    for pattern, _targets in info.references:
        for where, value in values_at(instance, pattern):
            if isinstance(value, str):
                found.append((where, value))
    return found


def _error_order(error: ValidationError) -> tuple[str, str]:
    return (pointer(error.absolute_path), error.message)


def describe_error(error: ValidationError, prefix: str = "") -> list[ErrorItem]:
    """Error items for one validation error; a missing required property is pointed at
    where it should be, an unexpected one where it is."""
    at = prefix + pointer(error.absolute_path)
    schema_path = "/".join(str(p) for p in error.absolute_schema_path)
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [p for p in error.validator_value if p not in error.instance]
        return [
            ErrorItem(
                "schema",
                f"{name!r} is a required property (at #/{schema_path})",
                at + pointer([name]),
            )
            for name in missing
        ]
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        declared = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        extras = [name for name in error.instance if name not in declared]
        return [
            ErrorItem(
                "schema",
                f"property {name!r} is not allowed here (at #/{schema_path})",
                at + pointer([name]),
            )
            for name in extras
        ]
    message = error.message if len(error.message) <= 300 else error.message[:297] + "..."
    return [ErrorItem("schema", f"{message} (at #/{schema_path})", at)]


def read_schema(path: str | Path) -> dict[str, Any]:
    """A JSON Schema file, for ``--schema`` and ``Config.schemas``."""
    try:
        schema = orjson.loads(Path(path).read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise ValueError(f"cannot read schema {path}: {exc}") from None
    if not isinstance(schema, dict):
        raise ValueError(f"schema {path} is not a JSON object")
    return schema


@cache
def default() -> Contracts:
    """The contracts shipped with mockxcore (``contracts/schemas``)."""
    contracts = Contracts()
    contracts.load_dir(data_dir("contracts") / "schemas")
    return contracts
