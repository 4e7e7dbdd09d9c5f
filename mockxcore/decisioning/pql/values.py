"""How rule values compare, convert, count as true and do arithmetic.

Rules read schemaless JSON, so every function here is total: a missing or wrongly typed
operand gives null (None) or false, never an exception (notes §3 "null rule" and §7.2).
Values are the JSON types plus aware UTC datetimes, which ``now``, ``today`` and ``date()`` give.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Final

from mockxcore import timestamps

NULL, BOOL, NUMBER, STRING, TIME, LIST, MAP, OTHER = range(8)
ORDERED: Final = frozenset({NUMBER, STRING, TIME})

FAIL: Final = object()
"""What :func:`convert` answers when no conversion applies (None is a valid result)."""

MISSING: Final = object()

MAX_BITS = 4096
"""Integer results wider than this become null, so a rule cannot build ever-growing numbers."""

_NUMERIC = re.compile(r"\s*[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?\s*")


def kind(value: object) -> int:
    """The PQL type of a value; bool is its own type even though Python makes it an int."""
    cls = type(value)
    if cls is str:
        return STRING
    if value is None:
        return NULL
    if cls is bool:
        return BOOL
    if cls is int or cls is float:
        return NUMBER
    if cls is list or cls is tuple:
        return LIST
    if cls is dict:
        return MAP
    return _kind_of_subclass(value)


def _kind_of_subclass(value: object) -> int:
    if isinstance(value, str):
        return STRING
    if isinstance(value, int | float):
        return NUMBER
    if isinstance(value, datetime):
        return TIME
    if isinstance(value, list | tuple):
        return LIST
    if isinstance(value, Mapping):
        return MAP
    return OTHER


def truth(value: object) -> bool:
    """A condition holds for ``true`` and for a non-empty list (a select result); nothing else."""
    if value is True:
        return True
    return kind(value) == LIST and len(value) > 0  # type: ignore[arg-type]


def elements(value: object) -> Sequence[Any]:
    """What ``select``, filters and aggregates iterate: a list, one object, or nothing for null."""
    if value is None:
        return ()
    if kind(value) == LIST:
        return value  # type: ignore[return-value]
    return (value,)


def as_list(value: object) -> Sequence[Any] | None:
    """Like :func:`elements`, but null stays null for the functions whose null result differs."""
    return None if value is None else elements(value)


def to_time(value: object) -> datetime | None:
    """An aware UTC instant from a datetime or an RFC 3339 string (a plain date is midnight)."""
    if isinstance(value, str):
        return _parse_time(value) if len(value) <= _LONGEST_TIMESTAMP else None
    if isinstance(value, datetime):
        return _utc(value if value.tzinfo is not None else value.replace(tzinfo=UTC))
    return None


_LONGEST_TIMESTAMP = 40


@functools.lru_cache(maxsize=8192)
def _parse_time(text: str) -> datetime | None:
    """Cached: every rule over a profile's events parses the same few timestamps again."""
    moment = timestamps.parse(text)
    return None if moment is None else _utc(moment)


def _utc(moment: datetime) -> datetime | None:
    try:
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def parse_number(text: str) -> int | float | None:
    if len(text) > 100 or _NUMERIC.fullmatch(text) is None:
        return None
    stripped = text.strip()
    if any(mark in stripped for mark in ".eE"):
        number = float(stripped)
        return number if math.isfinite(number) else None
    return int(stripped)


def number_text(number: int | float) -> str | None:
    try:
        return str(number) if isinstance(number, int) else repr(number)
    except ValueError:  # an int beyond Python's digit limit for str()
        return None


def convert(value: Any, target: int) -> Any:
    """``value`` as PQL type ``target`` (number <-> numeric string, bool <-> "true"/"false",
    string -> timestamp), or :data:`FAIL`."""
    source = kind(value)
    if source == target:
        return value
    converted: Any = None
    if target == NUMBER and source == STRING:
        converted = parse_number(value)
    elif target == STRING and source == NUMBER:
        converted = number_text(value)
    elif target == STRING and source == BOOL:
        converted = "true" if value else "false"
    elif target == BOOL and source == STRING:
        converted = {"true": True, "false": False}.get(value.strip().lower())
    elif target == TIME:
        converted = to_time(value)
    return FAIL if converted is None else converted


def coerce(left: Any, right: Any, left_literal: bool, right_literal: bool) -> tuple[int, Any, Any]:
    """Bring two operands to one type, or answer ``(NULL, ...)`` when they cannot be compared.

    A literal takes the attribute's type; between two attributes the right takes the left's
    (notes §7.2). A timestamp on either side makes the other side parse as one, whatever the
    literal-ness, because a date never becomes a string.
    """
    left_kind, right_kind = kind(left), kind(right)
    if left_kind == right_kind:
        return (NULL, None, None) if left_kind == OTHER else (left_kind, left, right)
    if left_kind == NULL or right_kind == NULL:
        return NULL, None, None
    if TIME in (left_kind, right_kind):
        left_time, right_time = to_time(left), to_time(right)
        if left_time is None or right_time is None:
            return NULL, None, None
        return TIME, left_time, right_time
    if left_literal and not right_literal:
        left, common = convert(left, right_kind), right_kind
    else:
        right, common = convert(right, left_kind), left_kind
    if left is FAIL or right is FAIL:
        return NULL, None, None
    return common, left, right


