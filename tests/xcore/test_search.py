"""Full-text search: normalized terms, escapes, exact phrases, field restriction and qop."""

from typing import Any

import pytest

from tests.support import TEST_ITEM, Api


@pytest.fixture
def texts(api: Api) -> None:
    for name, description in [
        ("Gold card", "Premium credit card upgrade"),
        ("Crème brûlée", "Dessert of the day"),
        ("Card-holder perks", "Lounge access for gold members"),
        ("Spring sale", "C++ books: 20% off"),
        ("Plain", "nothing to see"),
    ]:
        api.create_ok({"xdm:name": name, "xdm:description": description})


def found(api: Api, **params: Any) -> set[str]:
    params.setdefault("schema", TEST_ITEM)
    response = api.search(**params)
    assert response.status_code == 200, response.text
    return {r["_instance"]["xdm:name"] for r in response.json()["_embedded"]["results"]}


def test_terms_are_normalized_on_both_sides(api: Api, texts: None) -> None:
    assert found(api, q="GOLD") == {"Gold card", "Card-holder perks"}
    assert found(api, q="creme") == {"Crème brûlée"}
    assert found(api, q="BRÛLÉE") == {"Crème brûlée"}


def test_default_qop_is_or_and_qop_and_needs_every_term(api: Api, texts: None) -> None:
    assert found(api, q="dessert lounge") == {"Crème brûlée", "Card-holder perks"}
    assert found(api, q="gold lounge", qop="and") == {"Card-holder perks"}
    assert found(api, q="gold dessert", qop="and") == set()


def test_field_restricts_where_terms_match(api: Api, texts: None) -> None:
    assert found(api, q="gold", field="_instance.xdm:name") == {"Gold card"}
    assert found(api, q="gold", field=["_instance.xdm:name", "_instance.xdm:description"]) == {
        "Gold card",
        "Card-holder perks",
    }


@pytest.mark.parametrize("field", ["instanceId", "repo:createdBy", "_links.self.href"])
def test_a_field_search_cannot_read_is_a_400(api: Api, texts: None, field: str) -> None:
    """Only payload text is searched: a field outside ``_instance`` would match nothing."""
    response = api.search(schema=TEST_ITEM, q="gold", field=field)
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["rule"] == "field"


def test_special_characters_split_terms_unless_escaped(api: Api, texts: None) -> None:
    # Unescaped: "card" OR "holder".
    assert found(api, q="card-holder") == {"Gold card", "Card-holder perks"}
    # Escaped: one term "card-holder", matched as adjacent tokens.
    assert found(api, q="card\\-holder") == {"Card-holder perks"}
    assert found(api, q="c\\+\\+") == {"Spring sale"}


def test_double_quoted_q_is_an_exact_phrase(api: Api, texts: None) -> None:
    assert found(api, q='"credit card"') == {"Gold card"}
    assert found(api, q='"card credit"') == set()
    assert found(api, q='"said \\"hi\\""') == set()  # escaped quotes stay inside the phrase


def test_quotes_that_close_inside_q_separate_terms(api: Api, texts: None) -> None:
    """``"dessert" "lounge"`` is not one quoted string: it is the terms dessert OR lounge."""
    assert found(api, q='"dessert" "lounge"') == {"Crème brûlée", "Card-holder perks"}


def test_search_combines_with_property_filters_and_paging(api: Api, texts: None) -> None:
    names = found(api, q="gold", property="_instance.xdm:name~gold.*")
    assert names == {"Gold card"}
    body = api.search(schema=TEST_ITEM, q="card gold", limit=1, orderBy="_instance.xdm:name")
    first = body.json()
    assert first["_embedded"]["count"] == 1
    assert first["_embedded"]["total"] == 2
    assert first["_links"]["next"]["href"].startswith(f"/{api.container}/queries/core/search?")
    second = api.follow(first["_links"]["next"]["href"]).json()
    assert [r["_instance"]["xdm:name"] for r in second["_embedded"]["results"]] == ["Gold card"]


def test_search_index_follows_updates_and_deletes(api: Api, texts: None) -> None:
    assert found(api, q="plain") == {"Plain"}
    target = api.list(property="_instance.xdm:name==Plain").json()["_embedded"]["results"][0]
    api.patch(
        target["instanceId"], [{"op": "replace", "path": "/_instance/xdm:name", "value": "Fancy"}]
    )
    assert found(api, q="plain") == set()
    assert found(api, q="fancy") == {"Fancy"}
    assert api.delete_to_outcome(target["instanceId"]).status_code == 200
    assert found(api, q="fancy") == set()


@pytest.mark.mockxcore(strict=False)  # sends invalid requests on purpose
def test_bad_qop_is_400(api: Api) -> None:
    response = api.search(q="x", qop="xor")
    assert response.status_code == 400
    assert response.json()["errors"][0]["rule"] == "qop"
