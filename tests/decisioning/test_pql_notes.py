"""The test fixture, test rows and tricky cases of our PQL notes (reference/pql-notes.md §7-8),
copied here so the suite never reads the shared reference at test time."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from mockxcore.decisioning.pql import PqlError, Profile, compile_rule

NOW = datetime(2024, 6, 15, 12, 0, 0, tzinfo=UTC)  # a Saturday; today = 2024-06-15T00:00Z

SCHEMA = "_xdm.context.additionalParameters;version=1"
C = "@{" + SCHEMA + "}"

ATTRIBUTES: dict[str, Any] = {
    "person": {
        "name": {"firstName": "Joe", "lastName": "Lean"},
        "birthYear": 1985,
        "birthDate": "1985-06-20",
    },
    "homeAddress": {"city": "Bondi", "countryISO": "AU"},
    "workEmail": {"address": "JOE.lean@work.EDU"},
    "membership": {"status": "elite", "points": 12500, "tier": "3"},
    "favoriteColors": ["red", "green"],
}
SEGMENTS: dict[str, Any] = {
    "ups": {
        "seg-gold": {"status": "realized", "lastQualificationTime": "2024-06-01T00:00:00Z"},
        "seg-vip": {"status": "existing", "lastQualificationTime": "2024-01-01T00:00:00Z"},
        "seg-silver": {"status": "exited", "lastQualificationTime": "2024-05-01T00:00:00Z"},
    }
}
EVENTS: list[dict[str, Any]] = [
    {
        "type": "flight",
        "flightnumber": "QF1",
        "timestamp": "2024-06-10T08:00:00Z",
        "commerce": {"order": {"priceTotal": 420.0}},
        "productListItems": [{"SKU": "PS", "quantity": 1}],
    },
    {
        "type": "flight",
        "flightnumber": "QF1",
        "timestamp": "2024-04-02T08:00:00Z",
        "commerce": {"order": {"priceTotal": 380.0}},
    },
    {"type": "flight", "flightnumber": "QF1", "timestamp": "2024-02-20T08:00:00Z"},
    {"type": "flight", "flightnumber": "QF1", "timestamp": "2024-01-05T08:00:00Z"},
    {"type": "flight", "flightnumber": "QF2", "timestamp": "2024-05-30T08:00:00Z"},
    {"type": "flight", "flightnumber": "QF1", "timestamp": "2023-10-01T08:00:00Z"},
    {"type": "pageView", "timestamp": "2024-06-15T09:00:00Z"},
]
# The request's xdm:contextData item, keys as the client sends them (xdm: prefixed).
CONTEXT: dict[str, Any] = {
    SCHEMA: {"xdm:channel": "mobile", "xdm:flightnumber": "QF1", "xdm:features": ["p1000", "p1001"]}
}
PROFILE = Profile(ATTRIBUTES, SEGMENTS, EVENTS)


def holds(text: str) -> bool:
    return compile_rule(text).evaluate(PROFILE, CONTEXT, NOW)


# §8, rows 1-25 (the core set) and 26-33 (extra coverage); "C" written out in full.
ROWS: list[tuple[int, str, bool]] = [
    (1, 'membership.status = "elite"', True),
    (2, 'membership.points >= 10000 and homeAddress.countryISO != "US"', True),
    (3, 'not (homeAddress.countryISO = "AU") or person.birthYear = 1985', True),
    (
        4,
        'person.birthYear in [1980, 1985, 1990] and homeAddress.countryISO notIn ["US", "CA"]',
        True,
    ),
    (5, 'person.middleName notIn ["Al", "Bo"]', False),
    (6, 'not (person.middleName in ["Al", "Bo"])', True),
    (7, 'person.middleName != "Al"', False),
    (8, 'workEmail.address.endsWith(".edu")', False),
    (9, 'workEmail.address.endsWith(".edu", false)', True),
    (10, 'person.middleName.contains("a") or person.middleName.doesNotContain("a")', False),
    (11, 'homeAddress.city like "B_nd%"', True),
    (12, 'person.name.firstName.matches("(?i)^jo")', True),
    (13, r'workEmail.address.regexGroup("@(\\w+)", 1) = "work"', True),
    (
        14,
        'favoriteColors.intersects(["blue", "red"]) and not favoriteColors.includes("blue")',
        True,
    ),
    (15, "person.middleName.isNull() and homeAddress.isNotNull()", True),
    (
        16,
        'membership.points % 1000 = 500 and if(membership.status = "elite", 10, 1) * 2 = 20',
        True,
    ),
    (17, "membership.tier = 3", True),
    (18, "membership.tier > 10", True),
    (19, 'segmentMembership.get("ups").get("seg-gold").status in ["realized", "existing"]', True),
    (
        20,
        'segmentMembership.get("ups").get("seg-silver").status in ["realized", "existing"] '
        'or segmentMembership.get("ups").get("no-such-id").status = "existing"',
        False,
    ),
    (
        21,
        '(select e from xEvent where e.type = "flight" '
        "and e.timestamp occurs <= 6 months before now).count() = 5",
        True,
    ),
    (
        22,
        '(exists e from xEvent where e.type = "pageView" and e.timestamp occurs today) '
        "and (forall e from xEvent : e.timestamp occurs before now)",
        True,
    ),
    (
        23,
        '(exists e from xEvent where e.flightnumber = "QF2" and e.timestamp occurs last month) '
        "and xEvent[timestamp occurs between date(2024, 1, 1) and date(2024, 1, 31)].count() = 1",
        True,
    ),
    (
        24,
        f'{C}.channel = "mobile" and (select cd from {C} where cd.features.includes("p1001"))',
        True,
    ),
    (
        25,
        'membership.status = "elite" and (select e from xEvent where e.type = "flight" '
        f"and e.flightnumber = {C}.flightnumber "
        "and e.timestamp occurs <= 6 months before now).count() > 3",
        True,
    ),
    (
        26,
        'membership.status = "elite" and (select e from xEvent where e.type = "flight" '
        f"and e.flightnumber = {C}.flightnumber "
        "and (e.timestamp occurs <= 6 months before now).count() > 3)",
        False,
    ),
    (
        27,
        '(Profile) => Profile.person.birthYear < 1990 and $1.homeAddress.city = "Bondi"',
        True,
    ),
    (28, "exists e from xEvent where e.timestamp occurs = 5 days before today", True),
    (28, "exists e from xEvent where e.timestamp occurs = 3 days before today", False),
    (29, "exists e from xEvent where e.timestamp occurs >= 8 months before now", True),
    (29, "exists e from xEvent where e.timestamp occurs >= 1 year before now", False),
    (
        30,
        'let n = (select e from xEvent where e.flightnumber = "QF1").count() in n > 4 and n < 6',
        True,
    ),
    (31, "xEvent.sum(commerce.order.priceTotal) = 800", True),
    (
        31,
        "xEvent.topN(commerce.order.priceTotal, 1).head().commerce.order.priceTotal = 420",
        True,
    ),
    (32, 'NOT membership.status = "basic" AND membership.points > 0', True),
    (33, "person.birthDate.getMonth() = 6 and person.birthDate.getYear() = 1985", True),
]


@pytest.mark.parametrize(("row", "text", "expected"), ROWS, ids=[f"row{r[0]}" for r in ROWS])
def test_notes_row(row: int, text: str, expected: bool) -> None:
    assert holds(text) is expected


# The rules the issue and the demo data name explicitly.
SEED_FLIGHT_CONTEXT = "https://ns.example.com/flight-context"
SEED_RULE = (
    'membership.status = "elite" and (select e from xEvent where e.type = "flight" '
    "and e.flightnumber = @{https://ns.example.com/flight-context}.flightnumber "
    "and e.timestamp occurs <= 6 months before now).count() > 3"
)
SEED_RULE_PARENTHESISED = (
    'membership.status = "elite" and (select e from xEvent where e.type = "flight" '
    "and e.flightnumber = @{https://ns.example.com/flight-context}.flightnumber "
    "and (e.timestamp occurs <= 6 months before now)).count() > 3"
)
DEMO_RULES = [
    'membership.status in ["gold", "platinum"]',
    'person.age >= 21 and homeAddress.countryCode in ["US", "CA"]',
    'membership.status = "elite" and (select e from xEvent where e.type = "flight" '
    "and e.timestamp occurs <= 6 months before now).count() > 3",
]


@pytest.mark.parametrize("text", [SEED_RULE, SEED_RULE_PARENTHESISED])
def test_seed_rule_parses_and_counts_the_right_flights(text: str) -> None:
    rule = compile_rule(text)
    assert rule.context_schemas == frozenset({SEED_FLIGHT_CONTEXT})
    qf1 = {SEED_FLIGHT_CONTEXT: {"flightnumber": "QF1"}}
    qf2 = {SEED_FLIGHT_CONTEXT: {"flightnumber": "QF2"}}
    assert rule.evaluate(PROFILE, qf1, NOW) is True  # four QF1 flights in the window
    assert rule.evaluate(PROFILE, qf2, NOW) is False  # one QF2 flight
    assert rule.evaluate(PROFILE, {}, NOW) is False  # no context item: the reference is null
    # the window moves with the mock clock: by August, two QF1 flights have left it
    assert rule.evaluate(PROFILE, qf1, datetime(2024, 8, 25, tzinfo=UTC)) is False


def test_demo_rules_compile_and_evaluate() -> None:
    gold, adults, upgrade = (compile_rule(text) for text in DEMO_RULES)
    assert all(rule.context_schemas == frozenset() for rule in (gold, adults, upgrade))
    platinum = Profile({"membership": {"status": "platinum"}})
    assert gold.evaluate(platinum, {}, NOW) is True
    assert gold.evaluate(PROFILE, {}, NOW) is False
    canadian = Profile({"person": {"age": 21}, "homeAddress": {"countryCode": "CA"}})
    assert adults.evaluate(canadian, {}, NOW) is True
    assert adults.evaluate(Profile({"person": {"age": 20}}), {}, NOW) is False
    assert upgrade.evaluate(PROFILE, {}, NOW) is True  # five flights in six months
    assert upgrade.evaluate(Profile(ATTRIBUTES, SEGMENTS, EVENTS[4:]), {}, NOW) is False


# §7.2, the tricky cases (the row numbers are the notes' case numbers).
TRICKY: list[tuple[int, str, bool]] = [
    (1, "person.middleName = 1", False),
    (1, "person.middleName < 1", False),
    (1, "person.middleName >= 1", False),
    (2, 'person.middleName != "Al"', False),
    (2, 'not (person.middleName = "Al")', True),
    (3, 'person.middleName notIn ["Al"]', False),
    (3, 'not (person.middleName in ["Al"])', True),
    (4, 'person.middleName.startsWith("a") or person.middleName.doesNotStartWith("a")', False),
    (4, 'person.middleName.endsWith("a") or person.middleName.doesNotEndWith("a")', False),
    (4, 'person.middleName.equals("a") or person.middleName.notEqualTo("a")', False),
    (5, 'membership.tier = "3"', True),
    (5, 'membership.points = "12500"', True),  # a literal takes the attribute's type
    (5, "10 < membership.tier", True),  # "10" < "3" as strings
    (6, 'favoriteColors = "red"', False),
    (6, "homeAddress = 1", False),
    (5, "homeAddress.city > 1", True),  # 1 becomes "1", and "Bondi" > "1"
    (6, "person.birthYear = true", False),
    (6, 'membership.status = ["elite"]', False),
    (6, "favoriteColors < 3", False),
    (7, 'homeAddress.city = "bondi"', False),
    (7, 'homeAddress.city.equals("bondi", false)', True),
    (8, "1 = 1.0", True),
    (8, "membership.points = 12500.0", True),
    (9, "person.birthDate = date(1985, 6, 20)", True),
    (9, "person.birthDate < now", True),
    (9, "homeAddress.city < now", False),  # unparseable timestamp
    (10, 'xEvent.type = "flight"', False),  # a list is never equal to a scalar
    (10, '"pageView" in xEvent.type', True),
    (10, "xEvent.flightnumber.distinct().count() = 2", True),
    (11, 'select e from xEvent where e.type = "pageView"', True),
    (11, 'membership.points > 0 and (select e from xEvent where e.type = "none")', False),
    (12, "person.middleName.count() = 0 and membership.status.count() = 1", True),
    (
        13,
        "(select e from xEvent where (e.timestamp occurs <= 6 months before now).count() > 3)"
        ".count() = 0",
        True,
    ),
    (14, "let n = (membership.points in [12500]) in n", True),
    (15, 'membership.status = "elite" AND NOT homeAddress.countryISO = "US" OR false', True),
    (16, r'workEmail.address.matches("work\\.")', True),  # a search, with a doubled backslash
    (16, 'workEmail.address.matches("^work")', False),
    (17, '$1.membership.status = "elite"', True),
    (18, '@{no-such-schema}.channel = "mobile"', False),
    (18, "@{no-such-schema}.isNull()", True),
    (19, "forall e from person.middleNames : e = 1", True),
    (20, "person.middleName + 1 > 0", False),
    (20, "membership.points / 0 = 0", False),
    (20, "not (membership.points / 0 = 0)", True),
]


@pytest.mark.parametrize(
    ("case", "text", "expected"), TRICKY, ids=[f"case{t[0]}-{i}" for i, t in enumerate(TRICKY)]
)
def test_tricky_case(case: int, text: str, expected: bool) -> None:
    assert holds(text) is expected


def test_today_is_a_keyword_and_dollar_one_reaches_a_field_named_like_it() -> None:
    """Case 17: a top-level field named like a time word needs $1."""
    profile = Profile({"today": "yes"})
    assert compile_rule('$1.today = "yes"').evaluate(profile, {}, NOW) is True
    assert compile_rule('today = "yes"').evaluate(profile, {}, NOW) is False


# §8: what the parser must reject, each with a clear error.
REJECTED: list[tuple[str, int, str | None]] = [
    ("name = 'x'", 8, "single-quoted string"),
    ("a = 1 // c", 7, "comment"),
    ("a = b = c", 7, None),
    ("x occurs <= 3 parsecs before now", 15, None),
    ('chain(xEvent, timestamp, [A: WHAT(eventType = "x")])', 1, "chain"),
]


@pytest.mark.parametrize(("text", "column", "construct"), REJECTED)
def test_notes_rejections(text: str, column: int, construct: str | None) -> None:
    with pytest.raises(PqlError) as caught:
        compile_rule(text)
    assert (caught.value.line, caught.value.column) == (1, column)
    assert caught.value.construct == construct
