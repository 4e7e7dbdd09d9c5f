"""TargetState export/load (for the whole-state snapshot) and reset."""

from __future__ import annotations

import copy

import pytest
import requests

from mockxcore import MockServer, snapshot
from mockxcore.config import Config
from mockxcore.contracts import default
from mockxcore.problems import Problem
from mockxcore.target.state import TargetState
from tests.target.support import TNT, deliver, mboxes, put_table, web_request


def demo_target() -> TargetState:
    """The Target state the demo data starts with."""
    state = TargetState(Config(), default())
    state.load(snapshot.demo()["target"])
    return state


def _hero(url: str) -> object:
    request = web_request(id={"tntId": TNT}, execute={"mboxes": mboxes("hero-banner")})
    return deliver(url, request).json()["execute"]["mboxes"][0].get("options")


def test_export_then_load_is_lossless() -> None:
    with MockServer(data="demo") as mock:
        url = mock.url
        assert requests.put(f"{url}/__admin/target/geo/10.0.0.9", json={"city": "Nine"}).ok
        assert requests.put(
            f"{url}/__admin/target/clients/hand/artifact",
            json=requests.get(f"{url}/demo/production/v1/rules.json").json(),
        ).ok
        exported = mock.state.target.export()
    fresh = TargetState(Config(), default())
    fresh.load(copy.deepcopy(exported))
    assert fresh.export() == exported
    assert sorted(exported) == ["clients", "geo", "mockxcore"]
    assert {c["client"]: sorted(c) for c in exported["clients"]} == {
        "demo": ["client", "cluster", "mboxes", "organizationId", "table"],
        "hand": ["artifact", "client", "cluster"],
    }
    assert fresh.clients["demo"].served() == demo_target().clients["demo"].served()


def test_load_is_all_or_nothing() -> None:
    state = demo_target()
    before = state.export()
    bad = copy.deepcopy(before)
    bad["clients"].append({"client": "broken", "table": {"activities": [{"mbox": "m"}]}})
    bad["geo"]["nope"] = {"city": "x"}
    with pytest.raises(Problem) as caught:
        state.load(bad)
    pointers = {e.pointer for e in caught.value.errors}
    assert "/clients/1/table/activities/0/experiences" in pointers
    assert "/geo/nope" in pointers
    assert state.export() == before
    with pytest.raises(Problem):
        state.load(
            {"mockxcore": "target/1", "clients": [{"client": "x", "table": {}, "artifact": {}}]}
        )
    with pytest.raises(Problem):
        state.load({"mockxcore": "snapshot/1"})


def test_reset_returns_to_the_demo_client() -> None:
    with MockServer(data="demo") as mock:
        assert _hero(mock.url)
        assert put_table(mock.url, {"activities": []}).ok
        assert _hero(mock.url) is None
        mock.reset()
        assert _hero(mock.url)


def test_a_mock_without_demo_data_has_no_target_client() -> None:
    with MockServer() as mock:
        assert requests.get(mock.url + "/__admin/target/clients").json() == {"clients": []}


def test_a_deleted_client_is_gone_until_content_is_put_for_it_again(mockxcore: MockServer) -> None:
    clients = f"{mockxcore.url}/__admin/target/clients"
    content = {"options": [{"type": "json", "content": {"a": 1}}]}
    assert requests.put(f"{clients}/hand", json={"cluster": "31"}).ok
    assert requests.put(f"{clients}/hand/mboxes/old", json=content).ok
    assert requests.delete(f"{clients}/hand").status_code == 204
    for gone in ("hand", "hand/remote", "hand/artifact"):
        assert requests.get(f"{clients}/{gone}").status_code == 404, gone
    assert requests.delete(f"{clients}/hand").status_code == 404
    # Putting remote content for it creates the client anew, as loading an artifact does:
    # with that content only, nothing it had before.
    assert requests.put(f"{clients}/hand/mboxes/fresh", json=content).ok
    assert requests.get(f"{clients}/hand/remote").json() == {
        "mboxes": {"fresh": content},
        "views": {},
    }
    assert requests.get(f"{clients}/hand").json()["cluster"] != "31"
