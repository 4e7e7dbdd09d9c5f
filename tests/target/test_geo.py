"""Geo: the admin table, the SDK's ``/v1/geo`` lookup, and geo-decided deliveries."""

from __future__ import annotations

import pytest
import requests

from mockxcore import MockServer
from tests.target.support import TNT, deliver, mboxes, put_table, web_request

pytestmark = pytest.mark.mockxcore(data="demo")

BASEL = {
    "latitude": 47.5596,
    "longitude": 7.5886,
    "countryCode": "CH",
    "stateCode": "BS",
    "city": "Basel",
    "zip": "4051",
}


def test_geo_lookup_answers_x_geo_values_for_the_forwarded_address(mockxcore: MockServer) -> None:
    url = mockxcore.url
    assert requests.put(f"{url}/__admin/target/geo/198.51.100.4", json=BASEL).json() == BASEL
    response = requests.get(f"{url}/v1/geo", headers={"x-forwarded-for": "198.51.100.4"})
    assert response.json() == {
        "x-forwarded-for": "198.51.100.4",
        "x-geo-latitude": 47.5596,
        "x-geo-longitude": 7.5886,
        "x-geo-country-code": "CH",
        "x-geo-region-code": "BS",
        "x-geo-city": "Basel",
        "x-geo-zip": "4051",
    }
    assert response.headers["x-geo-city"] == "Basel"
    assert response.headers["x-geo-latitude"] == "47.5596"


def test_unknown_addresses_get_an_empty_geo(mockxcore: MockServer) -> None:
    response = requests.get(f"{mockxcore.url}/v1/geo", headers={"x-forwarded-for": "192.0.2.99"})
    assert response.status_code == 200
    assert response.json() == {"x-forwarded-for": "192.0.2.99"}
    assert "x-geo-city" not in response.headers


def test_without_a_forwarded_address_the_callers_own_is_looked_up(mockxcore: MockServer) -> None:
    url = mockxcore.url
    assert requests.put(f"{url}/__admin/target/geo/127.0.0.1", json={"city": "Loopback"}).ok
    assert requests.get(f"{url}/v1/geo").json()["x-geo-city"] == "Loopback"
    artifact = requests.get(f"{url}/demo/production/v1/rules.json")
    assert artifact.headers["x-geo-city"] == "Loopback"


def test_ipv6_addresses_are_normalized(mockxcore: MockServer) -> None:
    url = mockxcore.url
    assert requests.put(f"{url}/__admin/target/geo/2001:DB8:0:0::1", json={"city": "Six"}).ok
    assert requests.get(f"{url}/__admin/target/geo").json()["geo"]["2001:db8::1"] == {"city": "Six"}
    looked = requests.get(f"{url}/v1/geo", headers={"x-forwarded-for": "2001:db8::1"})
    assert looked.json()["x-geo-city"] == "Six"
    assert requests.delete(f"{url}/__admin/target/geo/2001:db8::1").status_code == 204
    assert requests.delete(f"{url}/__admin/target/geo/2001:db8::1").status_code == 404


def test_bad_geo_entries_are_refused(mockxcore: MockServer) -> None:
    url = mockxcore.url
    assert requests.put(f"{url}/__admin/target/geo/not-an-ip", json=BASEL).status_code == 400
    bad = requests.put(f"{url}/__admin/target/geo/10.1.1.1", json={"countryCode": "CHE"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["pointer"] == "/countryCode"
    typo = requests.put(f"{url}/__admin/target/geo/10.1.1.1", json={"country": "CH"})
    assert typo.status_code == 422


def test_deliveries_with_an_ip_address_are_decided_with_its_geo(mockxcore: MockServer) -> None:
    url = mockxcore.url
    table = {
        "responseTokens": ["activity.id", "geo.city", "geo.country", "geo.state"],
        "activities": [
            {
                "mbox": "local-offer",
                "type": "xt",
                "experiences": [
                    {
                        "audience": {"attribute": "geo.country", "equals": "CH"},
                        "options": [{"type": "html", "content": "Grüezi"}],
                    },
                    {"options": [{"type": "html", "content": "Hello"}]},
                ],
            }
        ],
    }
    assert put_table(url, table).ok
    assert requests.get(f"{url}/demo/production/v1/rules.json").json()["geoTargetingEnabled"]
    assert requests.put(f"{url}/__admin/target/geo/198.51.100.4", json=BASEL).ok

    def option(geo: dict[str, object] | None) -> dict[str, object]:
        context: dict[str, object] = {"channel": "web"}
        if geo is not None:
            context["geo"] = geo
        request = web_request(
            id={"tntId": TNT}, context=context, execute={"mboxes": mboxes("local-offer")}
        )
        found: dict[str, object] = deliver(url, request).json()["execute"]["mboxes"][0]["options"][
            0
        ]
        return found

    swiss = option({"ipAddress": "198.51.100.4"})
    assert swiss["content"] == "Grüezi"
    assert swiss["responseTokens"] == {
        "activity.id": 100001,
        "activity.decisioningMethod": "server-side",
        "geo.city": "Basel",
        "geo.country": "CH",
        "geo.state": "BS",
    }
    assert option({"ipAddress": "192.0.2.1"})["content"] == "Hello"
    assert option({"countryCode": "CH", "ipAddress": "192.0.2.1"})["content"] == "Grüezi"
    assert option(None)["content"] == "Hello"
    assert requests.put(f"{url}/__admin/target/geo/127.0.0.1", json=BASEL).ok
    assert option(None)["content"] == "Grüezi"  # geo targeting on: the caller's address
