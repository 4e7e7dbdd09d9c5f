"""MockServer as a sync and async context manager, its controls, and the pytest fixture."""

import asyncio

import aiohttp
import pytest
import requests

from mockxcore import MockServer
from tests.support import Api, headers


def test_sync_context_manager_serves_and_stops() -> None:
    with MockServer() as mock:
        assert mock.url.startswith("http://127.0.0.1:")
        assert requests.get(mock.url + "/__admin/health").json()["status"] == "ok"
        url = mock.url
    with pytest.raises(requests.ConnectionError):
        requests.get(url + "/__admin/health", timeout=2)


def test_async_context_manager_serves_from_the_callers_loop() -> None:
    async def scenario() -> tuple[int, int]:
        async with MockServer() as mock, aiohttp.ClientSession(headers=headers()) as session:
            async with session.get(mock.url + "/data/core/xcore/") as response:
                home = response.status
            mock.reset()  # called on the serving loop itself: runs directly
            async with session.get(mock.url + "/__admin/health") as response:
                return home, response.status

    assert asyncio.run(scenario()) == (200, 200)


def test_two_servers_have_their_own_ports_and_state() -> None:
    with MockServer() as one, MockServer() as two:
        assert one.url != two.url
        Api(one.url).create_ok({"xdm:name": "only in one"})
        assert Api(two.url).list().json()["_embedded"]["count"] == 0
        assert Api(one.url).list().json()["_embedded"]["count"] == 1


def test_reset_returns_to_the_start_up_data() -> None:
    tag = "https://ns.adobe.com/experience/offer-management/tag"
    with MockServer(data="demo") as mock:
        api = Api(mock.url, org="demo@AdobeOrg")
        before = api.list(schema=tag).json()["_embedded"]["total"]
        api.create_ok({"xdm:name": "temporary"}, schema=tag)
        assert api.list(schema=tag).json()["_embedded"]["total"] == before + 1
        mock.reset()
        assert api.list(schema=tag).json()["_embedded"]["total"] == before
        # Reset over HTTP does the same.
        api.create_ok({"xdm:name": "temporary"}, schema=tag)
        assert requests.post(mock.url + "/__admin/reset").status_code == 200
        assert api.list(schema=tag).json()["_embedded"]["total"] == before


def test_reset_replays_the_same_ids() -> None:
    with MockServer(seed=42) as mock:
        api = Api(mock.url)
        first = api.create_ok({"xdm:name": "x"})
        mock.reset()
        again = api.create_ok({"xdm:name": "x"})
        assert (first["instanceId"], first["@id"]) == (again["instanceId"], again["@id"])


def test_fixture_is_registered_and_honours_the_marker(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        import requests

        H = {"Authorization": "Bearer t", "x-api-key": "k",
             "x-gw-ims-org-id": "demo@AdobeOrg", "x-sandbox-name": "prod"}

        def test_plain(mockxcore):
            home = requests.get(mockxcore.url + "/data/core/xcore/", headers=H).json()
            assert len(home["_embedded"]["https://ns.adobe.com/experience/xcore/container"]) == 1

        @pytest.mark.mockxcore(auth="off", data="demo")
        def test_marker(mockxcore):
            home = requests.get(mockxcore.url + "/data/core/xcore/").json()
            [c] = home["_embedded"]["https://ns.adobe.com/experience/xcore/container"]
            assert c["_instance"]["repo:name"] == "Demo decisioning container"

        def test_isolated(mockxcore):
            assert mockxcore.export_state()["tenants"] == []
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


def test_decisioning_and_target_controls_match_their_endpoints() -> None:
    from mockxcore.target import scopes
    from tests.target.support import deliver, mboxes, web_request
    from tests.target.test_artifact import ARTIFACT

    with MockServer(data="demo") as mock:
        stored = mock.put_profile("Email", "ann@example.com", {"attributes": {"tier": "gold"}})
        over_http = requests.get(mock.url + "/__admin/profiles/Email/ann@example.com").json()
        assert over_http == stored == mock.profile("Email", "ann@example.com")
        assert mock.delete_profile("Email", "ann@example.com") == stored
        assert requests.get(mock.url + "/__admin/profiles/Email/ann@example.com").status_code == 404

        scope = scopes.encode_scope(
            "xcore:offer-activity:8b4e09dad92c7d6", "xcore:offer-placement:2e844967857dd86", 2
        )
        request = web_request(
            execute={"mboxes": mboxes(scope)},
            notifications=[{"id": "n1", "type": "display", "timestamp": 1, "tokens": ["t"]}],
        )
        assert deliver(mock.url, request).status_code == 200
        events = mock.decisions()
        assert events and events == requests.get(mock.url + "/__admin/decisions").json()
        mock.clear_decisions()
        assert requests.get(mock.url + "/__admin/decisions").json() == []
        assert [n["id"] for n in mock.notifications(type="display")] == ["n1"]
        assert mock.notifications(type="click") == []

        summary = mock.load_artifact("hand", ARTIFACT)
        assert summary["source"] == "artifact"
        served = requests.get(mock.url + "/hand/production/v1/rules.json").json()
        assert served["rules"] == ARTIFACT["rules"]
        table = {
            "activities": [
                {"mbox": "m", "experiences": [{"options": [{"type": "html", "content": "t"}]}]}
            ]
        }
        assert mock.load_table("tabled", table)["source"] == "table"
        mock.set_geo("203.0.113.9", {"city": "Lisbon", "countryCode": "PT"})
        geo = requests.get(mock.url + "/v1/geo", headers={"x-forwarded-for": "203.0.113.9"})
        assert geo.json()["x-geo-city"] == "Lisbon"
