"""The PQL subset construct by construct: each one parses, and evaluates as docs/pql.md says."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from mockxcore.decisioning.pql import Profile, Rule, compile_rule

NOW = datetime(2024, 6, 15, 12, 0, 0, tzinfo=UTC)  # Saturday
FLIGHTS = "https://ns.example.com/flight-context"

PROFILE = Profile(
    attributes={
        "person": {"name": {"firstName": "Ana", "lastName": "Ito"}, "age": 34, "height": 1.72},
        "membership": {"status": "gold", "points": 1200, "since": "2019-03-31T10:00:00Z"},
        "homeAddress": {"countryCode": "CA", "city": "Montréal"},
        "email": "ana.ito@example.com",
        "tags": ["a", "b", "b", "c"],
        "orders": [
            {"id": "o1", "price": 30, "storeId": "s1", "placed": "2024-06-14T10:00:00Z"},
            {"id": "o2", "price": 120.5, "storeId": "s2", "placed": "2024-06-10T10:00:00Z"},
            {"id": "o3", "price": 75, "storeId": "s1"},
            {"id": "o4", "storeId": "s3"},
        ],
        "order": {"from": "web", "in": "yes"},
        "identityMap": {"ECID": [{"id": "1"}], "email": [{"id": "ana.ito@example.com"}]},
        "loyalty": {"xdm:tier": "silver"},
        "flags": {"optIn": True, "beta": "true"},
        "empty": [],
        "nothing": None,
    },
    segment_membership={
        "ups": {
            "11111111-aaaa-4bbb-8ccc-000000000001": {"status": "realized"},
            "11111111-aaaa-4bbb-8ccc-000000000002": {"xdm:status": "existing"},
            "11111111-aaaa-4bbb-8ccc-000000000003": {"status": "exited"},
        }
    },
    events=[
        {"type": "flight", "flightnumber": "QF1", "timestamp": "2024-06-15T09:00:00Z"},
        {"type": "flight", "flightnumber": "QF2", "timestamp": "2024-06-14T23:59:59Z"},
        {"type": "flight", "flightnumber": "QF1", "timestamp": "2024-06-10T00:00:00Z"},
        {"type": "view", "timestamp": "2024-05-31T12:00:00Z"},
        {"type": "view", "timestamp": "2023-06-15T12:00:00+02:00"},
        {"type": "broken", "timestamp": "yesterday-ish"},
    ],
)
CONTEXT: dict[str, Any] = {
    FLIGHTS: {"flightnumber": "QF1", "seats": 3},
    "several": [{"channel": "web"}, {"channel": "mobile"}],
}


def holds(
    text: str,
    profile: Profile = PROFILE,
    context: Mapping[str, Any] = CONTEXT,
    now: datetime = NOW,
) -> bool:
    return compile_rule(text).evaluate(profile, context, now)


def check(cases: list[tuple[str, bool]]) -> None:
    """Each rule's verdict, all reported at once when several disagree."""
    wrong = [(text, expected) for text, expected in cases if holds(text) is not expected]
    assert wrong == []


# -- the API -------------------------------------------------------------------------------


def test_compile_rule_returns_a_rule_carrying_its_text_and_context_schemas() -> None:
    text = f'@{{{FLIGHTS}}}.seats > 1 and @{{ several }}.channel.includes("web")'
    rule = compile_rule(text)
    assert isinstance(rule, Rule)
    assert rule.text == text
    assert rule.context_schemas == frozenset({FLIGHTS, "several"})
    assert compile_rule(text) is rule  # compiled once, then cached
    assert rule.evaluate(PROFILE, CONTEXT, NOW) is True
    assert repr(rule) == f"Rule({text!r})"


def test_evaluate_always_answers_a_bool() -> None:
    assert (
        compile_rule('select e from xEvent where e.type = "flight"').evaluate(PROFILE, {}, NOW)
        is True
    )
    assert compile_rule("membership.points").evaluate(PROFILE, {}, NOW) is False
    assert compile_rule("membership.status").evaluate(Profile(), {}, NOW) is False


