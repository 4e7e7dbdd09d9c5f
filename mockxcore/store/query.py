"""List and search queries: parsing the query string into a :class:`Query`, and the typed
comparisons filters, sort order and cursors share.

Values sort by type first (booleans, numbers, instants, then text), so a numeric property
orders numerically and ``repo:createdDate`` orders as time. A cursor (``start``) is written
the way a filter value is: ``true``, ``42``, ``2019-06-13T00:00:00Z`` or text; text that would
read as another type is JSON-quoted (``start="42"``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from mockxcore import timestamps
from mockxcore.problems import bad_request
from mockxcore.regex import Regex, RegexError, compile_re2
from mockxcore.store.fulltext import TextQuery
from mockxcore.store.paths import getter
from mockxcore.store.records import Record

SortKey = tuple[int, Any]

_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_SPACED_OFFSET = re.compile(r"(\d{2}:\d{2}(?:\.\d+)?) (\d{2}:\d{2})$")
OPERATORS = ("==", "!=", "<=", ">=", "~", "<", ">")
MAX_REGEX = 1024


def sort_key(value: Any) -> SortKey:
    """The typed key a value sorts by.

    >>> sort_key(True), sort_key(3), sort_key("2019-06-13T00:00:00Z")[0], sort_key("abc")
    ((0, 1), (1, 3), 2, (3, 'abc'))
    """
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, int | float):
        return (1, value)
    if isinstance(value, str):
        moment = timestamps.parse(value)
        if moment is not None:
            return (2, timestamps.epoch_micros(moment))
        return (3, value)
    return (3, orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode())


def _unquote(text: str) -> str | None:
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        try:
            value = orjson.loads(text)
        except orjson.JSONDecodeError:
            return None
        return value if isinstance(value, str) else None
    return None


def _repair_offset(text: str) -> str:
    """A ``+01:00`` offset arrives as `` 01:00`` when a client forgets to URL-encode ``+``."""
    return _SPACED_OFFSET.sub(r"\1+\2", text)


def cursor_key(text: str) -> SortKey:
    """Parse a ``start`` cursor.

    >>> cursor_key("42"), cursor_key('"42"'), cursor_key("false")
    ((1, 42), (3, '42'), (0, 0))
    """
    quoted = _unquote(text)
    if quoted is not None:
        return sort_key(quoted)
    if text in ("true", "false"):
        return (0, int(text == "true"))
    number = _number(text)
    if number is not None:
        return (1, number)
    return sort_key(_repair_offset(text))


def _number(text: str) -> int | float | None:
    """A JSON number literal as a finite number, None when ``text`` is none; a number too
    large to represent is a 400, not an error of the mock."""
    if not _NUMBER.fullmatch(text):
        return None
    try:
        value: int | float = float(text) if any(c in text for c in ".eE") else int(text)
    except ValueError:  # more digits than Python converts
        value = math.inf
    if not math.isfinite(value):
        raise bad_request("bad-number", f"{text[:40]} is out of range", rule="limits")
    return value


def cursor_text(key: SortKey) -> str:
    """Inverse of :func:`cursor_key`: the ``start`` value for a next-page link."""
    rank, value = key
    if rank == 0:
        return "true" if value else "false"
    if rank == 1:
        return orjson.dumps(value).decode()
    if rank == 2:
        return timestamps.from_epoch_micros(value)
    return value if cursor_key(value) == (3, value) else orjson.dumps(value).decode()


@dataclass(frozen=True)
class OrderKey:
    path: str
    descending: bool = False

    def __str__(self) -> str:
        return ("-" if self.descending else "+") + self.path


def parse_order_by(text: str | None) -> tuple[OrderKey, ...]:
    """``orderBy=-_instance.xdm:priority,+instanceId`` (a bare name means ascending)."""
    if text is None or not text.strip():
        return (OrderKey("instanceId"),)
    keys: list[OrderKey] = []
    for raw in text.split(","):
        item = raw.strip(" \t")
        descending = item.startswith("-")
        path = item[1:] if item[:1] in ("+", "-") else item
        path = path.strip()
        if not path:
            raise bad_request("bad-order-by", f"empty property in orderBy={text!r}", rule="orderBy")
        getter(path)
        keys.append(OrderKey(path, descending))
    if len(keys) > 8:
        raise bad_request("bad-order-by", "orderBy accepts at most 8 properties", rule="orderBy")
    return tuple(keys)


def parse_limit(text: str | None, default: int, maximum: int) -> int:
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        raise bad_request(
            "bad-limit", f"limit must be a positive integer, not {text!r}", rule="limit"
        ) from None
    if value < 1:
        raise bad_request("bad-limit", f"limit must be at least 1, not {value}", rule="limit")
    return min(value, maximum)


# -- filters -------------------------------------------------------------------------------
def _compare(value: Any, number: float | None, moment: int | None, text: str) -> int | None:
    """-1/0/1 comparing a stored value with a filter literal, None when they do not compare."""
    if isinstance(value, bool):
        if text not in ("true", "false"):
            return None
        other = text == "true"
        return (value > other) - (value < other)
    if isinstance(value, int | float):
        if number is None:
            return None
        return (value > number) - (value < number)
    if isinstance(value, str):
        if moment is not None:
            parsed = timestamps.parse(value)
            if parsed is not None:
                mine = timestamps.epoch_micros(parsed)
                return (mine > moment) - (mine < moment)
        return (value > text) - (value < text)
    return None


_TESTS: dict[str, Callable[[int], bool]] = {
    "==": lambda c: c == 0,
    "<": lambda c: c < 0,
    "<=": lambda c: c <= 0,
    ">": lambda c: c > 0,
    ">=": lambda c: c >= 0,
}


@dataclass(frozen=True)
class Filter:
    """One ``property`` parameter: ``path``, ``path==v``, ``path~regex``..."""

    expression: str
    path: str
    op: str | None
    matches: Callable[[Record], bool]
    equal_keys: frozenset[SortKey] = frozenset()
    """For ``==``: the sort keys of every value equal to the literal (for a value index)."""


def parse_property(expression: str) -> Filter:
    """Parse a ``property`` filter.

    >>> f = parse_property("_instance.xdm:priority>=2")
    >>> (f.path, f.op)
    ('_instance.xdm:priority', '>=')
    """
    cut = len(expression)
    op: str | None = None
    for candidate in OPERATORS:
        at = expression.find(candidate)
        if at != -1 and (at < cut or (at == cut and len(candidate) > len(op or ""))):
            cut, op = at, candidate
    path = expression[:cut].strip()
    if "=" in path:
        # A filter written wrong (``xdm:status=draft``, ``xdm:status =~ x``), not a property:
        # a 400 rather than an empty page that nothing could ever fill.
        raise bad_request(
            "bad-filter",
            f"property={expression!r} is no filter: write path==value, path!=value, "
            "path<value, path<=value, path>value, path>=value, path~regex, or a bare path",
            rule="property",
        )
    read = getter(path)
    if op is None:
        return Filter(expression, path, None, lambda record: bool(read(record)))
    raw = expression[cut + len(op) :]
    blank = raw == "" if op == "~" else not raw.strip()  # a blank pattern is still a pattern
    if blank:
        hint = "a pattern" if op == "~" else f'a value (an empty string is quoted: {path}{op}"")'
        raise bad_request(
            "bad-filter", f"property={expression!r} needs {hint} after {op}", rule="property"
        )
    if op == "~":
        return Filter(expression, path, op, _regex_test(read, raw))
    literal = _unquote(raw)
    text = literal if literal is not None else _repair_offset(raw)
    number = None
    if literal is None:
        parsed_number = _number(text)
        number = float(parsed_number) if parsed_number is not None else None
    parsed = timestamps.parse(text)
    moment = timestamps.epoch_micros(parsed) if parsed is not None else None

    if op == "!=":

        def differs(record: Record) -> bool:
            return all(_compare(v, number, moment, text) != 0 for v in read(record))

        return Filter(expression, path, op, differs)
    test = _TESTS[op]

    def holds(record: Record) -> bool:
        for value in read(record):
            outcome = _compare(value, number, moment, text)
            if outcome is not None and test(outcome):
                return True
        return False

    equal: set[SortKey] = set()
    if op == "==":
        # Mirrors _compare: the typed keys under which a stored value equals the literal.
        equal.add((3, text))
        if text in ("true", "false"):
            equal.add((0, int(text == "true")))
        if number is not None:
            equal.add((1, number))
        if moment is not None:
            equal.add((2, moment))
    return Filter(expression, path, op, holds, frozenset(equal))


def compile_regex(pattern: str, what: str) -> Regex:
    """A case-insensitive RE2 pattern (see :mod:`mockxcore.regex`), or a 400 naming why not."""
    try:
        return compile_re2(pattern, ignore_case=True, max_length=MAX_REGEX)
    except RegexError as exc:
        too_long = len(pattern) > MAX_REGEX
        raise bad_request(
            "regex-too-long" if too_long else "bad-regex",
            f"{what} {pattern!r} is not a valid regular expression ({exc})"
            if not too_long
            else f"{what} is longer than {MAX_REGEX} characters",
            rule="limits" if too_long else "regex",
        ) from None


def _regex_test(read: Callable[[Record], list[Any]], pattern: str) -> Callable[[Record], bool]:
    compiled = compile_regex(pattern, "regular expression")

    def test(record: Record) -> bool:
        return any(isinstance(v, str) and compiled.fullmatch(v) is not None for v in read(record))

    return test


@dataclass(frozen=True)
class Query:
    """A parsed list or search request."""

    schema: str | None
    order: tuple[OrderKey, ...] = (OrderKey("instanceId"),)
    start: SortKey | None = None
    limit: int = 20
    filters: tuple[Filter, ...] = ()
    ids: tuple[str, ...] = ()
    text: TextQuery | None = None


@dataclass
class Page:
    """One page: its items, how many match from its first item on, and the next cursor."""

    items: list[Record]
    total: int
    next_start: str | None
