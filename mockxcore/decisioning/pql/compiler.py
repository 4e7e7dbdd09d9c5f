"""Syntax tree -> one Python closure per node, so evaluating a rule is a few calls, not a walk.

Compilation also does the checks that need more than grammar: unknown or refused functions
and methods, arities, literal regexes and dates, ``$2``. Names are resolved here, once:
a bound variable (select, let), ``xEvent``, a field of the element a filter is looking at,
or a profile attribute. Bindings live in numbered slots of the evaluation environment, so a
closure reads a variable with one list index.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from mockxcore.decisioning.pql import library as lib
from mockxcore.decisioning.pql import syntax as ast
from mockxcore.decisioning.pql import timing
from mockxcore.decisioning.pql import values as v
from mockxcore.decisioning.pql.errors import Refusal


class Env:
    """One evaluation's inputs and variable slots; built per ``Rule.evaluate`` call."""

    __slots__ = ("attributes", "context", "events", "now", "segments", "slots")

    def __init__(
        self,
        attributes: Mapping[str, Any],
        segments: Mapping[str, Any],
        events: Sequence[Any],
        context: Mapping[str, Any],
        now: datetime,
        slot_count: int,
    ) -> None:
        self.attributes = attributes
        self.segments = segments
        self.events = events
        self.context = context
        self.now = now
        self.slots: list[Any] = [None] * slot_count


Fn = Callable[[Env], Any]
IntervalFn = Callable[[Env], "timing.Interval | None"]


@dataclass(frozen=True)
class Scope:
    """What a bare name means where it is written (lexical, so resolved at compile time)."""

    variables: Mapping[str, int] = field(default_factory=dict)
    element: int | None = None  # slot of the element a filter or aggregate argument looks at
    profile_alias: str | None = None  # the lambda parameter, another name for $1

    def bind(self, name: str, slot: int) -> Scope:
        return Scope({**self.variables, name: slot}, self.element, self.profile_alias)

    def looking_at(self, slot: int) -> Scope:
        return Scope(self.variables, slot, self.profile_alias)


_OPERATORS: Final = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_NUMBER_TYPES: Final = (int, float)


def _steps(keys: Sequence[str]) -> tuple[tuple[str, str], ...]:
    return tuple((key, "xdm:" + key) for key in keys)


def _walker(head: Fn, keys: Sequence[str]) -> Fn:
    if not keys:
        return head
    if len(keys) == 1:
        key, alt = keys[0], "xdm:" + keys[0]
        return lambda env: v.field(head(env), key, alt)
    steps = _steps(keys)
    return lambda env: v.walk(head(env), steps)


def _segments(env: Env) -> Any:
    return env.segments or v.field(env.attributes, "segmentMembership", "xdm:segmentMembership")


def _profile_view(env: Env) -> dict[str, Any]:
    """``$1`` as a value: the attributes, with the segment membership the profile carries."""
    view = dict(env.attributes)
    if env.segments:
        view["segmentMembership"] = env.segments
    return view


