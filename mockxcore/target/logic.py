"""json-logic conditions, compiled once per artifact into closures over the library's operators.

An artifact's conditions are evaluated for every rule of every request, and walking the
condition tree anew each time (which is what ``jsonLogic()`` does) is most of a decision's
cost. :func:`compile_logic` walks it once and returns a closure that calls the very same
operator functions of the json-logic library (``json_logic.operations``: ``==``, ``<``,
``in``, ``var``...) with the same evaluation order, short-circuits and data normalization;
scoped operators (``map``, ``filter``, ``all``...) and ``missing`` are handed to ``jsonLogic``
itself. A property test checks the closures against ``jsonLogic`` on generated conditions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from json_logic import jsonLogic, operations

Evaluate = Callable[[Any], Any]
DELEGATED = frozenset({"filter", "map", "reduce", "all", "none", "some", "missing", "missing_some"})


def _constant(value: Any) -> Evaluate:
    return lambda data: value


def compile_logic(logic: Any) -> Evaluate:
    """``compile_logic(c)(data)`` is ``jsonLogic(c, data)``, without re-reading ``c``."""
    if isinstance(logic, list | tuple):
        items = [compile_logic(item) for item in logic]
        return lambda data: [item(data) for item in items]
    if not (isinstance(logic, dict) and len(logic) == 1):
        return _constant(logic)
    operator, values = next(iter(logic.items()))
    if not isinstance(values, list | tuple):
        values = [values]
    if operator in DELEGATED or (operator == "?:" and len(values) != 3):
        return lambda data: jsonLogic(logic, data)
    args = [compile_logic(value) for value in values]
    if operator == "and":

        def conjunction(data: Any) -> Any:
            data = data or {}
            current: Any = False
            for arg in args:
                current = arg(data)
                if not current:
                    return current
            return current

        return conjunction
    if operator == "or":

        def disjunction(data: Any) -> Any:
            data = data or {}
            current: Any = False
            for arg in args:
                current = arg(data)
                if current:
                    return current
            return current

        return disjunction
    if operator in ("if", "?:"):

        def choice(data: Any) -> Any:
            data = data or {}
            for index in range(0, len(args) - 1, 2):
                if args[index](data):
                    return args[index + 1](data)
            return args[-1](data) if len(args) % 2 else None

        return choice
    function = operations.get(operator)
    if function is None:  # unknown: let the library raise its own error
        return lambda data: jsonLogic(logic, data)
    if operator == "var":
        if len(values) == 1 and isinstance(values[0], str) and values[0]:
            return _var_path(values[0].split("."))
        return lambda data: function(data or {}, *[arg(data or {}) for arg in args])
    if len(args) == 2:
        first, second = args
        fast = _FAST.get(operator)
        if fast is not None:
            return _binary(fast, function, first, second)
        return lambda data: function(first(data or {}), second(data or {}))
    return lambda data: function(*[arg(data or {}) for arg in args])


def _var_path(keys: list[str]) -> Evaluate:
    """``{"var": "a.b"}``: the library's own lookup (index on TypeError, None when missing)."""

    def lookup(data: Any) -> Any:
        node = data or {}
        try:
            for key in keys:
                try:
                    node = node[key]
                except TypeError:
                    node = node[int(key)]
        except (KeyError, TypeError, ValueError):
            return None
        return node

    return lookup


_NUMBERS = (int, float)
_FAST: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


def _binary(
    fast: Callable[[Any, Any], bool],
    function: Callable[..., Any],
    first: Evaluate,
    second: Evaluate,
) -> Evaluate:
    """Comparisons: two plain numbers (or, for equality, two strings) compare directly, which
    is what the library's coercions come to for them; anything else goes to the library."""

    def compare(data: Any) -> Any:
        data = data or {}
        a, b = first(data), second(data)
        kinds = (type(a), type(b))
        if kinds[0] in _NUMBERS and kinds[1] in _NUMBERS:
            return fast(a, b)
        if kinds == (str, str) and function in (operations["=="], operations["!="]):
            return fast(a, b)
        return function(a, b)

    return compare
