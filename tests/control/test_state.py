"""Whole-state snapshots include the control plane; reset returns to the start-up settings."""

import copy
from typing import Any

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from mockxcore import MockServer
from tests.support import TEST_ITEM, Api, headers


def test_export_carries_clock_faults_latency_and_etags(mockxcore: MockServer) -> None:
    api = Api(mockxcore.url)
    iid = api.create_ok({"xdm:name": "x"})["instanceId"]
    api.patch(iid, [{"op": "add", "path": "/_instance/xdm:priority", "value": 3}])
    mockxcore.freeze_clock("2021-02-12T10:00:00Z")
    mockxcore.add_fault(path="/nowhere", action="status", status=503, retryAfter=2, times=4)
    mockxcore.set_latency("uniform:min=1ms,max=2ms")
    state = requests.get(mockxcore.url + "/__admin/state").json()
    assert state["clock"] == {"frozen": True, "now": "2021-02-12T10:00:00.000Z"}
    assert state["faults"][0]["action"] == "status" and state["faults"][0]["times"] == 4
    assert state["latency"]["delay"] == "uniform:min=1ms,max=2ms"
    [tenant] = [t for t in state["tenants"] if t["org"] == "test@AdobeOrg"]
    [item] = tenant["containers"][0]["instances"]
    assert item["repo:etag"] == 2
    with MockServer() as other:
        assert requests.put(other.url + "/__admin/state", json=state).status_code == 200
        assert other.export_state() == state
        assert other.now().isoformat() == "2021-02-12T10:00:00+00:00"


faults = st.lists(
    st.fixed_dictionaries(
        {
            "path": st.sampled_from(["/a", "/data/**", "/b/*"]),
            "action": st.sampled_from(["drop", "conflict", "truncate"]),
        },
        optional={"times": st.integers(1, 9), "method": st.sampled_from(["GET", "PATCH"])},
    ),
    max_size=3,
)


@settings(max_examples=15)
@given(
    names=st.lists(st.text(min_size=1, max_size=6).filter(lambda s: not s.isspace()), max_size=4),
    rules=faults,
    frozen=st.booleans(),
    delay=st.sampled_from([None, "5ms", "lognormal:median=3ms,sigma=0.2"]),
)
def test_snapshot_round_trip_is_lossless(
    names: list[str], rules: list[dict[str, Any]], frozen: bool, delay: str | None
) -> None:
    with MockServer() as mock:
        api = Api(mock.url)
        for name in names:
            api.create_ok({"xdm:name": name})
        for rule in rules:
            mock.add_fault(rule)
        mock.set_latency(delay)
        if frozen:
            mock.freeze_clock("2022-03-04T05:06:07.089Z")
        exported = mock.export_state()
        with MockServer() as other:
            other.import_state(copy.deepcopy(exported))
            assert other.export_state() == exported


@pytest.mark.parametrize(
    "change",
    [
        {"faults": [{"action": "explode"}]},
        {"latency": {"delay": "soon"}},
        {"clock": {"frozen": True, "now": "whenever"}},
        {"clock": {"frozen": True, "now": "9999-01-01T00:00:00Z"}},
        {"tenants": [{"org": 5}]},
        {"faults": None},
        {"latency": None},
    ],
)
def test_a_bad_part_changes_nothing(mockxcore: MockServer, change: dict[str, Any]) -> None:
    Api(mockxcore.url).create_ok({"xdm:name": "keep"})
    before = mockxcore.export_state()
    response = requests.put(mockxcore.url + "/__admin/state", json={**before, **change})
    assert response.status_code == 400
    assert mockxcore.export_state() == before


@pytest.mark.mockxcore(latency="1ms", faults=[{"path": "/nowhere", "action": "drop"}])
def test_reset_returns_to_the_start_up_settings(mockxcore: MockServer) -> None:
    mockxcore.add_fault(path="/data/**", action="status", status=500)
    mockxcore.set_latency("3ms")
    mockxcore.freeze_clock("2021-01-01T00:00:00Z")
    requests.get(mockxcore.url + "/data/core/xcore/", headers=headers())
    mockxcore.reset()
    assert [f["path"] for f in mockxcore.faults()] == ["/nowhere"]
    assert requests.get(mockxcore.url + "/__admin/latency").json()["delay"] == "1ms"
    assert requests.get(mockxcore.url + "/__admin/clock").json()["frozen"] is False
    assert mockxcore.journal == []


def test_a_refused_import_leaves_the_id_sequence_alone() -> None:
    """Two mocks with the same seed make the same ids, even if one refused an import that
    would have drawn ids for its undated, id-less instances."""
    bad = {
        "tenants": [
            {
                "org": "test@AdobeOrg",
                "sandbox": "prod",
                "containers": [
                    {
                        "_instance": {"repo:name": "c"},
                        "instances": [
                            {"schemas": [TEST_ITEM], "_instance": {"xdm:name": "fine"}},
                            {"schemas": [TEST_ITEM], "_instance": {"xdm:name": 5}},
                        ],
                    }
                ],
            }
        ]
    }
    with MockServer(seed=3) as refused, MockServer(seed=3) as untouched:
        response = requests.put(refused.url + "/__admin/state", json=bad)
        assert response.status_code == 400
        made = [
            Api(mock.url).create_ok({"xdm:name": "x"})["instanceId"]
            for mock in (refused, untouched)
        ]
        assert made[0] == made[1]


def test_undated_instances_take_the_imported_clock() -> None:
    snapshot = {
        "clock": {"frozen": True, "now": "2020-05-06T07:08:09Z"},
        "tenants": [
            {
                "org": "test@AdobeOrg",
                "sandbox": "prod",
                "containers": [
                    {
                        "_instance": {"repo:name": "c"},
                        "instances": [{"schemas": [TEST_ITEM], "_instance": {"xdm:name": "old"}}],
                    }
                ],
            }
        ],
    }
    with MockServer() as mock:
        mock.import_state(snapshot)
        instance = mock.export_state()["tenants"][0]["containers"][0]["instances"][0]
        assert instance["repo:createdDate"] == "2020-05-06T07:08:09.000Z"


def test_a_snapshot_larger_than_max_body_imports_over_http() -> None:
    """An export must import again, however large the catalog: /__admin/state takes bodies
    beyond --max-body (bounded separately)."""
    with MockServer(max_body=4096) as mock:
        api = Api(mock.url)
        for n in range(40):
            api.create_ok({"xdm:name": f"item {n} " + "x" * 100})
        exported = requests.get(mock.url + "/__admin/state").content
        assert len(exported) > 4096
        assert api.create({"xdm:name": "y" * 5000}).status_code == 413  # the API keeps its limit
        response = requests.put(mock.url + "/__admin/state", data=exported)
        assert response.status_code == 200, response.text
        assert requests.get(mock.url + "/__admin/state").content == exported