class Compiler:
    """Compiles one rule; collects the slot count and the context schemas it references."""

    def __init__(self) -> None:
        self.slot_count = 0
        self.schemas: set[str] = set()

    def new_slot(self) -> int:
        self.slot_count += 1
        return self.slot_count - 1

    def compile(self, node: ast.Node, scope: Scope) -> Fn:
        handler: Callable[[Compiler, Any, Scope], Fn] = _HANDLERS[type(node)]
        return handler(self, node, scope)

    def element_scoped(self, node: ast.Node, scope: Scope) -> tuple[int, Fn]:
        """Compile ``node`` to run with the element in a fresh slot as its implicit root."""
        slot = self.new_slot()
        return slot, self.compile(node, scope.looking_at(slot))

    # -- values and names ----------------------------------------------------------------------

    def literal(self, node: ast.Literal, scope: Scope) -> Fn:
        value = node.value
        return lambda env: value

    def list_literal(self, node: ast.ListLiteral, scope: Scope) -> Fn:
        if ast.is_literal(node):
            constant = tuple(item.value for item in node.items if isinstance(item, ast.Literal))
            return lambda env: constant
        items = [self.compile(item, scope) for item in node.items]
        return lambda env: [item(env) for item in items]

    def name(self, node: ast.Name, scope: Scope) -> Fn:
        return self._read_name(node.name, (), scope)

    def param(self, node: ast.Param, scope: Scope) -> Fn:
        self._check_param(node)
        return _profile_view

    def context_ref(self, node: ast.ContextRef, scope: Scope) -> Fn:
        schema = node.schema
        self.schemas.add(schema)

        def run(env: Env) -> Any:
            context = env.context
            return context.get(schema) if isinstance(context, Mapping) else None

        return run

    def time_word(self, node: ast.TimeWord, scope: Scope) -> Fn:
        word = node.word
        if word == "now":
            return lambda env: env.now
        return lambda env: timing.time_word(env.now, word)[0]

    def path(self, node: ast.Path, scope: Scope) -> Fn:
        head = node.head
        if isinstance(head, ast.Name):
            return self._read_name(head.name, node.keys, scope)
        if isinstance(head, ast.Param):
            self._check_param(head)
            return self._read_profile(node.keys)
        return _walker(self.compile(head, scope), node.keys)

    def _check_param(self, node: ast.Param) -> None:
        if node.index != 1:
            raise Refusal(
                node.pos,
                f"${node.index} is not an input here: an eligibility rule has one input, "
                "the profile ($1)",
                "$" + str(node.index) if node.index < 10**6 else "$n",
            )

    def _read_name(self, name: str, keys: Sequence[str], scope: Scope) -> Fn:
        if name in scope.variables:
            slot = scope.variables[name]
            return _walker(lambda env: env.slots[slot], keys)
        if name == scope.profile_alias:
            return self._read_profile(keys)
        if name == "xEvent":
            return _walker(lambda env: env.events, keys)
        if scope.element is not None:
            element = scope.element
            alt = "xdm:" + name
            return _walker(lambda env: v.field(env.slots[element], name, alt), keys)
        return self._read_profile((name, *keys), prefix_allowed=True)

    def _read_profile(self, keys: Sequence[str], prefix_allowed: bool = False) -> Fn:
        """A path from the profile: ``segmentMembership`` reads the profile's membership, and
        a leading ``profile.`` is the profile itself unless it has an attribute by that name."""
        if not keys:
            return _profile_view
        first, rest = keys[0], keys[1:]
        if first == "profile" and prefix_allowed:
            own = _walker(lambda env: v.field(env.attributes, "profile", "xdm:profile"), rest)
            root = self._read_profile(rest)
            return lambda env: own(env) if "profile" in env.attributes else root(env)
        if first == "segmentMembership":
            return _walker(_segments, rest)
        alt = "xdm:" + first
        return _walker(lambda env: v.field(env.attributes, first, alt), rest)

    # -- calls ---------------------------------------------------------------------------------

    def method(self, node: ast.Method, scope: Scope) -> Fn:
        if node.name in lib.REFUSED_METHODS:
            raise Refusal(node.pos, lib.REFUSED_METHODS[node.name], node.name)
        signature = lib.METHODS.get(node.name)
        if signature is None:
            raise Refusal(
                node.pos,
                f"unknown method .{node.name}()"
                f"{lib.suggestion(node.name, sorted(lib.METHODS))}; docs/pql.md lists the "
                "supported methods",
                node.name,
            )
        _check_arity(node, f".{node.name}()", signature.least, signature.most)
        target = self.compile(node.target, scope)
        return signature.build(self, target, node, scope)

    def call(self, node: ast.Call, scope: Scope) -> Fn:
        refused = lib.REFUSED_FUNCTIONS.get(node.name.lower())
        if refused is not None:
            construct, message = refused
            raise Refusal(node.pos, message, construct)
        if node.name not in lib.FUNCTIONS:
            raise Refusal(
                node.pos,
                f"unknown function {node.name}(){lib.suggestion(node.name, sorted(lib.FUNCTIONS))}"
                "; the functions are if, date, currentMonth, currentYear and currentDayOfMonth",
                node.name,
            )
        arity = lib.FUNCTIONS[node.name]
        _check_arity(node, f"{node.name}()", arity, arity)
        if node.name == "if":
            return self._if(node, scope)
        if node.name == "date":
            return self._date(node, scope)
        part = {"currentMonth": "month", "currentYear": "year", "currentDayOfMonth": "day"}
        attribute = part[node.name]
        return lambda env: getattr(env.now, attribute)

    def _if(self, node: ast.Call, scope: Scope) -> Fn:
        test, when_true, when_false = (self.compile(arg, scope) for arg in node.args)
        return lambda env: when_true(env) if v.truth(test(env)) else when_false(env)

    def _date(self, node: ast.Call, scope: Scope) -> Fn:
        """``date(y, m, d)``: midnight UTC; checked now when written with integer literals."""
        literals = [arg.value for arg in node.args if isinstance(arg, ast.Literal)]
        if len(literals) == 3 and all(type(part) is int for part in literals):
            day = _make_date(*literals)
            if day is None:
                raise Refusal(node.pos, f"date{tuple(literals)} is not a calendar date")
            return lambda env: day
        parts = [self.compile(arg, scope) for arg in node.args]
        return lambda env: _make_date(*(part(env) for part in parts))

    def filter(self, node: ast.Filter, scope: Scope) -> Fn:
        return lib.filter_fn(self, self.compile(node.target, scope), node.condition, scope)

    # -- operators -----------------------------------------------------------------------------

    def negate(self, node: ast.Negate, scope: Scope) -> Fn:
        operand = self.compile(node.operand, scope)
        return lambda env: v.negate(operand(env))

    def arithmetic(self, node: ast.Arithmetic, scope: Scope) -> Fn:
        first = self.compile(node.first, scope)
        rest = [(op, self.compile(operand, scope)) for op, operand in node.rest]

        def run(env: Env) -> Any:
            result = first(env)
            for op, operand in rest:
                result = v.arithmetic(op, result, operand(env))
            return result

        return run

    def not_(self, node: ast.Not, scope: Scope) -> Fn:
        operand = self.compile(node.operand, scope)
        return lambda env: not v.truth(operand(env))

    def logic(self, node: ast.Logic, scope: Scope) -> Fn:
        operands = [self.compile(operand, scope) for operand in node.operands]
        truth = v.truth
        if node.op == "and":
            if len(operands) == 2:
                left, right = operands
                return lambda env: truth(left(env)) and truth(right(env))
            return lambda env: all(truth(operand(env)) for operand in operands)
        if len(operands) == 2:
            left, right = operands
            return lambda env: truth(left(env)) or truth(right(env))
        return lambda env: any(truth(operand(env)) for operand in operands)

    def compare(self, node: ast.Compare, scope: Scope) -> Fn:
        left, right = self.compile(node.left, scope), self.compile(node.right, scope)
        left_literal, right_literal = ast.is_literal(node.left), ast.is_literal(node.right)
        op = node.op
        if isinstance(node.right, ast.Literal) and not left_literal:
            return _compare_to_literal(op, left, node.right.value)
        return lambda env: v.compare(op, left(env), right(env), left_literal, right_literal)

    def membership(self, node: ast.Membership, scope: Scope) -> Fn:
        """``x in L`` is true when x equals an element; ``x notIn L`` when it equals none. Both
        are false when either side is null, so ``notIn`` is not ``not (x in L)``."""
        left = self.compile(node.left, scope)
        left_literal, right_literal = ast.is_literal(node.left), ast.is_literal(node.right)
        wanted = not node.negated
        right = self.compile(node.right, scope)
        strings: frozenset[str] | None = None
        if isinstance(node.right, ast.ListLiteral) and right_literal and node.right.items:
            items = [item.value for item in node.right.items if isinstance(item, ast.Literal)]
            if all(type(item) is str for item in items):
                strings = frozenset(str(item) for item in items)

        def run(env: Env) -> bool:
            value = left(env)
            if strings is not None and type(value) is str:
                return (value in strings) is wanted
            found = _member(value, right(env), left_literal, right_literal)
            return found is wanted

        return run

    def like(self, node: ast.Like, scope: Scope) -> Fn:
        """``s like "B_nd%"``: the whole string, case-sensitive, no escape character."""
        subject = self.compile(node.left, scope)
        pattern = lib.regex_fn(self, node.pattern, scope, like=True)

        def run(env: Env) -> bool:
            text = subject(env)
            if not isinstance(text, str):
                return False
            regex = pattern(env)
            return regex is not None and lib.full_match(regex, text)

        return run

    # -- time ----------------------------------------------------------------------------------

    def interval(self, node: ast.Node, scope: Scope) -> IntervalFn:
        """A time reference as an interval: words and periods span their calendar unit,
        ``date()`` its day, anything else is an instant (null when it is not a timestamp)."""
        if isinstance(node, ast.TimeWord):
            word = node.word
            return lambda env: timing.time_word(env.now, word)
        if isinstance(node, ast.Period):
            which, unit = node.which, node.unit
            return lambda env: timing.period(env.now, which, unit)
        moment = self.compile(node, scope)
        if isinstance(node, ast.Call) and node.name == "date":

            def day(env: Env) -> timing.Interval | None:
                start = moment(env)
                return timing.day_of(start) if isinstance(start, datetime) else None

            return day

        def instant(env: Env) -> timing.Interval | None:
            start = v.to_time(moment(env))
            return None if start is None else (start, start)

        return instant

    def occurs_distance(self, node: ast.OccursDistance, scope: Scope) -> Fn:
        subject, anchor = self.compile(node.subject, scope), self.interval(node.anchor, scope)
        op, count, unit, direction = node.op, node.count, node.unit, node.direction
        # An anchor that does not depend on the data (now, today, last week, date(...)) gives
        # the same test for every event: build it once per evaluation, in a slot.
        cache = self.new_slot() if _clock_only(node.anchor) else None

        def test_for(env: Env) -> Callable[[datetime], bool] | None:
            if cache is not None and env.slots[cache] is not None:
                return env.slots[cache]  # type: ignore[no-any-return]
            span = anchor(env)
            test = None if span is None else timing.distance_test(op, count, unit, direction, span)
            if cache is not None:
                env.slots[cache] = test
            return test

        def run(env: Env) -> bool:
            moment = v.to_time(subject(env))
            if moment is None:
                return False
            test = test_for(env)
            return test is not None and test(moment)

        return run

    def occurs_direction(self, node: ast.OccursDirection, scope: Scope) -> Fn:
        subject, anchor = self.compile(node.subject, scope), self.interval(node.anchor, scope)
        direction = node.direction

        def run(env: Env) -> bool:
            moment, span = v.to_time(subject(env)), anchor(env)
            if moment is None or span is None:
                return False
            return timing.occurs_direction(moment, direction, span)

        return run

    def occurs_on(self, node: ast.OccursOn, scope: Scope) -> Fn:
        subject, anchor = self.compile(node.subject, scope), self.interval(node.anchor, scope)

        def run(env: Env) -> bool:
            moment, span = v.to_time(subject(env)), anchor(env)
            return moment is not None and span is not None and timing.occurs_on(moment, span)

        return run

    def occurs_between(self, node: ast.OccursBetween, scope: Scope) -> Fn:
        subject = self.compile(node.subject, scope)
        first, last = self.interval(node.first, scope), self.interval(node.last, scope)

        def run(env: Env) -> bool:
            moment, start, end = v.to_time(subject(env)), first(env), last(env)
            if moment is None or start is None or end is None:
                return False
            return timing.occurs_between(moment, start, end)

        return run

    # -- binders -------------------------------------------------------------------------------

    def quantifier(self, node: ast.Quantifier, scope: Scope) -> Fn:
        """``select|exists|forall V from C where cond, W from D where ...``.

        A variable is visible in its own condition, in later clauses and in nested selects;
        the source of a later clause may use earlier variables.
        """
        clauses: list[tuple[int, Fn, Fn | None]] = []
        for clause in node.clauses:
            source = self.compile(clause.source, scope)
            slot = self.new_slot()
            scope = scope.bind(clause.variable, slot)
            condition = None
            if clause.condition is not None:
                condition = self.compile(clause.condition, scope)
            clauses.append((slot, source, condition))
        if node.kind == "exists":
            return lambda env: _exists(env, clauses, 0)
        if node.kind == "forall":
            return lambda env: _forall(env, clauses, 0)
        if len(clauses) == 1:
            return _select_one(*clauses[0])
        names = [clause.variable for clause in node.clauses]
        return lambda env: [dict(zip(names, row, strict=True)) for row in _rows(env, clauses, 0)]

    def let(self, node: ast.Let, scope: Scope) -> Fn:
        value = self.compile(node.value, scope)
        slot = self.new_slot()
        body = self.compile(node.body, scope.bind(node.name, slot))

        def run(env: Env) -> Any:
            env.slots[slot] = value(env)
            return body(env)

        return run

    def lambda_(self, node: ast.Lambda, scope: Scope) -> Fn:
        inner = Scope(scope.variables, scope.element, node.parameter)
        return self.compile(node.body, inner)


