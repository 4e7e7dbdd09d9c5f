"""Valid patches over a loaded catalog's instances answer 200 and leave exactly what
``jsonpatch`` computes; invalid ones answer 400/422 naming their rule and change nothing."""

from __future__ import annotations

from typing import Any

import jsonpatch
from hypothesis import given
from hypothesis import strategies as st

from mockxcore import MockServer, contracts
from mockxcore.strategies import catalogs, entries, json_patches
from tests.strategies.conftest import ContainerApi, error_rules, load, references


def pick(
    data: st.DataObject, server: MockServer
) -> tuple[ContainerApi, dict[str, Any], dict[str, Any]]:
    """Load a catalog, choose one of its instances (each schema equally likely) and read it."""
    catalog = data.draw(catalogs(min_activities=1), label="catalog")
    api = load(server, catalog)
    schema = data.draw(st.sampled_from(sorted(references(catalog))), label="schema")
    entry = data.draw(st.sampled_from(list(entries(catalog, schema))), label="instance")
    response = api.get(entry["instanceId"])
    assert response.status_code == 200
    return api, response.json(), references(catalog)


def user_links(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document["_links"].items() if k != "self"}


@given(data=st.data())
def test_valid_patches_are_applied_as_rfc_6902_says(
    server: MockServer, data: st.DataObject
) -> None:
    api, document, known = pick(data, server)
    patch = data.draw(json_patches(document, references=known), label="patch")
    response = api.patch(document["instanceId"], patch, if_match=f'"{document["repo:etag"]}"')
    assert response.status_code == 200, response.text
    expected = jsonpatch.apply_patch(document, patch)
    after = api.get(document["instanceId"]).json()
    assert after["_instance"] == expected["_instance"]
    assert user_links(after) == user_links(expected)
    assert after["repo:etag"] == document["repo:etag"] + 1
    schema = document["schemas"][0].split(";")[0]
    assert contracts.default().validate(schema, after["_instance"]) == []


@given(data=st.data())
def test_invalid_patches_are_refused_for_their_rule(
    server: MockServer, data: st.DataObject
) -> None:
    api, document, known = pick(data, server)
    patch, rule = data.draw(json_patches(document, valid=False, references=known), label="patch")
    response = api.patch(document["instanceId"], patch)
    assert response.status_code in (400, 422), response.text
    assert response.status_code == 422 or rule == "patch"
    assert rule in error_rules(response), response.text
    after = api.get(document["instanceId"]).json()
    assert after["repo:etag"] == document["repo:etag"]
    assert after["_instance"] == document["_instance"]