def same(left: Any, right: Any) -> bool:
    """Deep equality with PQL types: ``1 = 1.0`` but ``1 != true``; lists and objects deeply."""
    try:
        return _same(left, right)
    except RecursionError:
        return False


def _same(left: Any, right: Any) -> bool:
    left_kind = kind(left)
    if left_kind != kind(right) or left_kind == OTHER:
        return False
    if left_kind == LIST:
        return len(left) == len(right) and all(map(_same, left, right))
    if left_kind == MAP:
        return len(left) == len(right) and all(
            key in right and _same(value, right[key]) for key, value in left.items()
        )
    return bool(left == right)


def equal_as(common: int, left: Any, right: Any) -> bool:
    if common == NULL:
        return False
    if common in (LIST, MAP):
        return same(left, right)
    return bool(left == right)


def compare(op: str, left: Any, right: Any, left_literal: bool, right_literal: bool) -> bool:
    """``left <op> right`` under the null and coercion rules; false whenever they cannot meet."""
    common, left, right = coerce(left, right, left_literal, right_literal)
    if common == NULL:
        return False
    if op == "=":
        return equal_as(common, left, right)
    if op == "!=":
        return not equal_as(common, left, right)
    if common not in ORDERED:
        return False
    if op == "<":
        return bool(left < right)
    if op == "<=":
        return bool(left <= right)
    if op == ">":
        return bool(left > right)
    return bool(left >= right)


def hash_key(value: Any) -> tuple[int, Any] | None:
    """A key under which equal scalars (by :func:`same`) collide, or None for lists/objects."""
    value_kind = kind(value)
    if value_kind in (LIST, MAP, OTHER):
        return None
    return value_kind, value


class ValueSet:
    """Membership by :func:`same` in linear time for scalars, which is what lists mostly hold."""

    def __init__(self, items: Iterable[Any] = ()) -> None:
        self._keys: set[tuple[int, Any]] = set()
        self._others: list[Any] = []
        for item in items:
            self.add(item)

    def add(self, value: Any) -> bool:
        """Add ``value``; answer whether it was new."""
        if value in self:
            return False
        key = hash_key(value)
        if key is None:
            self._others.append(value)
        else:
            self._keys.add(key)
        return True

    def __contains__(self, value: object) -> bool:
        key = hash_key(value)
        if key is not None:
            return key in self._keys
        return any(same(value, other) for other in self._others)


def arithmetic(op: str, left: Any, right: Any) -> int | float | None:
    """``left <op> right`` on numbers; null for anything else, a zero divisor or an overflow."""
    if kind(left) != NUMBER or kind(right) != NUMBER:
        return None
    try:
        result = _arithmetic(op, left, right)
    except (OverflowError, ValueError, ZeroDivisionError):
        return None
    if isinstance(result, float):
        return result if math.isfinite(result) else None
    if result is not None and result.bit_length() > MAX_BITS:
        return None
    return result


def _arithmetic(op: str, left: int | float, right: int | float) -> int | float | None:
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if right == 0:
        return None
    both_int = isinstance(left, int) and isinstance(right, int)
    if op == "/":
        if both_int:
            quotient, remainder = divmod(left, right)
            return int(quotient) if remainder == 0 else left / right
        return left / right
    if both_int:  # % takes the dividend's sign, as in Java
        magnitude = abs(int(left)) % abs(int(right))
        return -magnitude if left < 0 else magnitude
    return math.fmod(left, right)


def negate(value: Any) -> int | float | None:
    return -value if kind(value) == NUMBER else None


def finite(number: int | float | None) -> int | float | None:
    """Null for NaN and infinities, which no PQL comparison could use sensibly."""
    if isinstance(number, float) and not math.isfinite(number):
        return None
    return number


def field(value: Any, key: str, alt: str) -> Any:
    """``value.key``: a field of an object (``xdm:key`` when only the prefixed key exists, as
    stored XDM and context data write it), a projection over a list, or null."""
    if type(value) is dict or isinstance(value, Mapping):
        found = value.get(key, MISSING)
        return value.get(alt) if found is MISSING else found
    if kind(value) == LIST:
        return project(value, key, alt)
    return None


def project(items: Sequence[Any], key: str, alt: str) -> list[Any]:
    """``list.key``: the field of every object element, nulls dropped, lists flattened once."""
    projected: list[Any] = []
    for item in items:
        if type(item) is dict or isinstance(item, Mapping):
            found = item.get(key, MISSING)
            if found is MISSING:
                found = item.get(alt)
            if found is None:
                continue
            if kind(found) == LIST:
                projected.extend(found)
            else:
                projected.append(found)
    return projected


def walk(value: Any, steps: Sequence[tuple[str, str]]) -> Any:
    for key, alt in steps:
        if value is None:
            return None
        value = field(value, key, alt)
    return value