def test_a_naive_or_offset_now_is_read_as_the_same_instant() -> None:
    rule = compile_rule("xEvent[timestamp occurs today].count() = 1")
    assert rule.evaluate(PROFILE, {}, datetime(2024, 6, 15, 12)) is True
    paris = timezone(timedelta(hours=2))
    assert rule.evaluate(PROFILE, {}, datetime(2024, 6, 15, 14, tzinfo=paris)) is True


# -- literals ------------------------------------------------------------------------------


def test_string_literals_and_their_escapes() -> None:
    profile = Profile({"s": 'say "hi"\\ok', "t": "a\tb\nc/d"})
    assert holds(r's = "say \"hi\"\\ok"', profile)
    assert holds(r't = "a\tb\nc\/d"', profile)
    assert holds('"" = ""')
    assert holds('"äöü ✈" = "äöü ✈"')


def test_number_literals() -> None:
    check(
        [
            ("person.age = 34", True),
            ("person.height = 1.72", True),
            ("1.5e3 = 1500", True),
            ("2E-1 = 0.2", True),
            ("-201 < 0", True),
            ("person.age = -(-34)", True),
            ("0 = -0", True),
        ]
    )


def test_boolean_literals_in_any_case() -> None:
    check([("flags.optIn = true", True), ("flags.optIn = TRUE", True), ("false", False)])
    assert holds("true")


def test_date_literals_are_midnight_utc() -> None:
    check(
        [
            ('date(2024, 6, 15) = "2024-06-15T00:00:00Z"', True),
            ("date(2024, 6, 15) < now", True),
            ("date(2024, 6, 16) > now", True),
            ("membership.since > date(2019, 3, 30)", True),
            ("date(person.age, 1, 1).getYear() = 34", True),
            ("date(person.age, 13, 1).isNull()", True),  # computed dates that do not exist
        ]
    )


def test_list_literals() -> None:
    check(
        [
            ("[] = []", True),
            ("[1, 2] = [1, 2]", True),
            ("[1, 2] = [2, 1]", False),
            ('[1, "a", true] = [1.0, "a", true]', True),
            ("[[1], [2]] = [[1], [2]]", True),
            ('tags = ["a", "b", "b", "c"]', True),
            ("[person.age, 1] = [34, 1]", True),
        ]
    )


# -- paths ---------------------------------------------------------------------------------


def test_paths_start_at_the_profile() -> None:
    check(
        [
            ('person.name.firstName = "Ana"', True),
            ('profile.person.name.firstName = "Ana"', True),
            ('$1.person.name.firstName = "Ana"', True),
            ('(p) => p.person.name.firstName = "Ana"', True),
            ("person.name.middleName.isNull()", True),
            ("person.name.firstName.length.isNull()", True),  # through a scalar: null
            ("$1.isNotNull()", True),
            ('$1.membership.status = "gold"', True),
        ]
    )


def test_a_profile_attribute_named_profile_wins_over_the_prefix() -> None:
    profile = Profile({"profile": {"kind": "nested"}, "kind": "top"})
    assert holds('profile.kind = "nested"', profile)
    assert holds('$1.kind = "top"', profile)


def test_keywords_are_only_keywords_where_the_grammar_expects_them() -> None:
    check(
        [
            ('order.from = "web"', True),
            ('order.in = "yes"', True),
            ("orders.exists(price > 100)", True),
            ("android = 1", False),  # a name that starts like "and"
            ("notable.isNull()", True),
            ("index.isNull() and inbox.isNull() and order.fromage.isNull()", True),
        ]
    )
    profile = Profile({"in": {"x": 1}, "last": {"name": "Ito"}})
    assert holds('in.x = 1 and last.name = "Ito"', profile)  # no keyword fits there


def test_a_bound_variable_shadows_the_lambda_parameter() -> None:
    assert holds("(p) => let p = 1 in p = 1")
    assert holds('(p) => p.email = "ana.ito@example.com"')


def test_xdm_prefixed_keys_are_read_without_the_prefix() -> None:
    check([('loyalty.tier = "silver"', True), ('loyalty.get("tier") = "silver"', True)])


def test_a_path_through_a_list_projects_it() -> None:
    check(
        [
            ('orders.storeId = ["s1", "s2", "s1", "s3"]', True),
            ("orders.price = [30, 120.5, 75]", True),  # missing values are dropped
            ('"s2" in orders.storeId', True),
            ('orders.storeId = "s1"', False),  # no implicit "any"
            ("identityMap.email.id.count() = 1", True),
            ('xEvent.flightnumber.distinct() = ["QF1", "QF2"]', True),
        ]
    )


