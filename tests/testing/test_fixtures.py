"""The pytest fixtures: marker options, the shared server, and isolation under xdist."""

import pytest

FIXTURE_USER = """
import pytest
import requests

H = {"Authorization": "Bearer t", "x-api-key": "k", "x-gw-ims-org-id": "o@AdobeOrg",
     "x-sandbox-name": "prod"}
T = "https://ns.adobe.com/experience/offer-management/tag"


def tags(server):
    root = server.url + "/data/core/xcore"
    cid = requests.get(root + "/", headers=H).json()["_embedded"][
        "https://ns.adobe.com/experience/xcore/container"][0]["instanceId"]
    listed = requests.get(f"{root}/{cid}/instances", params={"schema": T}, headers=H).json()
    return cid, [r["_instance"]["xdm:name"] for r in listed["_embedded"]["results"]]


def add_tag(server, name):
    cid, _ = tags(server)
    response = requests.post(
        f"{server.url}/data/core/xcore/{cid}/instances",
        json={"_instance": {"xdm:name": name}, "_links": {}},
        headers={**H, "Content-Type":
                 f'application/vnd.adobe.platform.xcore.hal+json; schema="{T}"'})
    assert response.status_code == 201


@pytest.mark.parametrize("n", range(12))
def test_own_server(mockxcore, n):
    assert tags(mockxcore)[1] == []
    add_tag(mockxcore, f"tag {n}")
    assert tags(mockxcore)[1] == [f"tag {n}"]


@pytest.mark.parametrize("n", range(12))
def test_shared_server(mockxcore_shared, n):
    assert tags(mockxcore_shared)[1] == []
    add_tag(mockxcore_shared, f"tag {n}")
    assert tags(mockxcore_shared)[1] == [f"tag {n}"]
"""


def test_isolated_under_xdist(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_isolation=FIXTURE_USER)
    result = pytester.runpytest_subprocess("-n", "4", "-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=24)


def test_marker_options_and_shared_options(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import pytest

        @pytest.fixture(scope="session")
        def mockxcore_shared_options():
            return {"auth": "off", "latency": "50ms"}
        """
    )
    pytester.makepyfile(
        """
        import time
        import pytest
        import requests

        @pytest.mark.mockxcore(latency="120ms", data="demo", seed=7, auth="off")
        def test_marker(mockxcore):
            assert mockxcore.config.seed == 7
            started = time.perf_counter()
            home = requests.get(mockxcore.url + "/data/core/xcore/").json()
            assert time.perf_counter() - started >= 0.12
            [c] = home["_embedded"]["https://ns.adobe.com/experience/xcore/container"]
            assert c["_instance"]["repo:name"] == "Demo decisioning container"

        def test_shared(mockxcore_shared):
            started = time.perf_counter()
            assert requests.get(mockxcore_shared.url + "/data/core/xcore/").ok
            assert time.perf_counter() - started >= 0.05
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
