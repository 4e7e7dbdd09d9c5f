"""Eligibility-rule conditions in the PQL subset mockxcore understands (docs/pql.md).

Rules are built from a grammar of the subset's constructs -- comparisons, ``and``/``or``/
``not``, ``in``/``notIn``, string functions, ``like`` and ``matches``, segment membership,
context data through ``@{schema}`` paths, experience-event counts and ``occurs`` -- over a
small vocabulary of profile attributes, so a decision engine meets rules that can hold for
realistic profiles, and each draw shrinks towards one short comparison.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from hypothesis import strategies as st

from mockxcore.strategies import text
from mockxcore.strategies._regex import regexes

STRING_ATTRIBUTES = (
    "membership.status",
    "homeAddress.countryCode",
    "homeAddress.city",
    "person.name.firstName",
    "personalEmail.address",
    "preferredLanguage",
)
NUMBER_ATTRIBUTES = ("person.age", "membership.points", "loyalty.tierLevel", "commerce.cart.total")
TIME_ATTRIBUTES = ("person.birthDate", "membership.since", "lastPurchase.timestamp")
BOOLEAN_ATTRIBUTES = ("consents.marketing.optIn", "flags.vip")
CONTEXT_SCHEMAS = (
    "https://ns.example.com/flight-context",
    "_xdm.context.additionalParameters;version=1",
    "https://ns.adobe.com/xdm/context/device",
)
"""Schema ids rules read context data under (``@{id}``); decision requests send these."""
CONTEXT_STRING_FIELDS = ("channel", "flightnumber", "pageName", "deviceType")
CONTEXT_NUMBER_FIELDS = ("cartValue", "itemCount")
EVENT_TYPES = ("flight", "commerce.purchases", "web.webpagedetails.pageViews", "pageView")
STATUSES = ("gold", "platinum", "silver", "elite", "basic")
SEGMENT_NAMESPACES = ("ups", "aam")

_COMPARATORS = st.sampled_from(["=", "!=", "<", "<=", ">", ">="])
_UNITS = st.sampled_from(["days", "weeks", "months", "years", "hours"])


def literal(value: str) -> str:
    """``value`` as a PQL string literal (double quotes, with the subset's escapes)."""
    escaped = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\t", "\\t")
        .replace("\r", "\\r")
    )
    return f'"{escaped}"'


_raw_strings = st.one_of(
    st.sampled_from((*STATUSES, "US", "CA", "NL", "fr", "Bondi")),
    text.words(),
    st.text(st.characters(exclude_categories=["Cs", "Cc"]) | st.sampled_from("\n\t\r"), max_size=8),
)
strings = _raw_strings.map(literal)
numbers = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.tuples(st.integers(0, 10**4), st.integers(0, 99)).map(lambda p: f"{p[0]}.{p[1]}"),
    st.integers(1, 9).map(lambda n: f"{n}.5e3"),
)
_calendar = st.dates(date(1900, 1, 1), date(2100, 12, 31))


def _date(day: date) -> str:
    return f"date({day.year}, {day.month}, {day.day})"


dates = _calendar.map(_date)
times = st.one_of(st.sampled_from(["now", "today", "yesterday", "tomorrow"]), dates)
_strings_attr = st.sampled_from(STRING_ATTRIBUTES)
_numbers_attr = st.sampled_from(NUMBER_ATTRIBUTES)
_times_attr = st.sampled_from(TIME_ATTRIBUTES)


