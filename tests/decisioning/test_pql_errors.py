"""What compile_rule refuses, and how: a PqlError at the right line and column, naming the
construct when it is real PQL outside the subset, and never any other exception."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mockxcore.decisioning.pql import PqlError, Profile, compile_rule
from mockxcore.decisioning.pql.parser import MAX_BYTES, MAX_DEPTH

NOW = datetime(2024, 6, 15, 12, tzinfo=UTC)


def refusal(text: str) -> PqlError:
    with pytest.raises(PqlError) as caught:
        compile_rule(text)
    return caught.value


# (rule, column of the offending construct, construct named)
UNSUPPORTED: list[tuple[str, int, str]] = [
    (
        'chain(xEvent, timestamp, [A: WHAT(eventType = "x") WHEN(< 24 hours before now)])',
        1,
        "chain",
    ),
    ('x = 1 and CHAIN(xEvent, timestamp, [A: WHAT(eventType = "x")])', 11, "chain"),
    ('inSegment("seg-1")', 1, "inSegment"),
    ('x = 1 or inSegment("seg-1")', 10, "inSegment"),
    ('xEvent[productListItems[SKU = "PS" and ^^.person.gender = "f"]]', 40, "^"),
    ("orders.groupBy(storeId).count() > 1", 8, "groupBy"),
    ("numbers.map(square)", 9, "map"),
    ("$2.homeAddress.city = 1", 1, "$2"),
    ("$1.a = 1 and $3 = 2", 14, "$3"),
    ("(a, b) => a.x = b.x", 1, "lambda with several parameters"),
    (
        'sum X.commerce.order.priceTotal over X from xEvent where X.currencyCode = "USD"',
        1,
        "prefix aggregate",
    ),
    ("x = 1 // a comment", 7, "comment"),
    ("x = 1 /* a comment */", 7, "comment"),
    ("x = 1 -- a comment", 7, "comment"),
    ("x = 1 --1", 7, "comment"),
    ("name = 'x'", 8, "single-quoted string"),
    ("x.frobnicate()", 3, "frobnicate"),
    ("frobnicate(1)", 1, "frobnicate"),
    ('email.startswith("a")', 7, "startswith"),
    ('x.matches("a*+")', 11, "regex"),
    ('x.matches("(?=a)b")', 11, "regex"),
    (r'x.matches("(a)\\1")', 11, "regex"),
    ('x.regexGroup("(", 1)', 14, "regex"),
]


@pytest.mark.parametrize(("text", "column", "construct"), UNSUPPORTED)
def test_unsupported_constructs_are_named_with_their_position(
    text: str, column: int, construct: str
) -> None:
    error = refusal(text)
    assert error.construct == construct
    assert (error.line, error.column, error.position) == (1, column, column - 1)
    assert error.message
    assert str(error) == f"{error.message} (line 1, column {column})"


def test_an_unknown_method_names_the_spelling_meant() -> None:
    assert "did you mean startsWith?" in refusal('email.startswith("a")').message
    assert "did you mean currentMonth?" in refusal("currentmonth() = 1").message


# (rule, column, words the message must contain); plain syntax errors have no construct.
SYNTAX: list[tuple[str, int, list[str]]] = [
    ("a = b = c", 7, ["unexpected '='", "do not chain"]),
    ("x occurs <= 3 parsecs before now", 15, ["'parsecs'", "time unit"]),
    ("x occurs <= 1.5 days before now", 13, ["whole number"]),
    ("x occurs <= N days before now", 13, ["'N'"]),
    ("x =", 4, ["ends too early"]),
    ("(x = 1", 7, ["ends too early", "')'"]),
    ('x = "unterminated', 5, ["unexpected"]),
    ("x = 1 1", 7, ["unexpected '1'"]),
    ("x = #", 5, ["unexpected '#'"]),
    ("x in", 5, ["ends too early"]),
    ("let n = 1", 10, ["ends too early", "in"]),
    ("select from xEvent", 13, ["unexpected 'xEvent'", "from"]),
    ("today = 1 and", 14, ["ends too early"]),
    (r'x = "\w"', 6, ["unknown escape \\w", "doubled backslash"]),
    ("date(2024, 2, 30) = x", 1, ["not a calendar date"]),
    ("x.startsWith()", 3, ["takes 1 to 2 arguments, not 0"]),
    ("x.isNull(1)", 3, ["takes 0 arguments, not 1"]),
    ("if(x, 1) = 1", 1, ["takes 3 arguments, not 2"]),
    ("x = " + "9" * 101, 5, ["limited to 100 digits"]),
    (
        "select a from x, b from x, c from x, d from x, e from x, f from x",
        58,
        ["at most 5 clauses"],
    ),
]


@pytest.mark.parametrize(("text", "column", "words"), SYNTAX)
def test_syntax_errors_are_located(text: str, column: int, words: list[str]) -> None:
    error = refusal(text)
    assert error.construct is None
    assert (error.line, error.column) == (1, column)
    assert all(word in error.message for word in words), error.message


def test_positions_count_lines_and_columns_from_one() -> None:
    error = refusal('membership.status = "gold"\n  and\n    inSegment("x")')
    assert (error.line, error.column, error.position) == (3, 5, 37)
    assert error.construct == "inSegment"


def test_the_first_problem_is_reported() -> None:
    assert refusal("x = = 1 // comment").construct is None  # the syntax error comes first
    assert refusal("x = 1 // then = = 2").construct == "comment"
    assert refusal(r'x = 1 -- then y = "\w"').construct == "comment"
    assert refusal(r'y = "\w" -- then').construct is None


def test_refused_lexemes_inside_strings_and_context_ids_are_fine() -> None:
    text = (
        'x = "it\'s // not -- a /* comment ^" and '
        '@{https://ns.example.com/a--b}.y.isNull() and z.matches("^a")'
    )
    assert compile_rule(text).context_schemas == frozenset({"https://ns.example.com/a--b"})


def test_a_pql_error_is_a_value_error() -> None:
    assert isinstance(refusal("x ="), ValueError)


def test_empty_and_blank_rules() -> None:
    for text in ("", "   \n\t "):
        error = refusal(text)
        assert error.message == "the rule is empty"


def test_rules_longer_than_64_kib_are_refused() -> None:
    clause = 'membership.status = "gold" or '
    long_rule = clause * ((MAX_BYTES - 10) // len(clause)) + "true"
    assert len(long_rule.encode()) <= MAX_BYTES
    assert compile_rule(long_rule).evaluate(Profile(), {}, NOW) is True
    error = refusal(long_rule + " or" + " true or" * 10 + " true")
    assert "64 KiB" in error.message
    assert "64 KiB" in refusal('"' + "é" * (MAX_BYTES // 2) + '" = x').message  # bytes count


def test_nesting_deeper_than_the_limit_is_refused_not_a_recursion_error() -> None:
    assert compile_rule("not " * (MAX_DEPTH - 3) + "false").evaluate(Profile(), {}, NOW)
    for deep in (
        "not " * 5000 + "x",
        "- " * 5000 + "x = 1",
        "[" * 5000 + "]" * 5000,
        "x" + ".f()" * 5000,
        "(select e from xEvent where " * 1000 + "true" + ")" * 1000,
        "let a = 1 in " * 5000 + "a",
        "if(true, " * 5000 + "1" + ", 0)" * 5000,
    ):
        assert refusal(deep).message == f"the rule nests deeper than {MAX_DEPTH} levels"


def test_too_deep_a_rule_is_refused_where_it_gets_too_deep() -> None:
    error = refusal('membership.status = "gold" and ' + "not " * 200 + "x")
    assert error.line == 1 and error.column > 30


def test_redundant_parentheses_and_long_flat_rules_are_not_nesting() -> None:
    assert compile_rule("(" * 5000 + "true" + ")" * 5000).evaluate(Profile(), {}, NOW)
    assert compile_rule(" + ".join(["1"] * 5000) + " = 5000").evaluate(Profile(), {}, NOW)
    path = ".".join(["a"] * 3000)
    assert compile_rule(f"{path}.isNull()").evaluate(Profile(), {}, NOW)


def test_long_regexes_are_refused() -> None:
    assert refusal('x.matches("' + "a" * 3000 + '")').construct == "regex"


def test_compile_rule_refuses_non_text() -> None:
    with pytest.raises(PqlError):
        compile_rule(42)  # type: ignore[arg-type]