def _check_arity(node: ast.Method | ast.Call, shown: str, least: int, most: int) -> None:
    given = len(node.args)
    if least <= given <= most:
        return
    wanted = str(least) if least == most else f"{least} to {most}"
    noun = "argument" if wanted == "1" else "arguments"
    raise Refusal(node.pos, f"{shown} takes {wanted} {noun}, not {given}")


def _clock_only(node: ast.Node) -> bool:
    """Whether a time reference depends on nothing but the clock."""
    if isinstance(node, ast.TimeWord | ast.Period):
        return True
    return (
        isinstance(node, ast.Call)
        and node.name == "date"
        and all(isinstance(arg, ast.Literal) for arg in node.args)
    )


def _make_date(year: Any, month: Any, day: Any) -> datetime | None:
    if not all(type(part) is int for part in (year, month, day)):
        return None
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except (ValueError, OverflowError):
        return None


def _compare_to_literal(op: str, left: Fn, constant: Any) -> Fn:
    """The common ``path <op> literal``: a direct Python comparison when the types already
    agree, the full coercion otherwise."""
    python_op = _OPERATORS[op]
    if type(constant) is bool:
        direct: tuple[type, ...] = (bool,) if op in ("=", "!=") else ()
    elif type(constant) in _NUMBER_TYPES:
        direct = _NUMBER_TYPES
    else:
        direct = (str,)

    def run(env: Env) -> bool:
        value = left(env)
        if type(value) in direct:
            return bool(python_op(value, constant))
        return v.compare(op, value, constant, False, True)

    return run


