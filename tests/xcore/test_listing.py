"""Listing: orderBy, the exclusive start cursor, limit as a hint, count/total, filters, id."""

from typing import Any

import pytest

from tests.support import TEST_ITEM, Api


def names(body: dict[str, Any]) -> list[str]:
    return [r["_instance"]["xdm:name"] for r in body["_embedded"]["results"]]


@pytest.fixture
def catalog(api: Api) -> dict[str, dict[str, Any]]:
    rows = [
        ("alpha", 3, "approved", "2024-01-05T00:00:00Z", ["home"]),
        ("bravo", 1, "draft", "2024-03-01T12:00:00+02:00", ["cards", "home"]),
        ("charlie", 3, "approved", "2023-12-31T23:59:59.999Z", []),
        ("delta", 2, "archived", "2024-02-29T00:00:00Z", ["cards"]),
        ("echo", 5, "approved", None, ["seasonal"]),
    ]
    made = {}
    for name, priority, status, start, labels in rows:
        instance: dict[str, Any] = {
            "xdm:name": name,
            "xdm:priority": priority,
            "xdm:status": status,
            "xdm:labels": labels,
        }
        if start:
            instance["xdm:startDate"] = start
        made[name] = api.create_ok(instance)
    return made


def test_default_order_is_instance_id_with_count_total_and_self(api: Api, catalog: Any) -> None:
    body = api.list().json()
    ids = [r["instanceId"] for r in body["_embedded"]["results"]]
    assert ids == sorted(c["instanceId"] for c in catalog.values())
    assert body["_embedded"]["count"] == 5
    assert body["_embedded"]["total"] == 5
    assert body["containerId"] == api.container
    assert body["schemaNs"] == f"{TEST_ITEM};version=0.1"
    assert body["_links"]["self"]["href"].startswith(f"/{api.container}/instances?")
    assert "next" not in body["_links"]
    assert body["requestTime"].endswith("Z")


def test_results_use_the_results_media_type(api: Api, catalog: Any) -> None:
    response = api.list()
    assert response.headers["Content-Type"] == (
        "application/vnd.adobe.platform.xcore.hal+json; "
        'schema="https://ns.adobe.com/experience/xcore/hal/results"'
    )


def test_order_by_several_keys_with_directions(api: Api, catalog: Any) -> None:
    body = api.list(orderBy="-_instance.xdm:priority,_instance.xdm:name").json()
    assert names(body) == ["echo", "alpha", "charlie", "delta", "bravo"]
    body = api.list(orderBy="-_instance.xdm:priority,-_instance.xdm:name").json()
    assert names(body) == ["echo", "charlie", "alpha", "delta", "bravo"]
    # A "+" that the client forgot to URL-encode arrives as a space and still means ascending.
    body = api.session.get(
        api.url("/instances") + f"?schema={TEST_ITEM}&orderBy=+_instance.xdm:name"
    )
    assert names(body.json()) == ["alpha", "bravo", "charlie", "delta", "echo"]


def test_dates_sort_as_instants_and_missing_values_come_last(api: Api, catalog: Any) -> None:
    body = api.list(orderBy="_instance.xdm:startDate").json()
    # bravo's 12:00+02:00 is 10:00Z, still after delta's Feb 29.
    assert names(body) == ["charlie", "alpha", "delta", "bravo", "echo"]
    body = api.list(orderBy="-_instance.xdm:startDate").json()
    assert names(body) == ["bravo", "delta", "alpha", "charlie", "echo"]


def test_start_is_an_exclusive_cursor_on_the_first_key(api: Api, catalog: Any) -> None:
    body = api.list(orderBy="_instance.xdm:priority", start="2").json()
    assert names(body) == ["alpha", "charlie", "echo"]
    assert body["_embedded"]["total"] == 3
    body = api.list(orderBy="-_instance.xdm:priority", start="3").json()
    assert names(body) == ["delta", "bravo"]
    body = api.list(orderBy="_instance.xdm:name", start="charlie").json()
    assert names(body) == ["delta", "echo"]


def test_limit_is_a_hint_that_never_splits_equal_values(api: Api, catalog: Any) -> None:
    # Sorted by priority: bravo 1, delta 2, alpha 3, charlie 3, echo 5.
    first = api.list(orderBy="_instance.xdm:priority", limit=3).json()
    assert names(first) == ["bravo", "delta"]  # alpha/charlie (3, 3) would be split: dropped
    assert first["_embedded"]["count"] == 2
    assert first["_embedded"]["total"] == 5
    nxt = first["_links"]["next"]["href"]
    assert "start=2" in nxt and "limit=3" in nxt
    second = api.follow(nxt).json()
    assert names(second) == ["alpha", "charlie", "echo"]
    assert "next" not in second["_links"]
    # A run longer than the limit is returned whole rather than never making progress.
    run = api.list(orderBy="_instance.xdm:status", limit=1).json()
    assert names(run) == ["alpha", "charlie", "echo"]  # the three "approved"