# -- comparisons and logic -----------------------------------------------------------------


def test_comparison_operators() -> None:
    check(
        [
            ("person.age = 34", True),
            ("person.age != 34", False),
            ("person.age < 35", True),
            ("person.age <= 34", True),
            ("person.age > 34", False),
            ("person.age >= 34", True),
            ('person.name.firstName < "Bob"', True),
            ('"2024-06-01T00:00:00Z" < now', True),
            ("membership.since >= date(2019, 3, 31)", True),
            ('person.name.firstName = "ana"', False),  # case-sensitive
        ]
    )


def test_coercion_between_literals_and_attributes() -> None:
    check(
        [
            ("flags.beta = true", True),  # "true" meets a boolean literal
            ('flags.optIn = "true"', True),  # a string literal takes the attribute's type
            ('person.age = "34"', True),
            ('person.age = "34.0"', True),
            ('person.age = "thirty"', False),
            ("flags.optIn = 1", False),
            ("person.age = true", False),
        ]
    )


def test_and_or_not_and_their_precedence() -> None:
    check(
        [
            ("true and false", False),
            ("true or false", True),
            ("not false", True),
            ("!false", True),
            ("not(false)", True),
            ("true or true and false", True),  # and binds tighter than or
            ("(true or true) and false", False),
            ("not true or true", True),  # not binds tighter than or
            ("not (true or true)", False),
            ("not person.age = 35 and !person.name.firstName.isNull()", True),
            ("false or false or false or true", True),
            ("true and true and true and false", False),
            ("true AND NOT false Or false", True),
            ("nothing and true", False),  # null is not true
            ("not nothing", True),
            ("empty or tags", True),  # a non-empty list is true
        ]
    )


def test_parentheses_are_transparent() -> None:
    assert holds("((((person.age)))) = (34)")
    assert holds("(((person.age = 34)))")


# -- in and notIn --------------------------------------------------------------------------


def test_in_and_not_in_with_every_list_spelling() -> None:
    check(
        [
            ('membership.status in ["gold", "platinum"]', True),
            ('membership.status in ("gold", "platinum")', True),
            ('membership.status in (["gold", "platinum"])', True),
            ('membership.status IN ["silver"]', False),
            ('membership.status notIn ["silver", "bronze"]', True),
            ('membership.status NOTIN ["gold"]', False),
            ("person.age in [30, 34.0]", True),
            ('person.age in ["34"]', True),
            ("person.age in []", False),
            ("person.age notIn []", True),
            ("person.missing in [1]", False),
            ("person.missing notIn [1]", False),
            ('"b" in tags', True),
            ('"z" notIn tags', True),
            ('membership.status in "gold"', True),  # a scalar is a one-element list
            ("person.age in person.missing", False),
        ]
    )


# -- strings -------------------------------------------------------------------------------


def test_string_predicates_and_their_case_flag() -> None:
    check(
        [
            ('email.contains("ito@")', True),
            ('email.contains("ITO@")', False),
            ('email.contains("ITO@", false)', True),
            ('email.contains("ITO@", true)', False),
            ('email.startsWith("ana")', True),
            ('email.startsWith("ANA", false)', True),
            ('email.endsWith(".com")', True),
            ('email.doesNotContain("bob")', True),
            ('email.doesNotStartWith("ana")', False),
            ('email.doesNotEndWith(".org")', True),
            ('email.equals("ANA.ITO@EXAMPLE.COM", false)', True),
            ('email.notEqualTo("x")', True),
            ("person.name.firstName.startsWith(person.name.lastName)", False),
            ('homeAddress.city.endsWith("réal")', True),
            ('person.age.contains("3")', False),  # not a string
            ('tags.contains("a")', False),  # not a string either: use includes
        ]
    )