def _member(value: Any, collection: Any, left_literal: bool, right_literal: bool) -> bool | None:
    """Whether ``value`` equals an element of ``collection`` (a scalar is a one-element list),
    or None when either is null."""
    if value is None or collection is None:
        return None
    return any(
        v.compare("=", value, item, left_literal, right_literal) for item in v.elements(collection)
    )


def _select_one(slot: int, source: Fn, condition: Fn | None) -> Fn:
    if condition is None:
        return lambda env: list(v.elements(source(env)))

    def run(env: Env) -> list[Any]:
        selected = []
        slots = env.slots
        for item in v.elements(source(env)):
            slots[slot] = item
            if v.truth(condition(env)):
                selected.append(item)
        return selected

    return run


def _bindings(env: Env, clause: tuple[int, Fn, Fn | None]) -> Iterator[Any]:
    """Bind each element of the clause's source that meets its condition, in turn."""
    slot, source, condition = clause
    for item in v.elements(source(env)):
        env.slots[slot] = item
        if condition is None or v.truth(condition(env)):
            yield item


def _exists(env: Env, clauses: Sequence[tuple[int, Fn, Fn | None]], index: int) -> bool:
    if index == len(clauses):
        return True
    return any(_exists(env, clauses, index + 1) for _ in _bindings(env, clauses[index]))