def test_paging_with_limit_one_visits_everything_once(api: Api, catalog: Any) -> None:
    seen = [r["_instance"]["xdm:name"] for r in api.all_pages(limit=1)]
    assert sorted(seen) == sorted(catalog)
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("_instance.xdm:status==approved", {"alpha", "charlie", "echo"}),
        ("_instance.xdm:status!=approved", {"bravo", "delta"}),
        ("_instance.xdm:priority>2", {"alpha", "charlie", "echo"}),
        ("_instance.xdm:priority>=3", {"alpha", "charlie", "echo"}),
        ("_instance.xdm:priority<2", {"bravo"}),
        ("_instance.xdm:priority<=2", {"bravo", "delta"}),
        ("_instance.xdm:name~.*LT.*", {"delta"}),
        ("_instance.xdm:name~al", set()),  # whole-string match, not a substring search
        ("_instance.xdm:name~AL.*", {"alpha"}),
        ("_instance.xdm:startDate", {"alpha", "bravo", "charlie", "delta"}),
        ("_instance.xdm:startDate>=2024-01-01T00:00:00Z", {"alpha", "bravo", "delta"}),
        ("_instance.xdm:startDate<2024-03-01T11:00:00Z", {"alpha", "bravo", "charlie", "delta"}),
        ("_instance.xdm:startDate>2024-03-01", {"bravo"}),
        ("_instance.xdm:labels==cards", {"bravo", "delta"}),
        ('_instance.xdm:name=="echo"', {"echo"}),
    ],
)
def test_property_filters(api: Api, catalog: Any, expression: str, expected: set[str]) -> None:
    response = api.list(property=expression)
    assert response.status_code == 200, response.text
    assert set(names(response.json())) == expected


def test_property_filters_are_anded_and_apply_to_the_envelope(api: Api, catalog: Any) -> None:
    body = api.list(property=["_instance.xdm:status==approved", "_instance.xdm:priority<5"]).json()
    assert set(names(body)) == {"alpha", "charlie"}
    created = catalog["charlie"]["repo:createdDate"]
    body = api.list(property=f"repo:createdDate>={created}").json()
    assert set(names(body)) >= {"charlie", "delta", "echo"}
    assert "alpha" not in names(body) and "bravo" not in names(body)
    assert set(names(api.list(property="repo:etag==1").json())) == set(catalog)


def test_id_filter_is_repeatable(api: Api, catalog: Any) -> None:
    wanted = [catalog["bravo"]["@id"], catalog["echo"]["@id"], "xcore:test-item:000000000000000"]
    body = api.list(id=wanted).json()
    assert set(names(body)) == {"bravo", "echo"}
    body = api.list(id=wanted, property="_instance.xdm:priority>1").json()
    assert names(body) == ["echo"]


def test_total_counts_from_this_page_to_the_end_of_the_filtered_list(
    api: Api, catalog: Any
) -> None:
    body = api.list(
        orderBy="_instance.xdm:name", property="_instance.xdm:status==approved", limit=1
    ).json()
    assert names(body) == ["alpha"]
    assert body["_embedded"]["total"] == 3
    second = api.follow(body["_links"]["next"]["href"]).json()
    assert names(second) == ["charlie"]
    assert second["_embedded"]["total"] == 2


def test_lists_are_per_schema(api: Api, catalog: Any) -> None:
    response = api.list(schema="https://ns.adobe.com/experience/xcore/container")
    assert response.status_code == 400
    assert api.list(schema=f'"{TEST_ITEM}"').json()["_embedded"]["count"] == 5


def test_free_form_names_with_spaces_and_signs_can_be_filtered_sorted_and_searched(
    api: Api,
) -> None:
    """Free-form keys (``xdm:details``, offers' ``xdm:characteristics``) may hold a space, ``%``
    or ``~``: a path reaches them in every parameter; only ``=`` cannot be in a filter's path."""
    for name, tier in [("one", "gold"), ("two", "silver")]:
        api.create_ok(
            {"xdm:name": name, "xdm:details": {"offer type": tier, "discount %": len(tier)}}
        )
    filtered = api.list(property="_instance.xdm:details.offer type==gold")
    assert filtered.status_code == 200, filtered.text
    assert names(filtered.json()) == ["one"]
    ordered = api.list(orderBy="-_instance.xdm:details.discount %")
    assert ordered.status_code == 200, ordered.text
    assert names(ordered.json()) == ["two", "one"]
    searched = api.search(schema=TEST_ITEM, q="silver", field="_instance.xdm:details.offer type")
    assert searched.status_code == 200, searched.text
    assert names(searched.json()) == ["two"]


def test_a_blank_regex_is_a_pattern(api: Api, catalog: Any) -> None:
    response = api.list(property="_instance.xdm:name~ ")
    assert response.status_code == 200, response.text
    assert names(response.json()) == []