def test_like_matches_the_whole_string_with_percent_and_underscore() -> None:
    check(
        [
            ('email like "ana%"', True),
            ('email like "%example%"', True),
            ('email like "ana"', False),
            ('email like "_na.ito@example.com"', True),
            ('email like "%.COM"', False),
            ('"a.c" like "a.c"', True),
            ('"abc" like "a.c"', False),  # . is literal
            ('"a(b)*[c]" like "a(b)*[c]"', True),
            ('"50%" like "50%"', True),
            ('"line\\nbreak" like "line%"', True),
            ('"" like "%"', True),
            ('person.age like "3%"', False),
            ("email like person.name.firstName", False),  # a computed pattern
        ]
    )


def test_matches_is_a_search_with_inline_flags() -> None:
    check(
        [
            ('email.matches("ito")', True),
            ('email.matches("^ito")', False),
            ('email.matches("(?i)^ANA")', True),
            (r'email.matches("\\w+@\\w+\\.com$")', True),
            (r'homeAddress.city.matches("^\\p{L}+$")', True),
            ("email.matches(person.name.firstName.lower())", True),  # a computed pattern
            ('email.matches(membership.status + "(")', False),  # null pattern: false
        ]
    )


def test_regex_group() -> None:
    check(
        [
            (r'email.regexGroup("@(\\w+)\\.", 1) = "example"', True),
            (r'email.regexGroup("@\\w+") = "@example"', True),
            (r'email.regexGroup("@(\\w+)", 2).isNull()', True),
            (r'email.regexGroup("^x(\\w+)", 1).isNull()', True),
        ]
    )


def test_lower_and_upper_are_mock_extensions() -> None:
    check(
        [
            ('person.name.firstName.lower() = "ana"', True),
            ('person.name.firstName.upper() = "ANA"', True),
            ("person.age.lower().isNull()", True),
        ]
    )


# -- objects, maps and segment membership --------------------------------------------------


def test_is_null_and_is_not_null() -> None:
    check(
        [
            ("nothing.isNull()", True),
            ("missing.isNull()", True),
            ("empty.isNull()", False),
            ("person.isNotNull()", True),
            ("!nothing.isNotNull()", True),
        ]
    )


def test_map_get_keys_and_values() -> None:
    check(
        [
            ('identityMap.get("ECID").count() = 1', True),
            ('identityMap.keys() = ["ECID", "email"]', True),
            ('identityMap.get("nope").isNull()', True),
            ('person.age.get("x").isNull()', True),
            ("identityMap.values().count() = 2", True),
            ('"ECID" in identityMap.keys()', True),
        ]
    )


def test_segment_membership_checks() -> None:
    ups = 'segmentMembership.get("ups")'
    check(
        [
            (f'{ups}.get("11111111-aaaa-4bbb-8ccc-000000000001").status = "realized"', True),
            (
                f'{ups}.get("11111111-aaaa-4bbb-8ccc-000000000002").status '
                'in ["realized", "existing"]',
                True,
            ),
            (
                f'{ups}.get("11111111-aaaa-4bbb-8ccc-000000000003").status '
                'in ["realized", "existing"]',
                False,
            ),
            (f'{ups}.get("no-such-segment").status = "realized"', False),
            ('segmentMembership.get("other").get("x").status.isNull()', True),
            (f"{ups}.keys().count() = 3", True),
            ('profile.segmentMembership.get("ups").keys().count() = 3', True),
        ]
    )


def test_segment_membership_may_also_come_with_the_attributes() -> None:
    profile = Profile({"segmentMembership": {"ups": {"s1": {"status": "existing"}}}})
    assert holds('segmentMembership.get("ups").get("s1").status = "existing"', profile)


# -- context data --------------------------------------------------------------------------


def test_context_references() -> None:
    check(
        [
            (f'@{{{FLIGHTS}}}.flightnumber = "QF1"', True),
            (f"@{{{FLIGHTS}}}.seats * 2 = 6", True),
            (f"@{{{FLIGHTS}}}.missing.isNull()", True),
            ("@{absent}.isNull()", True),
            ('@{absent}.flightnumber = "QF1"', False),
            ('@{several}.channel = ["web", "mobile"]', True),  # several items: a list
            ('exists c from @{several} : c.channel = "mobile"', True),
            (
                f"exists e from xEvent where e.flightnumber = @{{{FLIGHTS}}}.flightnumber",
                True,
            ),
        ]
    )
    assert not holds(f'@{{{FLIGHTS}}}.flightnumber = "QF1"', context={})


