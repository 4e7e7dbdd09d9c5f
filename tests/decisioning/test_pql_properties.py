"""Properties of the PQL subset: evaluation never raises, whatever the profile, context or
clock; compiling any text gives a Rule or a PqlError, nothing else; and a few laws the null
rules promise (``=`` and ``!=``, ``in`` and ``notIn`` are never both true)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from mockxcore.decisioning.pql import PqlError, Profile, Rule, compile_rule
from tests.decisioning.test_pql_notes import DEMO_RULES, ROWS, SEED_RULE, TRICKY

SCHEMAS = [
    "s",
    "_xdm.context.additionalParameters;version=1",
    "https://ns.example.com/flight-context",
]

# Rules touching every construct, on top of the notes' rows and the seed and demo rules.
EXTRA_RULES = [
    SEED_RULE,
    'person.name.firstName.lower() = "joe" or person.name.firstName.upper() like "J%"',
    'email.contains("@") and email.startsWith("a", false) and email.endsWith(".com")',
    'email.matches("^[a-z]+@") and email.regexGroup("@(.*)", 1) != "x"',
    "email like email and person.name.firstName.matches(person.name.lastName)",
    "tags.distinct().count() > 1 and tags.intersection(orders.tags).head().isNotNull()",
    "tags.subsetOf(orders) or tags.supersetOf([1, 2]) or tags.includes(tags)",
    "orders.sum(price) + orders.average(price) - orders.min(price) * orders.max(price) > 1",
    "orders.topN(price, 2).head().price >= orders.bottomN(price, person.age).head().price",
    'orders.filter(price > 10).count(storeId = "s1") = orders[price > 10].count()',
    "orders.exists(price / 0 = 1) or orders.price % 7 = 1",
    'identityMap.keys().includes("ECID") and identityMap.values().count() > 0',
    'segmentMembership.get("ups").get(person.name.firstName).status in ["realized", "existing"]',
    '@{s}.channel = "web" and (select c from @{s} where c.features.includes(1))',
    "exists e from xEvent where e.timestamp occurs between last week and next month",
    "forall e from xEvent : e.timestamp occurs after e.timestamp",
    "(select a from xEvent, b from xEvent where a.timestamp occurs <= 2 hours before "
    "b.timestamp and a != b).count() > 0",
    "exists e from xEvent : e.timestamp occurs on date(person.age, person.age, person.age)",
    "xEvent[timestamp occurs = 1 week before today].count() = 0",
    "xEvent[timestamp occurs != 3 centuries after yesterday].count() >= 0",
    "membership.since occurs before tomorrow and membership.since occurs on this year",
    "membership.since.getYear() = currentYear() and membership.since.getMonth() < currentMonth()",
    "person.birthDate.getDayOfMonth() = currentDayOfMonth() and person.birthDate < now",
    "let n = xEvent.count() in if(n > 2, n, -n) * 2 > 0",
    "(p) => p.person.age > 1 and $1.profile.person.age = profile.person.age",
    'xEvent.type.distinct() = ["flight"] and xEvent.commerce.order.priceTotal.sum() > 0',
    'not (membership.points notIn [1, 2.5, "3", true, date(2024, 1, 1)])',
]
CORPUS = [text for _, text, _ in ROWS + TRICKY] + DEMO_RULES + EXTRA_RULES
COMPILED = [compile_rule(text) for text in CORPUS]

KEYS = [
    "person", "name", "firstName", "lastName", "age", "birthDate", "membership", "status",
    "points", "tier", "since", "homeAddress", "countryISO", "city", "email", "tags", "orders",
    "price", "storeId", "identityMap", "ECID", "ups", "seg-gold", "xdm:status", "profile",
    "segmentMembership", "type", "timestamp", "flightnumber", "features", "channel",
    "commerce", "order", "priceTotal", "middleName", "favoriteColors", "workEmail", "address",
]  # fmt: skip
TIMESTAMPS = [
    "2024-06-10T08:00:00Z", "2024-06-15", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59Z",
    "2024-02-30T00:00:00Z", "2024-06-15T12:00:00.123456789-11:30", "not a date", "",
]  # fmt: skip

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(TIMESTAMPS)
    | st.sampled_from(["elite", "gold", "3", "10", "true", "realized", "flight", "QF1", "%"])
)
keys = st.sampled_from(KEYS) | st.text(max_size=6)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=5),
    max_leaves=30,
)
events = st.lists(
    st.dictionaries(keys, json_values, max_size=4).flatmap(
        lambda event: st.sampled_from(TIMESTAMPS).map(lambda ts: {**event, "timestamp": ts})
    )
    | json_values,
    max_size=6,
)
profiles = st.builds(
    Profile,
    attributes=st.dictionaries(keys, json_values, max_size=8),
    segment_membership=st.dictionaries(keys, json_values, max_size=3),
    events=events,
)
contexts = st.dictionaries(st.sampled_from(SCHEMAS) | st.text(max_size=4), json_values, max_size=3)
nows = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
) | st.sampled_from([datetime(2024, 6, 15, 12, tzinfo=UTC), datetime(2024, 6, 15, 12)])


@given(profile=profiles, context=contexts, now=nows)
def test_evaluation_never_raises_and_answers_a_bool(
    profile: Profile, context: dict[str, Any], now: datetime
) -> None:
    verdicts = [rule.evaluate(profile, context, now) for rule in COMPILED]
    assert all(type(verdict) is bool for verdict in verdicts)


# -- generated rule texts ------------------------------------------------------------------

TOKENS = [
    "x", "e", "xEvent", "tags", "person.age", ".", "(", ")", "[", "]", ",", "=", "!=", "<",
    ">=", "and", "or", "not", "!", "in", "notIn", "like", "occurs", "<=", "3", "days", "before",
    "after", "now", "today", "last", "month", "between", "select", "exists", "forall", "from",
    "where", ":", "let", "-", "--", "+", "*", "/", "%", '"a"', '"%b_"', "'q'", "1.5", "true",
    "$1", "$2", "@{s}", "count()", "sum(", "(p) =>", ".get(", ".head()", "topN", "matches",
    "if(", "date(", "startsWith", "^", "//", "chain(", "over", "\\", '"', "@{", "1e999",
]  # fmt: skip


@given(text=st.text(max_size=80) | st.lists(st.sampled_from(TOKENS), max_size=25).map(" ".join))
def test_compiling_any_text_gives_a_rule_or_a_pql_error(text: str) -> None:
    try:
        rule = compile_rule(text)
    except PqlError as error:
        assert error.message
        assert 0 <= error.position <= len(text)
        assert error.line >= 1 and error.column >= 1
    else:
        assert isinstance(rule, Rule)


def _string_literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


ATOMS = [
    "person.age", "membership.status", "membership.tier", "tags", "orders", "orders.price",
    "xEvent", "xEvent.timestamp", "@{s}", "@{s}.channel", "$1", "profile.email", "now", "today",
    'segmentMembership.get("ups")', "date(2024, 2, 29)", "[]", "[1, \"a\", true]",
]  # fmt: skip
METHODS = [
    "count()", "sum()", "average()", "min()", "max()", "head()", "distinct()", "isNull()",
    "isNotNull()", "keys()", "values()", "lower()", "upper()", "getYear()", "getMonth()",
    'get("status")', 'contains("a")', 'startsWith("a", false)', 'endsWith("")',
    'matches("(?i)a+")', 'regexGroup("(a)", 1)', 'includes(1)', "intersects(tags)",
    "subsetOf(tags)", "filter(price > 1)", "exists(type = \"flight\")", "topN(price, 2)",
    "bottomN(timestamp, 1)", "count(price > 1)", "sum(price)",
]  # fmt: skip
literals = (
    st.integers(-(10**6), 10**6).map(str)
    | st.floats(allow_nan=False, allow_infinity=False).map(lambda f: json.dumps(abs(f)))
    | st.text(max_size=6).map(_string_literal)
    | st.sampled_from(["true", "false", '"3"', '"2024-06-15"'])
)
atoms = st.sampled_from(ATOMS) | literals


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    pairs = st.tuples(children, children)
    return st.one_of(
        st.tuples(children, st.sampled_from(["=", "!=", "<", "<=", ">", ">="]), children).map(
            " ".join
        ),
        st.tuples(children, st.sampled_from(["+", "-", "*", "/", "%"]), children).map(" ".join),
        pairs.map(lambda p: f"({p[0]}) and ({p[1]})"),
        pairs.map(lambda p: f"({p[0]}) or ({p[1]})"),
        children.map(lambda c: f"not ({c})"),
        children.map(lambda c: f"-({c})"),
        pairs.map(lambda p: f"{p[0]} in [{p[1]}, 1]"),
        pairs.map(lambda p: f"{p[0]} notIn ({p[1]}, 1)"),
        pairs.map(lambda p: f"{p[0]} like {p[1]}"),
        st.tuples(children, st.sampled_from(METHODS)).map(lambda p: f"({p[0]}).{p[1]}"),
        pairs.map(lambda p: f"(select v from {p[0]} where ({p[1]}))"),
        pairs.map(lambda p: f"(exists v from {p[0]} : v = {p[1]})"),
        pairs.map(lambda p: f"(forall v from {p[0]} : v != {p[1]})"),
        pairs.map(lambda p: f"({p[0]})[{p[1]}]"),
        st.tuples(children, children, children).map(lambda t: f"if({t[0]}, {t[1]}, {t[2]})"),
        pairs.map(lambda p: f"(let n = ({p[0]}) in n = {p[1]})"),
        st.tuples(
            children, st.sampled_from(["<=", ">", "="]), st.sampled_from(["days", "months"])
        ).map(lambda t: f"({t[0]}) occurs {t[1]} 3 {t[2]} before now"),
        pairs.map(lambda p: f"({p[0]}) occurs between ({p[1]}) and now"),
        children.map(lambda c: f"({c}) occurs last week"),
    )


expressions = st.recursive(atoms, _combine, max_leaves=12)


@given(text=expressions, profile=profiles, context=contexts, now=nows)
def test_generated_rules_compile_or_refuse_and_never_raise_when_evaluated(
    text: str, profile: Profile, context: dict[str, Any], now: datetime
) -> None:
    try:
        rule = compile_rule(text)
    except PqlError:
        return
    assert type(rule.evaluate(profile, context, now)) is bool


@given(
    profile=profiles,
    left=st.sampled_from(["membership.status", "person.age", "tags", "@{s}.channel", "x.y"]),
    right=st.sampled_from(ATOMS) | literals,
)
def test_opposite_predicates_are_never_both_true(profile: Profile, left: str, right: str) -> None:
    """Null and mismatched types make both sides false, never both true."""
    now = datetime(2024, 6, 15, 12, tzinfo=UTC)

    def holds(text: str) -> bool:
        return compile_rule(text).evaluate(profile, {"s": {"channel": "web"}}, now)

    assert not (holds(f"{left} = {right}") and holds(f"{left} != {right}"))
    assert not (holds(f"{left} in [{right}]") and holds(f"{left} notIn [{right}]"))
    assert holds(f"not ({left} = {right})") is not holds(f"{left} = {right}")
