"""The seed tutorial ("Manage Decisioning objects and rules using APIs"), replayed over HTTP.

Every response is also checked against the mock's own OpenAPI document.
"""

from typing import Any

import pytest
import requests

from mockxcore import MockServer
from tests.offers.conftest import (
    ACTIVITY,
    FALLBACK,
    FILTER,
    HTML,
    OFFER,
    PLACEMENT,
    RULE,
    TAG,
    TEXT,
)
from tests.support import HAL, PATCH_HAL, RECEIPT, OpenApiChecker, headers

CONTAINER = "https://ns.adobe.com/experience/xcore/container"
RESULTS = f'{HAL}; schema="https://ns.adobe.com/experience/xcore/hal/results"'


@pytest.mark.mockxcore(delete_polls=2)
def test_seed_tutorial(mockxcore: MockServer) -> None:
    endpoint = mockxcore.url + "/data/core/xcore"
    checker = OpenApiChecker(requests.get(mockxcore.url + "/__admin/openapi.json").json())
    http = requests.Session()
    http.headers.update(headers("tutorial@AdobeOrg", "prod", **{"x-request-id": "tutorial-1"}))
    http.hooks["response"].append(checker.hook)

    # Discover the container through the repository home, filtered on both product contexts.
    home = http.get(
        endpoint + "/?product=dma_offers&product=acp",
        headers={"Accept": "application/vnd.adobe.platform.xcore.home.hal+json"},
    )
    assert home.status_code == 200
    container_id = home.json()["_embedded"][CONTAINER][0]["instanceId"]
    instances = f"{endpoint}/{container_id}/instances"

    def create(schema: str, instance: dict[str, Any]) -> dict[str, Any]:
        response = http.post(
            instances,
            json={"_instance": instance, "_links": {}},
            headers={"Content-Type": f'{HAL}; schema="{schema}"', "Accept": RECEIPT},
        )
        assert response.status_code == 201, response.text
        assert response.headers["x-request-id"] == "tutorial-1"
        body: dict[str, Any] = response.json()
        return body

    def patch(receipt: dict[str, Any], ops: list[Any], schema: str = OFFER) -> requests.Response:
        return http.patch(
            f"{instances}/{receipt['instanceId']}",
            json=ops,
            headers={"Content-Type": f'{PATCH_HAL}; schema="{schema}"', "Accept": RECEIPT},
        )

    def until_outcome(response: requests.Response) -> requests.Response:
        assert response.status_code == 202
        polls = 0
        while response.status_code == 202:
            response = http.get(f"{endpoint}/{response.headers['Location']}")
            polls += 1
        assert polls == 2  # the DELETE's 202, one more 202 on the first poll, then the outcome
        return response

    # A placement, then a fallback with a representation for it.
    placement = create(
        PLACEMENT,
        {
            "xdm:name": "Kiosk Placement 1",
            "xdm:channel": "https://ns.adobe.com/xdm/channels/web",
            "xdm:componentType": "https://ns.adobe.com/experience/offer-management/"
            "content-component-imagelink",
            "xdm:contentTypes": ["image/png", "image/png"],
            "xdm:description": "Generic placeholder for offers in the Kiosk application.",
        },
    )
    text_placement = create(
        PLACEMENT,
        {
            "xdm:name": "Kiosk text line",
            "xdm:channel": "https://ns.adobe.com/xdm/channels/web",
            "xdm:componentType": TEXT,
        },
    )
    fallback = create(
        FALLBACK,
        {
            "xdm:name": "Default for Kiosk Placements",
            "xdm:status": "approved",
            "xdm:representations": [
                {
                    "xdm:placement": placement["@id"],
                    "xdm:components": [
                        {"dc:language": ["en"], "@type": HTML, "dc:format": "text/html"}
                    ],
                }
            ],
        },
    )
    # Tags.
    credit = create(TAG, {"xdm:name": "credit card"})
    upgrade = create(TAG, {"xdm:name": "upgrade"})
    spare = create(TAG, {"xdm:name": "unused"})

    # An offer; then a representation added with a PATCH, as in the tutorial.
    offer = create(
        OFFER,
        {
            "xdm:name": "ABC Bank Credit Card",
            "xdm:status": "draft",
            "xdm:representations": [
                {
                    "xdm:placement": placement["@id"],
                    "xdm:components": [{"@type": HTML, "dc:format": "text/html"}],
                }
            ],
        },
    )
    assert (
        patch(
            offer,
            [
                {
                    "op": "add",
                    "path": "/_instance/xdm:representations/-",
                    "value": {
                        "xdm:placement": text_placement["@id"],
                        "xdm:components": [
                            {
                                "xdm:copyline": "Get what you want!",
                                "@type": TEXT,
                                "dc:format": "text/plain",
                            }
                        ],
                    },
                }
            ],
        ).status_code
        == 200
    )
    # Status: draft -> approved.
    assert (
        patch(
            offer, [{"op": "replace", "path": "/_instance/xdm:status", "value": "approved"}]
        ).status_code
        == 200
    )
    # Calendar constraint.
    assert (
        patch(
            offer,
            [
                {
                    "op": "replace",
                    "path": "/_instance/xdm:selectionConstraint",
                    "value": {
                        "xdm:startDate": "2019-06-13T00:00:00.000Z",
                        "xdm:endDate": "2019-07-13T00:00:00.000Z",
                    },
                }
            ],
        ).status_code
        == 422
    )
    assert (
        patch(
            offer,
            [
                {
                    "op": "add",
                    "path": "/_instance/xdm:selectionConstraint",
                    "value": {
                        "xdm:startDate": "2019-06-13T00:00:00.000Z",
                        "xdm:endDate": "2019-07-13T00:00:00.000Z",
                    },
                }
            ],
        ).status_code
        == 200
    )
    # Capping constraint, then one cap removed on its own.
    assert patch(
        offer,
        [
            {
                "op": "add",
                "path": "/_instance/xdm:cappingConstraint",
                "value": {"xdm:globalCap": 1000000, "xdm:profileCap": 5},
            }
        ],
    ).ok
    assert patch(
        offer, [{"op": "remove", "path": "/_instance/xdm:cappingConstraint/xdm:profileCap"}]
    ).ok
    # Eligibility rule, referenced from the selection constraint.
    rule = create(
        RULE,
        {
            "xdm:name": "Eligible for a free flight upgrade",
            "xdm:condition": {
                "xdm:value": 'membership.status = "elite" and (select e from xEvent where '
                'e.type = "flight" and e.timestamp occurs <= 6 months before now)'
                ".count() > 3",
                "xdm:format": "pql/text",
                "xdm:type": "PQL",
            },
        },
    )
    assert (
        patch(
            offer,
            [
                {
                    "op": "replace",
                    "path": "/_instance/xdm:selectionConstraint/xdm:eligibilityRule",
                    "value": rule["@id"],
                }
            ],
        ).status_code
        == 422
    )  # replace needs it present
    assert patch(
        offer,
        [
            {
                "op": "add",
                "path": "/_instance/xdm:selectionConstraint/xdm:eligibilityRule",
                "value": rule["@id"],
            }
        ],
    ).ok
    # Priority.
    assert patch(
        offer, [{"op": "add", "path": "/_instance/xdm:rank", "value": {"xdm:priority": 5}}]
    ).ok
    assert patch(
        offer, [{"op": "replace", "path": "/_instance/xdm:rank/xdm:priority", "value": 0}]
    ).ok
    # Tags: appending with /- fails while xdm:tags does not exist...
    append = [{"op": "add", "path": "/_instance/xdm:tags/-", "value": credit["@id"]}]
    assert patch(offer, append).status_code == 422
    # ... so the array is added first, in the same patch.
    assert patch(offer, [{"op": "add", "path": "/_instance/xdm:tags", "value": []}, *append]).ok
    assert patch(
        offer, [{"op": "add", "path": "/_instance/xdm:tags/-", "value": upgrade["@id"]}]
    ).ok
    stored = http.get(f"{instances}/{offer['instanceId']}").json()
    assert stored["repo:etag"] == 11
    assert stored["_instance"]["xdm:tags"] == [credit["@id"], upgrade["@id"]]
    assert stored["_instance"]["xdm:cappingConstraint"] == {"xdm:globalCap": 1000000}
    assert stored["_instance"]["xdm:selectionConstraint"]["xdm:eligibilityRule"] == rule["@id"]

    # A filter on all of two tags, and an activity using it.
    all_upgrades = create(
        FILTER,
        {
            "xdm:name": "All Upgrade offers",
            "xdm:filterType": "allTags",
            "ids": [credit["@id"], upgrade["@id"]],
        },
    )
    activity = create(
        ACTIVITY,
        {
            "xdm:name": "Call center IVR Personalization",
            "xdm:startDate": "2019-03-01T05:59:59.999Z",
            "xdm:endDate": "2019-12-27T00:00:00.000Z",
            "xdm:status": "live",
            "xdm:placement": placement["@id"],
            "xdm:filter": all_upgrades["@id"],
            "xdm:fallback": fallback["@id"],
        },
    )

    # List, filter and search what was built.
    listed = http.get(
        instances,
        params={"schema": OFFER, "property": "_instance.xdm:status==approved"},
        headers={"Accept": f"*, {RESULTS}"},
    )
    assert listed.headers["Content-Type"] == RESULTS
    assert [r["instanceId"] for r in listed.json()["_embedded"]["results"]] == [offer["instanceId"]]
    by_id = http.get(instances, params={"schema": ACTIVITY, "id": activity["@id"]}).json()
    assert by_id["_embedded"]["count"] == 1
    found = http.get(
        f"{endpoint}/{container_id}/queries/core/search",
        params={"schema": OFFER, "q": "credit card", "qop": "and"},
    ).json()
    assert found["_embedded"]["results"][0]["instanceId"] == offer["instanceId"]
    tags = http.get(instances, params={"schema": TAG, "orderBy": "-_instance.xdm:name"}).json()
    assert [t["_instance"]["xdm:name"] for t in tags["_embedded"]["results"]] == [
        "upgrade",
        "unused",
        "credit card",
    ]

    # A stale If-Match answers 409 and changes nothing.
    stale = http.patch(
        f"{instances}/{offer['instanceId']}",
        headers={"Content-Type": PATCH_HAL, "If-Match": '"3"'},
        json=[{"op": "replace", "path": "/_instance/xdm:name", "value": "Stale"}],
    )
    assert stale.status_code == 409
    assert http.get(f"{instances}/{offer['instanceId']}").json()["_instance"]["xdm:name"] == (
        "ABC Bank Credit Card"
    )

    # Deleting the referenced placement: 202, 202, then a rejection naming who references it.
    rejected = until_outcome(http.delete(f"{instances}/{placement['instanceId']}"))
    assert rejected.status_code == 200
    holders = {h["instanceId"] for h in rejected.json()["referencedBy"]}
    assert holders == {offer["instanceId"], fallback["instanceId"], activity["instanceId"]}
    assert http.get(f"{instances}/{placement['instanceId']}").status_code == 200

    # Deleting an unreferenced tag: 202, 202, then 200 with the receipt; the tag is gone.
    deleted = until_outcome(http.delete(f"{instances}/{spare['instanceId']}"))
    assert deleted.status_code == 200
    assert deleted.json()["instanceId"] == spare["instanceId"]
    assert http.get(f"{instances}/{spare['instanceId']}").status_code == 404
    assert checker.checked > 30
