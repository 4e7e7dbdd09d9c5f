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
