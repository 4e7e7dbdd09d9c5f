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

import operator
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
            return _binary(fast, function, first, second, _literal(values[0]), _literal(values[1]))
        if _literal(values[1]):
            constant = values[1]  # what ``second`` answers, every time
            return lambda data: function(first(data or {}), constant)
        return lambda data: function(first(data or {}), second(data or {}))
    if len(args) == 3:
        first, second, third = args
        return lambda data: function(first(data or {}), second(data or {}), third(data or {}))
    return lambda data: function(*[arg(data or {}) for arg in args])


def _literal(logic: Any) -> bool:
    """Whether ``logic`` compiles to a constant (:func:`_constant`: it answers itself)."""
    return not isinstance(logic, list | tuple) and not (isinstance(logic, dict) and len(logic) == 1)


def _var_path(keys: list[str]) -> Evaluate:
    """``{"var": "a.b"}``: the library's own lookup (index on TypeError, None when missing)."""
    if len(keys) == 1:
        [key] = keys

        def lookup_one(data: Any) -> Any:
            node = data or {}
            try:
                try:
                    return node[key]
                except TypeError:
                    return node[int(key)]
            except (KeyError, TypeError, ValueError):
                return None

        return lookup_one
    if len(keys) == 2:
        outer, inner = keys

        def lookup_two(data: Any) -> Any:
            node = data or {}
            try:
                try:
                    node = node[outer]
                except TypeError:
                    node = node[int(outer)]
                try:
                    return node[inner]
                except TypeError:
                    return node[int(inner)]
            except (KeyError, TypeError, ValueError):
                return None

        return lookup_two

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
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
"""The plain comparisons (``a < b``...), for operands the library would not coerce."""


def _binary(
    fast: Callable[[Any, Any], bool],
    function: Callable[..., Any],
    first: Evaluate,
    second: Evaluate,
    first_literal: bool = False,
    second_literal: bool = False,
) -> Evaluate:
    """Comparisons: two plain numbers (or, for equality, two strings) compare directly, which
    is what the library's coercions come to for them; anything else goes to the library.

    A literal operand (``{"<=": [0, {"var": "allocation"}]}``) is read once, here."""
    equality = function in (operations["=="], operations["!="])
    if first_literal != second_literal:
        constant = first({}) if first_literal else second({})
        other = second if first_literal else first
        kind = type(constant)
        if kind in _NUMBERS:
            same: tuple[type, ...] = _NUMBERS
        elif kind is str and equality:
            same = (str,)
        else:
            same = ()
        if first_literal:

            def compare_to_first(data: Any) -> Any:
                b = other(data or {})
                if type(b) in same:
                    return fast(constant, b)
                return function(constant, b)

            return compare_to_first

        def compare_to_second(data: Any) -> Any:
            a = other(data or {})
            if type(a) in same:
                return fast(a, constant)
            return function(a, constant)

        return compare_to_second

    def compare(data: Any) -> Any:
        data = data or {}
        a, b = first(data), second(data)
        kinds = (type(a), type(b))
        if kinds[0] in _NUMBERS and kinds[1] in _NUMBERS:
            return fast(a, b)
        if kinds == (str, str) and equality:
            return fast(a, b)
        return function(a, b)

    return compare