def _forall(env: Env, clauses: Sequence[tuple[int, Fn, Fn | None]], index: int) -> bool:
    """Every element of every clause's source meets its condition; an empty source is true."""
    if index == len(clauses):
        return True
    slot, source, condition = clauses[index]
    for item in v.elements(source(env)):
        env.slots[slot] = item
        if condition is not None and not v.truth(condition(env)):
            return False
        if not _forall(env, clauses, index + 1):
            return False
    return True


def _rows(
    env: Env, clauses: Sequence[tuple[int, Fn, Fn | None]], index: int
) -> Iterator[tuple[Any, ...]]:
    if index == len(clauses):
        yield ()
        return
    for item in _bindings(env, clauses[index]):
        for rest in _rows(env, clauses, index + 1):
            yield (item, *rest)


_HANDLERS: Final[dict[type, Callable[[Compiler, Any, Scope], Fn]]] = {
    ast.Literal: Compiler.literal,
    ast.ListLiteral: Compiler.list_literal,
    ast.Name: Compiler.name,
    ast.Param: Compiler.param,
    ast.ContextRef: Compiler.context_ref,
    ast.TimeWord: Compiler.time_word,
    ast.Path: Compiler.path,
    ast.Method: Compiler.method,
    ast.Call: Compiler.call,
    ast.Filter: Compiler.filter,
    ast.Negate: Compiler.negate,
    ast.Arithmetic: Compiler.arithmetic,
    ast.Not: Compiler.not_,
    ast.Logic: Compiler.logic,
    ast.Compare: Compiler.compare,
    ast.Membership: Compiler.membership,
    ast.Like: Compiler.like,
    ast.OccursDistance: Compiler.occurs_distance,
    ast.OccursDirection: Compiler.occurs_direction,
    ast.OccursOn: Compiler.occurs_on,
    ast.OccursBetween: Compiler.occurs_between,
    ast.Quantifier: Compiler.quantifier,
    ast.Let: Compiler.let,
    ast.Lambda: Compiler.lambda_,
}