# -- quantifiers, filters and let ----------------------------------------------------------


def test_select_gives_the_matching_elements() -> None:
    check(
        [
            ('(select e from xEvent where e.type = "flight").count() = 3', True),
            ("(select e from xEvent).count() = 6", True),
            ('(select e from xEvent : e.type = "view").count() = 2', True),
            ('(select o from orders where o.price > 50).head().id = "o2"', True),
            ('(SELECT o FROM orders WHERE o.price > 50).id = ["o2", "o3"]', True),
            ('(select t from tags where t = "b").count() = 2', True),
            ("(select x from nothing).count() = 0", True),
            ("(select x from person where x.age = 34).count() = 1", True),  # one object
        ]
    )


def test_select_with_several_clauses_joins_them() -> None:
    check(
        [
            (
                '(select a from xEvent where a.type = "flight", '
                'b from xEvent where b.type = "flight" and a.flightnumber = b.flightnumber '
                "and a != b).count() = 2",
                True,
            ),
            (
                "(select a from orders where a.price > 100, b from orders where b.price < 50)"
                '.head().b.id = "o1"',
                True,
            ),
            ("(select o from orders, i from o.id).count() = 4", True),  # a later clause uses o
        ]
    )


def test_exists_and_forall() -> None:
    check(
        [
            ('exists e from xEvent where e.type = "flight"', True),
            ('exists e from xEvent : e.type = "train"', False),
            ("forall o from orders : o.storeId.isNotNull()", True),
            ("forall o from orders : o.price > 10", False),
            ("forall o from empty : false", True),
            ("exists o from empty", False),
            ("exists o from orders", True),
            ("exists a from orders where a.price > 100, b from orders where b.price < 50", True),
            ("forall a from orders, b from tags : b.isNotNull()", True),
        ]
    )


def test_filters_and_per_element_methods() -> None:
    check(
        [
            ('xEvent[type = "flight"].count() = 3', True),
            ('xEvent.filter(type = "flight").count() = 3', True),
            ('orders[price > 50 and storeId = "s1"].id = ["o3"]', True),
            ("orders[price > 1000] = []", True),
            ('orders.exists(storeId = "s3")', True),
            ('orders.count(storeId = "s1") = 2', True),
            ("xEvent[timestamp occurs today].count() = 1", True),
            ('orders[$1.membership.status = "gold"].count() = 4', True),  # $1 inside a filter
            ("nothing[true].count() = 0", True),
        ]
    )


def test_let_binds_a_value() -> None:
    check(
        [
            ("let n = orders.count() in n = 4", True),
            ('let s = (orders[storeId = "s1"].sum(price)) in (s > 100 and s < 1000)', True),
            ("let a = person.age in let b = (a + 1) in b = 35", True),
            ("let person = membership in person.points = 1200", True),  # shadows the field
        ]
    )


# -- aggregates and list functions ---------------------------------------------------------


def test_count_sum_average_min_max() -> None:
    check(
        [
            ("orders.count() = 4", True),
            ("nothing.count() = 0", True),
            ("person.count() = 1", True),
            ("orders.sum(price) = 225.5", True),
            ("orders.price.sum() = 225.5", True),
            ("empty.sum() = 0", True),
            ("orders.average(price) > 75.16 and orders.average(price) < 75.17", True),
            ("empty.average().isNull()", True),
            ("orders.min(price) = 30 and orders.max(price) = 120.5", True),
            ("empty.max().isNull()", True),
            ('["1", 2, true].sum() = 2', True),  # non-numbers are skipped
        ]
    )


def test_top_n_bottom_n_head_and_distinct() -> None:
    check(
        [
            ('orders.topN(price, 2).id = ["o2", "o3"]', True),
            ('orders.bottomN(price, 2).id = ["o1", "o3"]', True),
            ("orders.topN(price, 10).count() = 3", True),  # null keys are dropped
            ("orders.topN(price, -1).isNull()", True),
            ('orders.head().id = "o1"', True),
            ("empty.head().isNull()", True),
            ('tags.distinct() = ["a", "b", "c"]', True),
            ('[1, 1.0, true, "1"].distinct().count() = 3', True),
        ]
    )


