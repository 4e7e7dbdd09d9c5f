"""Decision tables: what each part of the format decides, through the real delivery endpoint."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from mockxcore import MockServer
from mockxcore.target.artifact import MAX_BODY_DEPTH
from tests.target.support import deliver, mboxes, put_table, web_request

UA_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1"
)
UA_CHROME_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/118.0.0.0 Safari/537.36"
)


def html(content: str) -> list[dict[str, str]]:
    return [{"type": "html", "content": content}]


def answer(
    url: str,
    mbox: str = "m",
    *,
    params: dict[str, str] | None = None,
    visitor: str = "0123456789abcdef0123456789abcdef.35_0",
    **context: Any,
) -> str | None:
    detail: dict[str, Any] = {"parameters": params} if params else {}
    request = web_request(id={"tntId": visitor}, execute={"mboxes": mboxes(mbox, **detail)})
    request["context"].update(context)
    response = deliver(url, request)
    assert response.status_code == 200, response.text
    options = response.json()["execute"]["mboxes"][0].get("options")
    return str(options[0]["content"]) if options else None


@pytest.fixture
def mock() -> Any:
    with MockServer() as server:
        yield server


def load(url: str, *activities: dict[str, Any], **table: Any) -> None:
    response = put_table(url, {"activities": list(activities), **table})
    assert response.status_code == 200, response.text


def test_higher_priority_wins_and_xt_goes_before_ab_at_equal_priority(mock: MockServer) -> None:
    low = {"mbox": "m", "experiences": [{"options": html("ab low")}]}
    high = {"mbox": "m", "priority": 5, "experiences": [{"options": html("ab high")}]}
    xt = {"mbox": "m", "type": "xt", "experiences": [{"options": html("xt")}]}
    load(mock.url, low, high)
    assert answer(mock.url) == "ab high"
    load(mock.url, low, xt)
    assert answer(mock.url) == "xt"
    load(mock.url, {**low, "priority": 1}, xt)
    assert answer(mock.url) == "ab low"
    artifact = requests.get(f"{mock.url}/demo/production/v1/rules.json").json()
    assert [r["meta"]["activity.type"] for r in artifact["rules"]["mboxes"]["m"]] == [
        "ab",
        "landing",
    ]


def test_xt_experiences_go_to_the_first_audience_that_matches(mock: MockServer) -> None:
    load(
        mock.url,
        {
            "mbox": "m",
            "type": "xt",
            "experiences": [
                {"audience": {"attribute": "mbox.tier", "equals": "gold"}, "options": html("gold")},
                {
                    "audience": {"attribute": "user.platform", "equals": "iOS"},
                    "options": html("iphone"),
                },
                {"options": html("default")},
            ],
        },
    )
    assert answer(mock.url, params={"tier": "gold"}, userAgent=UA_IPHONE) == "gold"
    assert answer(mock.url, params={"tier": "silver"}, userAgent=UA_IPHONE) == "iphone"
    assert answer(mock.url, userAgent=UA_CHROME_MAC) == "default"


def test_splits_allocate_by_visitor_and_leave_the_rest_out(mock: MockServer) -> None:
    load(
        mock.url,
        {
            "mbox": "m",
            "experiences": [
                {"split": 10, "options": html("a")},
                {"split": 20, "options": html("b")},
            ],
        },
    )
    seen = [answer(mock.url, visitor=f"{n:032x}.35_0") for n in range(300)]
    counts = {k: seen.count(k) for k in ("a", "b", None)}
    assert 10 <= counts["a"] <= 55
    assert 35 <= counts["b"] <= 90
    assert counts[None] >= 160  # 70 % of traffic is in no experience


def test_activity_audiences_and_dates(mock: MockServer) -> None:
    load(
        mock.url,
        {
            "mbox": "m",
            "audience": {"attribute": "page.domain", "equals": "example.co.uk"},
            "start": "2031-01-01T00:00:00Z",
            "end": "2031-01-31T00:00:00Z",
            "experiences": [{"options": html("january")}],
        },
    )
    uk = {"address": {"url": "https://www.example.co.uk/sale"}}
    mock.freeze_clock("2031-01-15T12:00:00Z")
    assert answer(mock.url, **uk) == "january"
    assert answer(mock.url, address={"url": "https://example.com/"}) is None
    mock.freeze_clock("2031-02-01T00:00:00Z")
    assert answer(mock.url, **uk) is None
    mock.freeze_clock("2030-12-31T23:59:59Z")
    assert answer(mock.url, **uk) is None


def test_days_and_time_of_day_follow_the_clock(mock: MockServer) -> None:
    load(
        mock.url,
        {
            "mbox": "m",
            "type": "xt",
            "experiences": [
                {
                    "audience": {
                        "all": [{"days": [6, 7]}, {"time": {"from": "2200", "to": "0600"}}]
                    },
                    "options": html("weekend night"),
                },
                {"audience": {"days": [6, 7]}, "options": html("weekend")},
                {
                    "audience": {"between": {"start": "2031-03-03T00:00:00Z"}},
                    "options": html("from march"),
                },
            ],
        },
    )
    mock.freeze_clock("2031-03-01T23:30:00Z")  # a Saturday
    assert answer(mock.url) == "weekend night"
    mock.freeze_clock("2031-03-02T12:00:00Z")  # Sunday noon
    assert answer(mock.url) == "weekend"
    mock.freeze_clock("2031-03-02T23:59:00Z")
    assert answer(mock.url) == "weekend night"
    mock.freeze_clock("2031-03-03T03:00:00Z")  # Monday
    assert answer(mock.url) == "from march"
    mock.freeze_clock("2031-02-25T03:00:00Z")
    assert answer(mock.url) is None


@pytest.mark.parametrize(
    ("test", "yes", "no"),
    [
        ({"equals": "Red"}, "Red", "red"),
        ({"equals": "red", "ignoreCase": True}, "RED", "blue"),
        ({"notEquals": "red"}, "blue", "red"),
        ({"contains": "ee"}, "green", "red"),
        ({"notContains": "ee"}, "red", "green"),
        ({"startsWith": "gr"}, "green", "agree"),
        ({"endsWith": "en"}, "green", "enter"),
        ({"in": ["red", "blue"]}, "blue", "green"),
        ({"lessThan": 10}, "9.5", "10"),
        ({"greaterThanOrEqual": 10}, "10", "9"),
        ({"exists": True}, "x", None),
        ({"exists": False}, None, "x"),
    ],
)
def test_attribute_tests(mock: MockServer, test: dict[str, Any], yes: str, no: str | None) -> None:
    load(
        mock.url,
        {
            "mbox": "m",
            "audience": {"attribute": "mbox.color", **test},
            "experiences": [{"options": html("match")}],
        },
    )
    assert answer(mock.url, params={"color": yes} if yes is not None else None) == "match"
    assert answer(mock.url, params={"color": no} if no is not None else None) is None


def test_all_any_not_and_dotted_parameters(mock: MockServer) -> None:
    load(
        mock.url,
        {
            "mbox": "m",
            "audience": {
                "all": [
                    {
                        "any": [
                            {"attribute": "mbox.cart.size", "greaterThan": 2},
                            {"attribute": "mbox.vip", "equals": "yes"},
                        ]
                    },
                    {"not": {"attribute": "referring.domain", "equals": "spam.com"}},
                ]
            },
            "experiences": [{"options": html("match")}],
        },
    )
    assert answer(mock.url, params={"cart.size": "3"}) == "match"
    assert answer(mock.url, params={"vip": "yes"}) == "match"
    assert answer(mock.url, params={"cart.size": "1"}) is None
    spam = {"address": {"url": "https://a.com/", "referringUrl": "https://www.spam.com/x"}}
    assert answer(mock.url, params={"vip": "yes"}, **spam) is None


def test_client_hints_take_the_place_of_the_user_agent(mock: MockServer) -> None:
    load(
        mock.url,
        {
            "mbox": "m",
            "type": "xt",
            "experiences": [
                {
                    "audience": {
                        "all": [
                            {"attribute": "user.browserType", "equals": "edge"},
                            {"attribute": "user.browserVersion", "greaterThanOrEqual": 120},
                            {"attribute": "user.platform", "equals": "mac"},
                        ]
                    },
                    "options": html("edge on mac"),
                },
                {
                    "audience": {"attribute": "user.browserType", "equals": "chrome"},
                    "options": html("chrome"),
                },
            ],
        },
    )
    hints = {
        "platform": "macOS",
        "browserUAWithMajorVersion": '"Not_A Brand";v="8", "Chromium";v="120", '
        '"Microsoft Edge";v="120"',
    }
    assert answer(mock.url, userAgent=UA_CHROME_MAC) == "chrome"
    assert answer(mock.url, userAgent=UA_CHROME_MAC, clientHints=hints) == "edge on mac"


def test_the_table_is_kept_and_the_artifact_lists_locations(mock: MockServer) -> None:
    activities = [
        {"mbox": "m", "experiences": [{"options": html("m")}]},
        {"view": "home", "experiences": [{"options": [{"type": "actions", "content": []}]}]},
        {"pageLoad": True, "experiences": [{"options": html("page")}]},
    ]
    load(mock.url, *activities, globalMbox="my-global")
    assert requests.get(f"{mock.url}/__admin/target/clients/demo/table").json() == {
        "activities": activities,
        "globalMbox": "my-global",
    }
    artifact = requests.get(f"{mock.url}/demo/production/v1/rules.json").json()
    assert artifact["localMboxes"] == ["m", "my-global"]
    assert artifact["localViews"] == ["home"]
    assert artifact["globalMbox"] == "my-global"
    assert artifact["geoTargetingEnabled"] is False
    assert artifact["meta"] == {
        "clientCode": "demo",
        "environment": "production",
        "generatedBy": "mockxcore decision table",
    }


@pytest.mark.parametrize(
    ("activity", "pointer", "rule"),
    [
        (
            {
                "mbox": "m",
                "experiences": [
                    {"split": 60, "options": html("a")},
                    {"split": 60, "options": html("b")},
                ],
            },
            "/activities/0/experiences",
            "split",
        ),
        (
            {
                "mbox": "m",
                "experiences": [{"split": 60, "options": html("a")}, {"options": html("b")}],
            },
            "/activities/0/experiences",
            "split",
        ),
        (
            {"mbox": "m", "experiences": [{"audience": {"days": [1]}, "options": html("a")}]},
            "/activities/0/experiences/0/audience",
            "experience-audience",
        ),
        (
            {"mbox": "m", "type": "xt", "experiences": [{"split": 5, "options": html("a")}]},
            "/activities/0/experiences/0/split",
            "split",
        ),
        (
            {
                "mbox": "m",
                "audience": {"attribute": "cookie.x", "equals": 1},
                "experiences": [{"options": html("a")}],
            },
            "/activities/0/audience/attribute",
            "audience-attribute",
        ),
        (
            {
                "mbox": "m",
                "audience": {"jsonLogic": {"log": ["x"]}},
                "experiences": [{"options": html("a")}],
            },
            "/activities/0/audience/jsonLogic/log",
            "condition-operator",
        ),
        (
            {
                "mbox": "m",
                "start": "2031-02-01T00:00:00Z",
                "end": "2031-01-01T00:00:00Z",
                "experiences": [{"options": html("a")}],
            },
            "/activities/0/end",
            "date-order",
        ),
        (
            {
                "mbox": "m",
                "audience": {"attribute": "user.browserVersion", "startsWith": "1"},
                "experiences": [{"options": html("a")}],
            },
            "/activities/0/audience/startsWith",
            "audience-operator",
        ),
        (
            {"mbox": "target-global-mbox", "experiences": [{"options": html("a")}]},
            "/activities/0/mbox",
            "location",
        ),
        (
            {"mbox": "m", "view": "v", "experiences": [{"options": html("a")}]},
            "/activities/0",
            "schema",
        ),
        (
            {"mbox": "m", "experiences": [{"options": [{"type": "json", "content": "text"}]}]},
            "/activities/0/experiences/0/options/0/content",
            "schema",
        ),
    ],
)
def test_bad_tables_name_the_problem_and_change_nothing(
    mock: MockServer, activity: dict[str, Any], pointer: str, rule: str
) -> None:
    load(mock.url, {"mbox": "m", "experiences": [{"options": html("kept")}]})
    response = put_table(mock.url, {"activities": [activity]})
    assert response.status_code == 422, response.text
    assert (rule, pointer) in {(e["rule"], e["pointer"]) for e in response.json()["errors"]}
    assert answer(mock.url) == "kept"


def test_activity_ids_are_unique(mock: MockServer) -> None:
    one = {"id": 9, "mbox": "m", "experiences": [{"options": html("a")}]}
    response = put_table(mock.url, {"activities": [one, {**one, "mbox": "n"}]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/activities/1/id"


@pytest.mark.parametrize("levels", [MAX_BODY_DEPTH + 1, 300, 900])
def test_a_table_nested_too_deep_is_a_400_and_changes_nothing(
    mock: MockServer, levels: int
) -> None:
    load(mock.url, {"mbox": "m", "experiences": [{"options": html("kept")}]})
    content: Any = "x"
    for _ in range(levels):
        content = [content]
    deep = {"mbox": "m", "experiences": [{"options": [{"type": "json", "content": content}]}]}
    response = put_table(mock.url, {"activities": [deep]})
    assert response.status_code == 400, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "urn:mockxcore:problem:too-deep"
    assert answer(mock.url) == "kept"
    assert requests.get(f"{mock.url}/__admin/target/clients/demo/table").status_code == 200
    assert requests.get(f"{mock.url}/__admin/state").status_code == 200
