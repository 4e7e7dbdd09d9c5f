"""Orgs and sandboxes never see each other's containers, instances, profiles, caps, decision
events or journal entries, under any sequence of operations."""

from __future__ import annotations

from typing import Any

import requests
from hypothesis import given
from hypothesis import strategies as st

from mockxcore import MockServer
from tests.support import Api, headers

TENANTS = [
    ("a@AdobeOrg", "prod"),
    ("a@AdobeOrg", "dev"),
    ("b@AdobeOrg", "prod"),
    ("b@AdobeOrg", "dev"),
]
operations = st.lists(
    st.tuples(st.integers(0, 3), st.sampled_from(["create", "profile", "decide", "container"])),
    min_size=1,
    max_size=20,
)


@given(operations)
def test_tenants_never_see_each_other(ops: list[tuple[int, str]]) -> None:
    with MockServer() as mock:
        apis = [Api(mock.url, org, sandbox) for org, sandbox in TENANTS]
        made: dict[int, dict[str, set[str]]] = {
            n: {"instances": set(), "profiles": set(), "containers": set()} for n in range(4)
        }
        for n, action in ops:
            api = apis[n]
            own = headers(*TENANTS[n])
            if action == "create":
                made[n]["instances"].add(api.create_ok({"xdm:name": f"t{n}"})["instanceId"])
            elif action == "profile":
                who = f"person-{len(made[n]['profiles'])}"
                assert requests.put(
                    f"{mock.url}/__admin/profiles/Email/{who}",
                    json={"attributes": {"tenant": n}},
                    headers=own,
                ).ok
                made[n]["profiles"].add(who)
            elif action == "container":
                response = api.session.post(
                    api.root + "/containers",
                    json={"_instance": {"repo:name": f"c{n}"}, "_links": {}},
                    headers={
                        "Content-Type": "application/vnd.adobe.platform.xcore.hal+json; "
                        'schema="https://ns.adobe.com/experience/xcore/container"'
                    },
                )
                made[n]["containers"].add(response.json()["instanceId"])
            else:
                requests.post(
                    f"{mock.url}/data/core/ode/{api.container}/decisions",
                    headers=own,
                    json={
                        "xdm:offerActivities": ["xcore:offer-activity:000000000000001"],
                        "xdm:identityMap": {"Email": [{"xdm:id": "x"}]},
                    },
                )
        for n, api in enumerate(apis):
            own = headers(*TENANTS[n])
            home = api.session.get(api.root + "/").json()
            containers = {
                c["instanceId"]
                for c in home["_embedded"]["https://ns.adobe.com/experience/xcore/container"]
            }
            assert containers == {api.container} | made[n]["containers"]
            listed = {r["instanceId"] for r in api.list().json()["_embedded"]["results"]}
            assert listed == made[n]["instances"]
            for m, other in enumerate(apis):
                if m == n:
                    continue
                # Another tenant's container and instances are simply not there.
                assert (
                    api.session.get(f"{api.root}/containers/{other.container}").status_code == 404
                )
                for iid in made[m]["instances"]:
                    assert (
                        api.session.get(f"{api.root}/{other.container}/instances/{iid}").status_code
                        == 404
                    )
                for who in made[m]["profiles"] - made[n]["profiles"]:
                    assert (
                        requests.get(
                            f"{mock.url}/__admin/profiles/Email/{who}", headers=own
                        ).status_code
                        == 404
                    )
            events: list[Any] = requests.get(mock.url + "/__admin/decisions", headers=own).json()
            assert all(e["containerId"] == api.container for e in events)
            journal = requests.get(mock.url + "/__admin/journal", headers=own).json()
            assert all(
                e["headers"]["x-gw-ims-org-id"] == TENANTS[n][0]
                and e["headers"]["x-sandbox-name"] == TENANTS[n][1]
                for e in journal
            )
            for who in made[n]["profiles"]:
                assert requests.get(f"{mock.url}/__admin/profiles/Email/{who}", headers=own).json()[
                    "attributes"
                ] == {"tenant": n}


def test_target_clients_never_decide_from_another_organizations_activities() -> None:
    """The delivery path: a decision-scope mbox reaches only the Target client's own
    organization, whatever the client was registered with and whatever imsOrgId it sends."""
    from mockxcore.target.scopes import encode_scope

    demo = ("demo@AdobeOrg", "prod")
    scope = encode_scope(
        "xcore:offer-activity:8b4e09dad92c7d6", "xcore:offer-placement:2e844967857dd86", 2
    )
    body = {"context": {"channel": "web"}, "execute": {"mboxes": [{"index": 1, "name": scope}]}}
    registrations: dict[str, dict[str, str]] = {
        "other": {"organizationId": "b@AdobeOrg"},
        "bare": {},
    }
    with MockServer(data="demo") as mock:
        delivery = mock.url + "/rest/v1/delivery"
        for code, registration in registrations.items():
            assert requests.put(f"{mock.url}/__admin/target/clients/{code}", json=registration).ok
            own = registration.get("organizationId")
            for ims_org in (None, demo[0], "b@AdobeOrg", "c@AdobeOrg"):
                query = {"client": code, "sessionId": "s"}
                if ims_org is not None:
                    query["imsOrgId"] = ims_org
                response = requests.post(delivery, params=query, json=body)
                refused = own is not None and ims_org not in (None, own)
                assert response.status_code == (400 if refused else 200), response.text
                if not refused:
                    assert "options" not in response.json()["execute"]["mboxes"][0]
                events = requests.get(f"{mock.url}/__admin/decisions", headers=headers(*demo))
                assert events.json() == []
        answer = requests.post(delivery, params={"client": "demo", "sessionId": "s"}, json=body)
        assert len(answer.json()["execute"]["mboxes"][0]["options"]) == 2