def test_set_functions() -> None:
    check(
        [
            ('tags.intersects(["c", "z"])', True),
            ('tags.intersects(["z"])', False),
            ('tags.intersection(["c", "b", "z"]) = ["b", "c"]', True),
            ('["a", "c"].subsetOf(tags)', True),
            ("[].subsetOf(tags)", True),
            ('tags.supersetOf(["a", "c"])', True),
            ('tags.supersetOf(["a", "z"])', False),
            ('tags.includes("c")', True),
            ('nothing.includes("c")', False),
            ("nothing.intersection(tags).isNull()", True),
            ('membership.status.intersects(["gold"])', True),  # a scalar is a one-element list
        ]
    )


# -- arithmetic, if and dates --------------------------------------------------------------


def test_arithmetic() -> None:
    check(
        [
            ("1 + 2 * 3 = 7", True),
            ("(1 + 2) * 3 = 9", True),
            ("10 - 4 - 3 = 3", True),  # left-associative
            ("7 / 2 = 3.5", True),
            ("8 / 2 = 4", True),
            ("-7 % 3 = -1", True),  # the dividend's sign, as in Java
            ("7 % -3 = 1", True),
            ("7.5 % 2 = 1.5", True),
            ("person.age % 5 = 4", True),
            ("membership.points * person.height > 2000", True),
            ("1 / 0 = 0 or not (1 / 0 = 0)", True),
            ('person.age + "1" = 35', False),  # no string arithmetic or concatenation
            ("-person.age = -34", True),
        ]
    )


def test_if_is_lazy_and_picks_a_branch() -> None:
    check(
        [
            ('if(membership.status = "gold", 10, 1) = 10', True),
            ("if(nothing, 10, 1) = 1", True),
            ('if(true, "a", orders.min(price) / 0) = "a"', True),
        ]
    )


def test_date_functions_read_the_mock_clock() -> None:
    check(
        [
            ("currentYear() = 2024 and currentMonth() = 6 and currentDayOfMonth() = 15", True),
            ("membership.since.getYear() = 2019", True),
            ("membership.since.getMonth() = 3 and membership.since.getDayOfMonth() = 31", True),
            ("email.getYear().isNull()", True),
            ("now.getDayOfMonth() = 15 and today.getDayOfMonth() = 15", True),
            ("yesterday.getDayOfMonth() = 14 and tomorrow.getDayOfMonth() = 16", True),
        ]
    )
    assert holds("currentYear() = 1999", now=datetime(1999, 1, 1, tzinfo=UTC))


# -- occurs --------------------------------------------------------------------------------


def count_of(condition: str, now: datetime = NOW) -> int:
    """How many events satisfy ``e.timestamp <condition>`` at ``now``."""
    for count in range(len(PROFILE.events) + 1):
        rule = f"(select e from xEvent where e.timestamp {condition}).count() = {count}"
        if holds(rule, now=now):
            return count
    raise AssertionError(f"no count matched for {condition!r}")


def test_occurs_distance_before() -> None:
    assert count_of("occurs <= 1 day before now") == 2  # 09:00 today, 23:59:59 yesterday
    assert count_of("occurs <= 5 days before today") == 2  # today's event is after the anchor
    assert count_of("occurs < 5 days before today") == 1  # the lower bound is excluded
    assert count_of("occurs >= 5 days before today") == 3  # on or before 06-10 00:00
    assert count_of("occurs > 5 days before today") == 2
    assert count_of("occurs = 1 day before today") == 1  # the same calendar day
    assert count_of("occurs != 1 day before today") == 4  # present, on another day
    assert count_of("occurs <= 1 year before now") == 4  # the +02:00 one is 2 h too early
    assert count_of("occurs <= 1 year before today") == 4  # today 09:00 is after the anchor
    assert count_of("occurs <= 2 years before tomorrow") == 5
    assert count_of("occurs <= 3 hours before now") == 1
    assert count_of("occurs <= 2 weeks before now") == 3


