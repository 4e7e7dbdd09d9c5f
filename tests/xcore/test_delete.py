"""Asynchronous deletes: 202 + status Location, polls, outcome, referential integrity."""

from mockxcore import MockServer
from tests.support import HAL, RECEIPT, Api


def test_unreferenced_delete_is_accepted_after_one_202(api: Api) -> None:
    receipt = api.create_ok({"xdm:name": "doomed"})
    response = api.delete(receipt["instanceId"])
    assert response.status_code == 202
    location = response.headers["Location"]
    assert location.startswith("deletions/")
    assert response.headers["Content-Base"].endswith("/data/core/xcore/")
    outcome = api.poll(location)
    assert outcome.status_code == 200
    assert outcome.headers["Content-Type"] == RECEIPT
    body = outcome.json()
    assert body["instanceId"] == receipt["instanceId"]
    assert body["@id"] == receipt["@id"]
    assert "outcome" not in body
    assert api.get(receipt["instanceId"]).status_code == 404
    # The status resource keeps answering with the same outcome.
    again = api.poll(location)
    assert again.status_code == 200 and again.json() == body


def test_referenced_delete_is_rejected_naming_the_referrers(api: Api) -> None:
    target = api.create_ok({"xdm:name": "target"})
    holder = api.create_ok({"xdm:name": "holder", "xdm:related": [target["@id"]]})
    outcome = api.delete_to_outcome(target["instanceId"])
    assert outcome.status_code == 200
    body = outcome.json()
    assert body["outcome"] == "rejected"
    assert [r["instanceId"] for r in body["referencedBy"]] == [holder["instanceId"]]
    assert body["referencedBy"][0]["pointers"] == ["/_instance/xdm:related/0"]
    assert body["errors"][0]["rule"] == "referenced"
    assert api.get(target["instanceId"]).status_code == 200
    # Once the reference is gone the delete goes through.
    api.patch(holder["instanceId"], [{"op": "remove", "path": "/_instance/xdm:related"}])
    assert "outcome" not in api.delete_to_outcome(target["instanceId"]).json()
    assert api.get(target["instanceId"]).status_code == 404


def test_delete_polls_setting_counts_every_202() -> None:
    with MockServer(delete_polls=3) as mock:
        api = Api(mock.url)
        iid = api.create_ok({"xdm:name": "slow"})["instanceId"]
        first = api.delete(iid)
        assert first.status_code == 202
        location = first.headers["Location"]
        statuses = [api.poll(location).status_code for _ in range(4)]
        assert statuses == [202, 202, 200, 200]


def test_unknown_status_id_is_404(api: Api) -> None:
    assert api.poll("deletions/not-a-status").status_code == 404


def test_delete_status_belongs_to_its_tenant(mockxcore: MockServer) -> None:
    mine, theirs = Api(mockxcore.url), Api(mockxcore.url, org="other@AdobeOrg")
    location = mine.delete(mine.create_ok({"xdm:name": "x"})["instanceId"]).headers["Location"]
    assert theirs.poll(location).status_code == 404
    assert mine.poll(location).status_code == 200


def test_a_stale_if_match_refuses_the_delete(api: Api) -> None:
    iid = api.create_ok({"xdm:name": "x"})["instanceId"]
    stale = api.session.delete(api.url(f"/instances/{iid}"), headers={"If-Match": '"7"'})
    assert stale.status_code == 409
    assert stale.headers["ETag"] == '"1"'
    assert api.get(iid).status_code == 200
    fresh = api.session.delete(api.url(f"/instances/{iid}"), headers={"If-Match": '"1"'})
    assert fresh.status_code == 202


def test_a_stale_if_match_refuses_a_container_delete(api: Api) -> None:
    created = api.session.post(
        api.root + "/containers",
        json={"_instance": {"repo:name": "spare"}, "_links": {}},
        headers={
            "Content-Type": HAL + '; schema="https://ns.adobe.com/experience/xcore/container"'
        },
    )
    assert created.status_code == 201, created.text
    url = api.root + "/containers/" + created.json()["instanceId"]
    assert api.session.delete(url, headers={"If-Match": '"9"'}).status_code == 409
    assert api.session.get(url).status_code == 200
