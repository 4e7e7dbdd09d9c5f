"""Rule text -> syntax tree, or a located :class:`~.errors.Refusal`.

Three passes, none recursive over the input, so no rule can exhaust the stack:

1. a linear scan for lexemes that are never PQL here (comments, single quotes, ``^``) and for
   the real PQL forms that cannot even parse in the subset (``chain(...)``, ``sum ... over``),
   so they are refused by name rather than as a confusing syntax error;
2. lark's LALR parser with an inline transformer that builds :mod:`.syntax` nodes as it reduces;
3. an iterative depth measurement, because compilation and evaluation do recurse.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Any

from lark import Lark, Token, Transformer, UnexpectedCharacters, UnexpectedInput, v_args
from lark.exceptions import UnexpectedToken

from mockxcore.decisioning.pql import syntax as ast
from mockxcore.decisioning.pql.errors import Refusal
from mockxcore.decisioning.pql.library import REFUSED_FUNCTIONS
from mockxcore.decisioning.pql.timing import unit_name

MAX_BYTES = 64 * 1024
MAX_DEPTH = 100
MAX_CLAUSES = 5
MAX_NUMBER_DIGITS = 100

_GRAMMAR = FilePath(__file__).with_name("grammar.lark")

_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "n": "\n", "t": "\t", "r": "\r"}
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


# -- pass 1: lexemes and forms refused by name -------------------------------------------------

_LEXEME = re.compile(
    r"""
    (?P<string>"(?:[^"\\]|\\.)*"?)
  | (?P<context>@\{[^}]*\}?)
  | (?P<comment>//|/\*|--)
  | (?P<quote>')
  | (?P<up>\^)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<space>\s+)
  | (?P<other>[^"@/\-'^A-Za-z_\s]+|.)
    """,
    re.VERBOSE | re.DOTALL,
)
_OPENING_PAREN = re.compile(r"\s*\(")
_AGGREGATES = frozenset({"sum", "count", "average", "min", "max"})


@dataclass(frozen=True)
class Finding:
    """Something the scan refuses; ``always`` ones even when the rest of the rule parses."""

    position: int
    message: str
    construct: str
    always: bool


_LEXICAL = {
    "comment": (
        "comments are not PQL (note that -- is refused too: write - -x for a double negation)",
        "comment",
    ),
    "quote": ("strings take double quotes in PQL", "single-quoted string"),
    "up": (
        "the ^ (parent) reference of nested filters is outside the mock's PQL subset",
        "^",
    ),
}


def scan(text: str) -> list[Finding]:
    """Refused lexemes and un-parseable PQL forms, in the order they appear."""
    findings: list[Finding] = []
    previous = ""  # the last lexeme that is not white space
    last_aggregate: int | None = None
    for match in _LEXEME.finditer(text):
        group, lexeme, start = match.lastgroup or "other", match.group(), match.start()
        if group in _LEXICAL:
            message, construct = _LEXICAL[group]
            findings.append(Finding(start, message, construct, always=True))
        elif group == "word" and not previous.endswith("."):  # x.chain(...) is a method
            folded = lexeme.casefold()
            if folded == "chain" and _OPENING_PAREN.match(text, match.end()):
                findings.append(_chain(start))
            elif folded in _AGGREGATES:
                last_aggregate = start
            elif folded == "over":
                findings.append(
                    _prefix_aggregate(start if last_aggregate is None else last_aggregate)
                )
        if group != "space":
            previous = lexeme
    return findings


def _chain(position: int) -> Finding:
    construct, message = REFUSED_FUNCTIONS["chain"]
    return Finding(position, message, construct, always=False)


def _prefix_aggregate(position: int) -> Finding:
    return Finding(
        position,
        "the prefix aggregate form (sum X.price over X from xEvent ...) is outside the mock's "
        "PQL subset; write xEvent.sum(price) or (select ...).sum(...)",
        "prefix aggregate",
        always=False,
    )


# -- pass 2: LALR parse into syntax nodes ------------------------------------------------------


def _at(token: Token) -> int:
    """Where a token starts; lark types it optional, but the lexer always sets it."""
    return token.start_pos or 0


def _literal_string(token: Token) -> str:
    body = token[1:-1]

    def unescape(match: re.Match[str]) -> str:
        char = match.group(1)
        if char not in _ESCAPES:
            raise Refusal(
                _at(token) + 1 + match.start(),
                f'unknown escape \\{char} in a string: PQL strings know \\" \\\\ \\/ \\n \\t '
                f"and \\r; a regular expression class needs a doubled backslash (\\\\{char})",
            )
        return _ESCAPES[char]

    return _ESCAPE.sub(unescape, body)


def _number(token: Token) -> int | float:
    if len(token) > MAX_NUMBER_DIGITS:
        raise Refusal(_at(token), f"a number literal is limited to {MAX_NUMBER_DIGITS} digits")
    if any(mark in token for mark in ".eE"):
        return float(token)
    return int(token)


def _occurs_count(token: Token) -> int:
    number = _number(token)
    if not isinstance(number, int):
        raise Refusal(_at(token), f"the count in occurs must be a whole number, not {token}")
    return number


@v_args(inline=True)
class _Builder(Transformer[Token, ast.Node]):
    """Builds syntax nodes while lark reduces; stateless, so one instance serves every parse."""

    def start(self, *children: Any) -> ast.Node:
        if len(children) == 1:
            return children[0]  # type: ignore[no-any-return]
        head, body = children
        parameter = head[1:].split(")")[0].strip()
        return ast.Lambda(_at(head), parameter, body)

    def multi_lambda(self, head: Token, body: ast.Node) -> ast.Node:
        raise Refusal(
            _at(head),
            "a rule has one input, the profile, so its lambda takes one parameter",
            "lambda with several parameters",
        )

    def let(self, name: Token, value: ast.Node, body: ast.Node) -> ast.Node:
        return ast.Let(_at(name), str(name), value, body)

    def quantifier(self, word: Token, *clauses: ast.Clause) -> ast.Node:
        if len(clauses) > MAX_CLAUSES:
            raise Refusal(
                clauses[MAX_CLAUSES].pos,
                f"a {word.lower()} takes at most {MAX_CLAUSES} clauses",
            )
        return ast.Quantifier(_at(word), word.lower(), clauses)

    def clause(
        self, name: Token, source: ast.Node, condition: ast.Node | None = None
    ) -> ast.Clause:
        return ast.Clause(_at(name), str(name), source, condition)

    def or_expr(self, *operands: ast.Node) -> ast.Node:
        return ast.Logic(operands[0].pos, "or", operands)

    def and_expr(self, *operands: ast.Node) -> ast.Node:
        return ast.Logic(operands[0].pos, "and", operands)

    def not_op(self, operand: ast.Node) -> ast.Node:
        return ast.Not(operand.pos, operand)

    def compare(self, left: ast.Node, op: Token, right: ast.Node) -> ast.Node:
        return ast.Compare(left.pos, str(op), left, right)

    def in_op(self, left: ast.Node, right: ast.Node) -> ast.Node:
        return ast.Membership(left.pos, False, left, right)

    def not_in_op(self, left: ast.Node, right: ast.Node) -> ast.Node:
        return ast.Membership(left.pos, True, left, right)

    def like_op(self, left: ast.Node, pattern: ast.Node) -> ast.Node:
        return ast.Like(left.pos, left, pattern)

    def occurs(self, subject: ast.Node, spec: tuple[str, tuple[Any, ...]]) -> ast.Node:
        form, parts = spec
        if form == "distance":
            return ast.OccursDistance(subject.pos, subject, *parts)
        if form == "direction":
            return ast.OccursDirection(subject.pos, subject, *parts)
        if form == "between":
            return ast.OccursBetween(subject.pos, subject, *parts)
        return ast.OccursOn(subject.pos, subject, *parts)

    def occurs_distance(
        self, op: Token, count: Token, unit: Token, direction: Token, anchor: ast.Node
    ) -> tuple[str, tuple[Any, ...]]:
        parts = (str(op), _occurs_count(count), unit_name(unit), direction.lower(), anchor)
        return "distance", parts

    def occurs_direction(self, direction: Token, anchor: ast.Node) -> tuple[str, tuple[Any, ...]]:
        return "direction", (direction.lower(), anchor)

    def occurs_on(self, anchor: ast.Node) -> tuple[str, tuple[Any, ...]]:
        return "on", (anchor,)

    def occurs_between(self, first: ast.Node, last: ast.Node) -> tuple[str, tuple[Any, ...]]:
        return "between", (first, last)

    def period(self, which: Token, unit: Token) -> ast.Node:
        return ast.Period(_at(which), which.lower(), unit_name(unit))

    def arith_sum(self, first: ast.Node, *rest: Any) -> ast.Node:
        return _arithmetic(first, rest)

    def arith_product(self, first: ast.Node, *rest: Any) -> ast.Node:
        return _arithmetic(first, rest)

    def neg(self, operand: ast.Node) -> ast.Node:
        """``-201`` stays a literal, so coercion still treats it as one."""
        value = operand.value if isinstance(operand, ast.Literal) else None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return ast.Literal(operand.pos, -value)
        return ast.Negate(operand.pos, operand)

    def member(self, target: ast.Node, name: Token) -> ast.Node:
        if isinstance(target, ast.Path):
            return ast.Path(target.pos, target.head, (*target.keys, str(name)))
        return ast.Path(target.pos, target, (str(name),))

    def method(self, target: ast.Node, name: Token, args: tuple[ast.Node, ...] | None) -> ast.Node:
        return ast.Method(_at(name), target, str(name), args or ())

    def filter(self, target: ast.Node, condition: ast.Node) -> ast.Node:
        return ast.Filter(target.pos, target, condition)

    def string(self, token: Token) -> ast.Node:
        return ast.Literal(_at(token), _literal_string(token))

    def number(self, token: Token) -> ast.Node:
        return ast.Literal(_at(token), _number(token))

    def boolean(self, token: Token) -> ast.Node:
        return ast.Literal(_at(token), token.lower() == "true")

    def name(self, token: Token) -> ast.Node:
        return ast.Name(_at(token), str(token))

    def param(self, token: Token) -> ast.Node:
        return ast.Param(_at(token), int(token[1:]) if len(token) < 10 else 2**31)

    def context_ref(self, token: Token) -> ast.Node:
        return ast.ContextRef(_at(token), token[2:-1].strip())

    def time_word(self, token: Token) -> ast.Node:
        return ast.TimeWord(_at(token), token.lower())

    def call(self, name: Token, args: tuple[ast.Node, ...] | None) -> ast.Node:
        return ast.Call(_at(name), str(name), args or ())

    def list_literal(self, args: tuple[ast.Node, ...] | None) -> ast.Node:
        items = args or ()
        return ast.ListLiteral(items[0].pos if items else 0, items)

    def tuple_literal(self, first: ast.Node, rest: tuple[ast.Node, ...]) -> ast.Node:
        return ast.ListLiteral(first.pos, (first, *rest))

    def args(self, *items: ast.Node) -> tuple[ast.Node, ...]:
        return items


def _arithmetic(first: ast.Node, rest: tuple[Any, ...]) -> ast.Node:
    pairs = tuple((str(rest[index]), rest[index + 1]) for index in range(0, len(rest), 2))
    return ast.Arithmetic(first.pos, first, pairs)


@functools.cache
def _lark() -> Lark:
    """Built on first use: making the LALR tables takes a noticeable moment at import time."""
    return Lark(
        _GRAMMAR.read_text(encoding="utf-8"),
        parser="lalr",
        lexer="contextual",
        transformer=_Builder(),
        maybe_placeholders=True,
    )


# -- errors ------------------------------------------------------------------------------------

_FRIENDLY = {
    "NAME": "a name",
    "STRING": 'a "string"',
    "NUMBER": "a number",
    "BOOL": "true or false",
    "COMP_OP": "a comparison (= != < <= > >=)",
    "ADD_OP": "+ or -",
    "MUL_OP": "* / or %",
    "UNIT": "a time unit (days, months, ...)",
    "DIRECTION": "before, after or from",
    "PERIOD": "this, last or next",
    "TIME_WORD": "now, today, yesterday or tomorrow",
    "CONTEXT_REF": "a context reference @{schemaId}",
    "DOLLAR_REF": "$1",
    "QUANT": "select, exists or forall",
    "LAMBDA_HEAD": "(Profile) =>",
    "MULTI_LAMBDA_HEAD": "(Profile) =>",
    "$END": "the end of the rule",
}
_WORD = re.compile(r"[A-Za-z0-9_]+|\S")
_MAX_EXPECTED = 8


def _expected(names: set[str]) -> str:
    described = set()
    for name in names:
        if name in _FRIENDLY:
            described.add(_FRIENDLY[name])
        elif name.startswith("_"):
            described.add(name[1:].lower().replace("notin", "notIn"))
        else:
            try:
                described.add(repr(_lark().get_terminal(name).pattern.value))
            except KeyError:
                described.add(name)
    listed = sorted(described)
    if len(listed) > _MAX_EXPECTED:
        listed = [*listed[:_MAX_EXPECTED], "..."]
    return ", ".join(listed)


def _syntax_error(text: str, error: UnexpectedInput) -> Refusal:
    if isinstance(error, UnexpectedToken):
        token = error.token
        if token.type == "$END":
            return Refusal(
                len(text), f"the rule ends too early; expected {_expected(error.expected)}"
            )
        message = f"unexpected {str(token)!r}; expected {_expected(error.expected)}"
        if token.type == "COMP_OP" and "COMP_OP" not in error.expected:
            message += " (comparisons do not chain: write a = b and b = c)"
        return Refusal(_at(token), message)
    position = error.pos_in_stream if error.pos_in_stream is not None else len(text)
    word = _WORD.match(text, position)
    shown = word.group() if word else text[position : position + 1]
    allowed = getattr(error, "allowed", None) or set()
    hint = f"; expected {_expected(set(allowed))}" if allowed else ""
    return Refusal(position, f"unexpected {shown!r}{hint}")


def _error_position(error: UnexpectedInput, text: str) -> int:
    if isinstance(error, UnexpectedToken) and error.token.type != "$END":
        return _at(error.token)
    if isinstance(error, UnexpectedCharacters) and error.pos_in_stream is not None:
        return int(error.pos_in_stream)
    return len(text)


# -- entry point -------------------------------------------------------------------------------


def parse(text: str) -> ast.Node:
    """The syntax tree of ``text``; raises :class:`Refusal` for anything the subset refuses."""
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise Refusal(0, f"a rule is limited to {MAX_BYTES // 1024} KiB")
    if not text.strip():
        raise Refusal(0, "the rule is empty")
    findings = scan(text)
    try:
        tree = _lark().parse(text)
    except UnexpectedInput as error:
        _refuse_found_before(findings, _error_position(error, text))
        raise _syntax_error(text, error) from None
    except Refusal as refusal:  # raised by the builder: a bad escape, number, lambda...
        _refuse_found_before(findings, refusal.position)
        raise
    for finding in findings:
        if finding.always:
            raise Refusal(finding.position, finding.message, finding.construct)
    if not isinstance(tree, ast.Node):  # the builder always makes a node
        raise Refusal(0, "the rule did not parse to an expression")
    deepest = ast.too_deep(tree, MAX_DEPTH)
    if deepest is not None:
        raise Refusal(deepest.pos, f"the rule nests deeper than {MAX_DEPTH} levels")
    return tree


def _refuse_found_before(findings: list[Finding], stop: int) -> None:
    """Report a named finding rather than the parse error it caused further on."""
    for finding in findings:
        if finding.position <= stop:
            raise Refusal(finding.position, finding.message, finding.construct)
