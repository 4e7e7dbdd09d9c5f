"""Property tests over real HTTP: patch round trips, etag monotonicity, paging via links and
property filters (against the oracles of the store's property tests)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonpatch
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from mockxcore import MockServer
from mockxcore.jsonbody import LARGEST_INT, SMALLEST_INT
from tests.store import test_paging_properties as paging
from tests.support import Api

text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=12)
names = text.filter(lambda s: not s.isspace())  # a name needs something visible
instances = st.fixed_dictionaries(
    {"xdm:name": names},
    optional={
        "xdm:description": text,
        "xdm:priority": st.integers(0, 100),
        "xdm:status": st.sampled_from(["draft", "approved", "archived"]),
        "xdm:enabled": st.booleans(),
        "xdm:labels": st.lists(text, max_size=4),
        "xdm:details": st.dictionaries(
            st.sampled_from(["a", "b", "c/d", "e~f"]),
            st.integers(SMALLEST_INT, LARGEST_INT) | text,
            max_size=3,
        ),
    },
)


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    with MockServer() as mock:
        yield mock


@given(before=instances, after=instances)
def test_patch_then_get_round_trips(
    server: MockServer, before: dict[str, Any], after: dict[str, Any]
) -> None:
    api = Api(server.url)
    receipt = api.create_ok(before)
    old = {"@id": receipt["@id"], **before}
    new = {"@id": receipt["@id"], **after}
    patch = jsonpatch.make_patch({"_instance": old}, {"_instance": new}).patch
    if not patch:
        return
    response = api.patch(receipt["instanceId"], patch, if_match='"1"')
    assert response.status_code == 200, response.text
    doc = api.get(receipt["instanceId"]).json()
    assert doc["_instance"] == new
    assert doc["repo:etag"] == 2


@given(st.lists(paging.items, max_size=12), paging.order_keys, st.integers(1, 5))
def test_following_next_links_visits_each_instance_once_in_order(
    items: list[dict[str, Any]], keys: list[tuple[str, bool]], limit: int
) -> None:
    """The store's paging property, over HTTP: query parsing and ``_links.next`` included."""
    with MockServer() as mock:
        api = Api(mock.url)
        for item in items:
            api.create_ok(item)
        order_by = ",".join(("-" if descending else "+") + p for p, descending in keys)
        visited = [r["instanceId"] for r in api.all_pages(limit=limit, orderBy=order_by)]
        tenant = ("test@AdobeOrg", "prod")
        records = list(mock.state.repository.store.records(tenant, api.container))
        assert visited == [r.instance_id for r in paging.expected_order(records, keys)]


@given(st.lists(paging.items, max_size=12), st.lists(paging.filters, min_size=1, max_size=3))
def test_property_filters_over_http_equal_a_brute_force_filter(
    items: list[dict[str, Any]], chosen: list[tuple[str, str | None, str]]
) -> None:
    with MockServer() as mock:
        api = Api(mock.url)
        created = {api.create_ok(item)["instanceId"]: item for item in items}
        response = api.list(
            property=[f"_instance.{p}{op or ''}{literal}" for p, op, literal in chosen],
            limit=1000,
        )
        assert response.status_code == 200, response.text
        got = sorted(r["instanceId"] for r in response.json()["_embedded"]["results"])
        want = sorted(
            iid
            for iid, item in created.items()
            if all(paging.oracle(item, p, op, literal) for p, op, literal in chosen)
        )
        assert got == want


class EtagMachine(RuleBasedStateMachine):
    """Any sequence of writes, good and bad: etags only ever grow, by one per accepted write."""

    ids = Bundle("ids")

    def __init__(self) -> None:
        super().__init__()
        self.mock = MockServer().start()
        self.api = Api(self.mock.url)
        self.etags: dict[str, int] = {}

    def teardown(self) -> None:
        self.mock.stop()

    def observe(self, iid: str) -> int:
        etag: int = self.api.get(iid).json()["repo:etag"]
        return etag

    @rule(target=ids, instance=instances)
    def create(self, instance: dict[str, Any]) -> str:
        receipt = self.api.create_ok(instance)
        self.etags[receipt["instanceId"]] = receipt["repo:etag"]
        assert receipt["repo:etag"] == 1
        return str(receipt["instanceId"])

    @rule(iid=ids, name=names, conditional=st.booleans())
    def patch(self, iid: str, name: str, conditional: bool) -> None:
        if iid not in self.etags:
            return
        if_match = f'"{self.etags[iid]}"' if conditional else None
        response = self.api.patch(
            iid,
            [{"op": "replace", "path": "/_instance/xdm:name", "value": name}],
            if_match=if_match,
        )
        assert response.status_code == 200
        assert response.json()["repo:etag"] == self.etags[iid] + 1
        self.etags[iid] += 1

    @rule(iid=ids, instance=instances)
    def put(self, iid: str, instance: dict[str, Any]) -> None:
        if iid not in self.etags:
            return
        response = self.api.put(iid, {"_instance": instance, "_links": {}})
        assert response.status_code == 200
        self.etags[iid] += 1

    @rule(iid=ids)
    def stale_write(self, iid: str) -> None:
        if iid not in self.etags or self.etags[iid] < 2:
            return
        response = self.api.patch(
            iid,
            [{"op": "replace", "path": "/_instance/xdm:name", "value": "stale"}],
            if_match='"1"',
        )
        assert response.status_code == 409

    @rule(iid=ids)
    def invalid_write(self, iid: str) -> None:
        if iid not in self.etags:
            return
        response = self.api.patch(
            iid, [{"op": "add", "path": "/_instance/xdm:priority", "value": -5}]
        )
        assert response.status_code == 422

    @rule(iid=ids)
    def delete(self, iid: str) -> None:
        if iid not in self.etags:
            return
        assert self.api.delete_to_outcome(iid).status_code == 200
        del self.etags[iid]

    @invariant()
    def etags_are_what_accepted_writes_made_them(self) -> None:
        for iid, etag in self.etags.items():
            assert self.observe(iid) == etag


EtagMachine.TestCase.settings = settings(max_examples=10, stateful_step_count=15, deadline=None)
test_etags_strictly_increase = EtagMachine.TestCase