def test_occurs_distance_after_and_from() -> None:
    before_all = datetime(2024, 5, 1, tzinfo=UTC)
    assert count_of("occurs <= 2 months after now", before_all) == 4
    assert count_of("occurs <= 2 months from now", before_all) == 4
    assert count_of("occurs >= 40 days after now", before_all) == 3  # from 06-10 00:00 on
    assert count_of("occurs > 45 days after now", before_all) == 1
    assert count_of("occurs < 30 days after now", before_all) == 0
    assert count_of("occurs < 31 days after now", before_all) == 1
    assert count_of("occurs = 45 days after today", before_all) == 1


def test_occurs_with_calendar_units_clamps_the_day() -> None:
    # Aug 31 - 6 months = Feb 29 in a leap year (the notes' example)
    profile = Profile(events=[{"timestamp": "2024-02-29T00:00:00Z"}])
    now = datetime(2024, 8, 31, tzinfo=UTC)
    rule = compile_rule("exists e from xEvent : e.timestamp occurs = 6 months before now")
    assert rule.evaluate(profile, {}, now)
    assert compile_rule(
        "exists e from xEvent : e.timestamp occurs <= 6 months before now"
    ).evaluate(profile, {}, now)


def test_occurs_direction_on_and_periods() -> None:
    check(
        [
            ("xEvent[timestamp occurs before today].count() = 4", True),
            ("xEvent[timestamp occurs after yesterday].count() = 1", True),
            ("xEvent[timestamp occurs after now].count() = 0", True),
            ("xEvent[timestamp occurs on yesterday].count() = 1", True),
            ("xEvent[timestamp occurs today].count() = 1", True),
            ("xEvent[timestamp occurs tomorrow].count() = 0", True),
            ("xEvent[timestamp occurs this week].count() = 3", True),  # Monday 06-10 onwards
            ("xEvent[timestamp occurs last week].count() = 0", True),
            ("xEvent[timestamp occurs last month].count() = 1", True),
            ("xEvent[timestamp occurs this year].count() = 4", True),
            ("xEvent[timestamp occurs last year].count() = 1", True),
            ("xEvent[timestamp occurs this decade].count() = 5", True),
            ("xEvent[timestamp occurs next century].count() = 0", True),
            ("xEvent[timestamp occurs on date(2024, 6, 10)].count() = 1", True),
            ("xEvent[timestamp occurs this hour].count() = 0", True),
            ("xEvent[timestamp occurs LAST Months].count() = 1", True),
        ]
    )


def test_occurs_between_includes_the_whole_last_day() -> None:
    check(
        [
            (
                "xEvent[timestamp occurs between date(2024, 6, 10) and date(2024, 6, 14)]"
                ".count() = 2",
                True,
            ),
            ("xEvent[timestamp occurs between date(2024, 6, 11) and now].count() = 2", True),
            ("xEvent[timestamp occurs between last month and this month].count() = 4", True),
        ]
    )


def test_occurs_against_a_timestamp_attribute() -> None:
    profile = Profile(
        events=[
            {"type": "search", "timestamp": "2024-06-01T10:00:00Z"},
            {"type": "book", "timestamp": "2024-06-20T10:00:00Z"},
        ]
    )
    rule = (
        'exists s from xEvent where s.type = "search", b from xEvent where b.type = "book" '
        "and b.timestamp occurs <= {} days after s.timestamp"
    )
    assert holds(rule.format(30), profile)
    assert not holds(rule.format(7), profile)


def test_occurs_on_bad_or_missing_timestamps_is_false() -> None:
    check(
        [
            ("person.name.firstName occurs before now", False),
            ("missing occurs before now", False),
            ("missing occurs <= 1 year before now", False),
            ("not (missing occurs before now)", True),
            ("membership.since occurs before now", True),
            ("membership.since occurs before person.missing", False),
        ]
    )


def test_occurs_far_from_now_saturates_instead_of_failing() -> None:
    check(
        [
            (
                "(select e from xEvent where e.timestamp occurs <= 100000 years before now)"
                ".count() = 5",
                True,
            ),
            ("xEvent[timestamp occurs >= 99999999999 days after now].count() = 0", True),
            ("xEvent[timestamp occurs = 9000 millennia before now].count() = 0", True),
        ]
    )
    far = datetime(9999, 12, 31, 23, tzinfo=UTC)
    assert holds("xEvent[timestamp occurs next year].count() = 0", now=far)
    assert holds("xEvent[timestamp occurs before tomorrow].count() = 5", now=far)
