"""Contract verdicts: recorded for every request; strict mode answers violations with 400;
the pytest fixture fails a test whose client broke the contracts."""

import pytest
import requests

from mockxcore import MockServer
from tests.support import HAL, TEST_ITEM, Api, headers


@pytest.mark.mockxcore(strict=False)
def test_every_request_gets_a_verdict_in_the_journal(mockxcore: MockServer) -> None:
    api = Api(mockxcore.url)
    api.create_ok({"xdm:name": "fine"})
    api.create({"xdm:name": 5})
    requests.get(mockxcore.url + "/data/core/xcore/", headers={"x-api-key": "k"})
    verdicts = [(e["method"], e["status"], e["verdict"]["valid"]) for e in mockxcore.journal]
    assert verdicts == [
        ("GET", 200, True),
        ("POST", 201, True),
        ("POST", 422, False),
        ("GET", 401, False),
    ]
    body_violation = mockxcore.journal[2]["verdict"]["violations"][0]
    assert body_violation["pointer"] == "/_instance/xdm:name"
    assert body_violation["schemaPath"].endswith("/properties/xdm:name/type")
    missing = {v["pointer"] for v in mockxcore.journal[3]["verdict"]["violations"]}
    assert missing == {
        "/headers/Authorization",
        "/headers/x-gw-ims-org-id",
        "/headers/x-sandbox-name",
    }
    # Over HTTP too.
    journal = requests.get(mockxcore.url + "/__admin/journal").json()
    assert [e["verdict"]["valid"] for e in journal] == [True, True, False, False]


def test_strict_mode_answers_violations_with_400_naming_pointer_and_schema_path() -> None:
    with MockServer(strict=True) as mock:
        api = Api(mock.url)
        response = api.create({"xdm:name": 5, "xdm:priority": -1})
        assert response.status_code == 400
        body = response.json()
        assert body["type"] == "urn:mockxcore:problem:contract-violation"
        pointers = {e["pointer"] for e in body["errors"]}
        assert pointers == {"/_instance/xdm:name", "/_instance/xdm:priority"}
        assert all("schema: /paths/" in e["message"] for e in body["errors"])
        assert {v["schemaPath"].rsplit("/", 1)[-1] for v in body["violations"]} == {
            "type",
            "minimum",
        }
        # Nothing was stored, and a valid request still works.
        assert api.list().json()["_embedded"]["total"] == 0
        assert api.create({"xdm:name": "ok"}).status_code == 201
        wrong_type = api.session.post(
            api.url("/instances"), data=b"{}", headers={"Content-Type": "text/plain"}
        )
        assert wrong_type.status_code == 400
        assert wrong_type.json()["errors"][0]["pointer"] == "/headers/Content-Type"
        missing = requests.get(
            mock.url + "/data/core/xcore/", headers={**headers(), "x-sandbox-name": ""} | {}
        )
        assert missing.status_code in (400, 403)


def test_lenient_mode_answers_normally(mockxcore_lenient: MockServer) -> None:
    api = Api(mockxcore_lenient.url)
    assert api.create({"xdm:name": 5}).status_code == 422
    assert mockxcore_lenient.journal[-1]["verdict"]["valid"] is False


@pytest.fixture
def mockxcore_lenient() -> MockServer:
    with MockServer() as mock:
        yield mock  # type: ignore[misc]


def test_the_fixture_fails_a_test_whose_client_broke_the_contracts(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        f"""
        import pytest
        import requests

        H = {headers()!r}

        def test_bad_client(mockxcore):
            cid = requests.get(mockxcore.url + "/data/core/xcore/", headers=H).json()[
                "_embedded"]["https://ns.adobe.com/experience/xcore/container"][0]["instanceId"]
            requests.post(f"{{mockxcore.url}}/data/core/xcore/{{cid}}/instances",
                          json={{"_instance": {{"xdm:name": 7}}}},
                          headers={{**H, "Content-Type": '{HAL}; schema="{TEST_ITEM}"'}})

        @pytest.mark.mockxcore(strict=False)
        def test_opted_out(mockxcore):
            requests.get(mockxcore.url + "/data/core/xcore/")

        def test_good_client(mockxcore):
            assert requests.get(mockxcore.url + "/data/core/xcore/", headers=H).ok
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*1 request(s) broke the mockxcore contracts*",
            "*POST /data/core/xcore/*/instances -> 422*",
            "*/_links: '_links' is a required property*",
            "*/_instance/xdm:name: 7 is not of type 'string'*",
        ]
    )
