"""Snapshots: the demo data set, export/import round trips, --data files, all-or-nothing."""

import copy
import json
from pathlib import Path
from typing import Any

import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from mockxcore import MockServer, snapshot
from tests.support import TEST_ITEM, Api

OM = "https://ns.adobe.com/experience/offer-management/"


def test_demo_data_is_an_org_sandbox_and_container_with_instances() -> None:
    with MockServer(data="demo") as mock:
        api = Api(mock.url, org="demo@AdobeOrg")
        home = api.session.get(api.root + "/", params={"product": "dma_offers"}).json()
        [container] = home["_embedded"]["https://ns.adobe.com/experience/xcore/container"]
        assert container["productContexts"] == ["dma_offers", "acp"]
        counts = {
            kind: api.list(schema=OM + kind).json()["_embedded"]["total"]
            for kind in (
                "offer-placement",
                "tag",
                "personalized-offer",
                "fallback-offer",
                "eligibility-rule",
                "offer-filter",
                "offer-activity",
            )
        }
        assert counts == {
            "offer-placement": 3,
            "tag": 5,
            "personalized-offer": 12,
            "fallback-offer": 2,
            "eligibility-rule": 3,
            "offer-filter": 3,
            "offer-activity": 3,
        }


def test_export_import_round_trip_is_lossless() -> None:
    with MockServer() as mock:
        api = Api(mock.url)
        a = api.create_ok({"xdm:name": "a", "xdm:labels": ["x"]})
        b = api.create_ok({"xdm:name": "b", "xdm:related": [a["@id"]]})
        api.patch(b["instanceId"], [{"op": "replace", "path": "/_instance/xdm:name", "value": "B"}])
        api.delete(a["instanceId"])  # rejected: b references a; the status is state too
        exported = requests.get(mock.url + "/__admin/state").json()
        with MockServer() as other:
            assert requests.put(other.url + "/__admin/state", json=exported).status_code == 200
            assert requests.get(other.url + "/__admin/state").json() == exported
            moved = Api(other.url)
            assert moved.get(b["instanceId"]).json()["repo:etag"] == 2
            # The reference graph came along: a is still protected.
            assert moved.delete_to_outcome(a["instanceId"]).json()["outcome"] == "rejected"


@settings(max_examples=10)
@given(
    st.lists(
        st.fixed_dictionaries(
            {"xdm:name": st.text(min_size=1, max_size=8).filter(lambda s: not s.isspace())},
            optional={"xdm:priority": st.integers(0, 9)},
        ),
        max_size=6,
    )
)
def test_snapshot_round_trip_property(items: list[dict[str, Any]]) -> None:
    with MockServer() as mock:
        api = Api(mock.url)
        for item in items:
            api.create_ok(item)
        exported = mock.export_state()
        mock.import_state(copy.deepcopy(exported))
        assert mock.export_state() == exported


def test_invalid_snapshot_is_rejected_whole(tmp_path: Path) -> None:
    with MockServer() as mock:
        api = Api(mock.url)
        api.create_ok({"xdm:name": "keep"})
        before = mock.export_state()
        bad = copy.deepcopy(before)
        container = bad["tenants"][0]["containers"][0]
        container["instances"].append({"schema": TEST_ITEM, "_instance": {"xdm:priority": -1}})
        container["instances"].append(
            {
                "schema": TEST_ITEM,
                "_instance": {
                    "xdm:name": "dangling",
                    "xdm:related": ["xcore:test-item:00000000000abcd"],
                },
            }
        )
        response = requests.put(mock.url + "/__admin/state", json=bad)
        assert response.status_code == 400
        pointers = {e["pointer"] for e in response.json()["errors"]}
        assert "/tenants/0/containers/0/instances/1/_instance/xdm:name" in pointers
        assert "/tenants/0/containers/0/instances/2/_instance/xdm:related/0" in pointers
        assert requests.put(mock.url + "/__admin/state", data=b"{nope").status_code == 400
        assert requests.put(mock.url + "/__admin/state", json={"tenants": "x"}).status_code == 400
        assert mock.export_state() == before


def test_hand_written_snapshot_gets_its_envelope_filled_in(tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    path.write_text(
        json.dumps(
            {
                "tenants": [
                    {
                        "org": "me@AdobeOrg",
                        "sandbox": "dev",
                        "containers": [
                            {
                                "_instance": {"repo:name": "c"},
                                "instances": [
                                    {"schema": TEST_ITEM, "_instance": {"xdm:name": "hand made"}}
                                ],
                            }
                        ],
                    }
                ]
            }
        )
    )
    with MockServer(data=path) as mock:
        api = Api(mock.url, org="me@AdobeOrg", sandbox="dev")
        [item] = api.list().json()["_embedded"]["results"]
        assert item["repo:etag"] == 1
        assert item["_instance"]["@id"].startswith("xcore:test-item:")
        assert item["repo:createdBy"] == "mockxcore"


def test_several_data_files_merge() -> None:
    one = snapshot.demo()
    two = {"tenants": [{"org": "demo@AdobeOrg", "sandbox": "dev", "containers": []}]}
    merged = snapshot.merge([one, two])
    assert [(t["org"], t["sandbox"]) for t in merged["tenants"]] == [
        ("demo@AdobeOrg", "prod"),
        ("demo@AdobeOrg", "dev"),
    ]