def _list(items: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A PQL list: ``[a, b]``, or the ``(a, b)`` form for two or more items."""
    return st.lists(items, min_size=1, max_size=4).flatmap(
        lambda xs: st.sampled_from(
            [f"[{', '.join(xs)}]", f"({', '.join(xs)})"] if len(xs) > 1 else [f"[{xs[0]}]"]
        )
    )


_comparisons = st.one_of(
    st.tuples(_numbers_attr, _COMPARATORS, numbers).map(" ".join),
    st.tuples(_strings_attr, st.sampled_from(["=", "!="]), strings).map(" ".join),
    st.tuples(st.sampled_from(BOOLEAN_ATTRIBUTES), st.sampled_from(["true", "false"])).map(
        lambda p: f"{p[0]} = {p[1]}"
    ),
    st.tuples(_times_attr, _COMPARATORS, times).map(" ".join),
)
_memberships = st.one_of(
    st.tuples(_strings_attr, st.sampled_from(["in", "notIn"]), _list(strings)).map(" ".join),
    st.tuples(_numbers_attr, st.sampled_from(["in", "notIn"]), _list(numbers)).map(" ".join),
)
_string_functions = st.one_of(
    st.tuples(
        _strings_attr,
        st.sampled_from(
            [
                "contains",
                "startsWith",
                "endsWith",
                "equals",
                "notEqualTo",
                "doesNotContain",
                "doesNotStartWith",
                "doesNotEndWith",
            ]
        ),
        strings,
        st.sampled_from(["", ", false", ", true"]),
    ).map(lambda t: f"{t[0]}.{t[1]}({t[2]}{t[3]})"),
    st.tuples(
        _strings_attr,
        st.lists(st.sampled_from(["%", "_", "a", "B", "nd", "x y", "é"]), min_size=1, max_size=5),
    ).map(lambda p: f"{p[0]} like {literal(''.join(p[1]))}"),
    st.tuples(_strings_attr, regexes()).map(lambda p: f"{p[0]}.matches({literal(p[1])})"),
    st.tuples(_strings_attr, st.sampled_from(["lower", "upper"]), _raw_strings).map(
        lambda t: f"{t[0]}.{t[1]}() = {literal(t[2].lower() if t[1] == 'lower' else t[2].upper())}"
    ),
    st.tuples(
        st.sampled_from(STRING_ATTRIBUTES + NUMBER_ATTRIBUTES),
        st.sampled_from(["isNull", "isNotNull"]),
    ).map(lambda p: f"{p[0]}.{p[1]}()"),
)
_segments = st.tuples(st.sampled_from(SEGMENT_NAMESPACES), st.uuids()).map(
    lambda p: (
        f"segmentMembership.get({literal(p[0])}).get({literal(str(p[1]))}).status"
        ' in ["realized", "existing"]'
    )
)
_context = st.one_of(
    st.tuples(
        st.sampled_from(CONTEXT_SCHEMAS),
        st.sampled_from(CONTEXT_STRING_FIELDS),
        st.sampled_from(["=", "!="]),
        strings,
    ).map(lambda t: f"@{{{t[0]}}}.{t[1]} {t[2]} {t[3]}"),
    st.tuples(
        st.sampled_from(CONTEXT_SCHEMAS),
        st.sampled_from(CONTEXT_NUMBER_FIELDS),
        _COMPARATORS,
        numbers,
    ).map(lambda t: f"@{{{t[0]}}}.{t[1]} {t[2]} {t[3]}"),
)
_event = st.sampled_from(EVENT_TYPES).map(literal)
_counts = st.integers(0, 20).map(str)
_events = st.one_of(
    st.tuples(_event, _COMPARATORS, _counts).map(
        lambda t: f"xEvent[type = {t[0]}].count() {t[1]} {t[2]}"
    ),
    st.tuples(_event, _COMPARATORS, _counts).map(
        lambda t: f"xEvent.count(type = {t[0]}) {t[1]} {t[2]}"
    ),
    st.tuples(_event, st.integers(1, 24), _UNITS, _COMPARATORS, _counts).map(
        lambda t: (
            f"(select e from xEvent where e.type = {t[0]} and e.timestamp occurs <= "
            f"{t[1]} {t[2]} before now).count() {t[3]} {t[4]}"
        )
    ),
    _event.map(lambda e: f"exists e from xEvent : e.type = {e} and e.timestamp occurs today"),
)
_occurs = st.one_of(
    st.tuples(_times_attr, st.sampled_from(["before", "after"]), times).map(
        lambda t: f"{t[0]} occurs {t[1]} {t[2]}"
    ),
    st.tuples(_times_attr, _calendar, _calendar).map(
        lambda t: f"{t[0]} occurs between {_date(min(t[1], t[2]))} and {_date(max(t[1], t[2]))}"
    ),
    st.tuples(_times_attr, st.sampled_from(["this", "last", "next"]), _UNITS).map(
        lambda t: f"{t[0]} occurs {t[1]} {t[2].rstrip('s')}"
    ),
    _times_attr.map(lambda a: f"{a}.getMonth() = currentMonth()"),
)
predicates = st.one_of(
    _comparisons, _memberships, _string_functions, _segments, _context, _events, _occurs
)


def _keyword(word: str) -> st.SearchStrategy[str]:
    # Keywords are case-insensitive in PQL; an upper-case one now and then proves it.
    return st.sampled_from([word, word, word, word.upper()])


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, _keyword("and"), children).map(lambda t: f"({t[0]}) {t[1]} ({t[2]})"),
        st.tuples(children, _keyword("or"), children).map(lambda t: f"({t[0]}) {t[1]} ({t[2]})"),
        st.tuples(_keyword("not"), children).map(lambda t: f"{t[0]} ({t[1]})"),
    )


@cache
def pql_conditions() -> st.SearchStrategy[str]:
    """PQL texts that ``mockxcore.decisioning.pql.compile_rule`` accepts.

    >>> pql_conditions().example()   # doctest: +SKIP
    '(membership.status in ["gold", "platinum"]) and (person.age >= 21)'
    """
    return st.recursive(predicates, _combine, max_leaves=5)


@cache
def unsupported_pql() -> st.SearchStrategy[str]:
    """Real PQL outside mockxcore's subset, or text that is not PQL at all (never blank,
    which the schema refuses first): each one is refused by ``compile_rule`` with a
    ``PqlError``, and by the repository with rule ``pql``.

    >>> unsupported_pql().example()   # doctest: +SKIP
    'chain(xEvent, timestamp, [A: WHAT(type = "flight")])'
    """
    return st.one_of(
        st.just('chain(xEvent, timestamp, [A: WHAT(type = "flight") WHEN(today)])'),
        st.uuids().map(lambda u: f'inSegment("{u}")'),
        st.just('xEvent[items[^^.person.gender = "f"]].count() > 0'),
        st.sampled_from(["orders.groupBy(storeId).count() > 1", "orders.map(price).count() > 1"]),
        st.just('$2.homeAddress.city = "Bondi"'),
        st.just("(a, b) => a.person.age > 1"),
        st.tuples(predicates, st.sampled_from([" // note", " /* note */", " -- note"])).map(
            "".join
        ),
        _raw_strings.map(lambda s: f"membership.status = '{s}'"),
        st.sampled_from(['email.matches("(?<=a)b")', 'email.matches("(a)\\\\1")']),
        st.sampled_from(["person.age >", "a = b = c", 'x.startswith("a")', 'x = "\\w"']),
    )
