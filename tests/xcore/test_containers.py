"""Home document, product-context filter, containers CRUD and the automatic container."""

import pytest
import requests

from mockxcore import MockServer
from tests.support import CONTAINER, HAL, RECEIPT, Api, headers

HOME = "application/vnd.adobe.platform.xcore.home.hal+json"
CONTAINER_TYPE = f'{HAL}; schema="{CONTAINER}"'


def create_container(api: Api, name: str, contexts: list[str]) -> requests.Response:
    return api.session.post(
        api.root + "/containers",
        json={"_instance": {"repo:name": name}, "_links": {}, "productContexts": contexts},
        headers={"Content-Type": CONTAINER_TYPE, "Accept": RECEIPT},
    )


def home_ids(api: Api, *products: str) -> list[str]:
    response = api.session.get(
        api.root + "/", params=[("product", p) for p in products], headers={"Accept": HOME}
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == HOME
    return [c["instanceId"] for c in response.json()["_embedded"][CONTAINER]]


def test_a_new_org_and_sandbox_gets_one_default_container(api: Api) -> None:
    response = api.session.get(api.root + "/")
    body = response.json()
    [container] = body["_embedded"][CONTAINER]
    assert container["productContexts"] == ["dma_offers", "acp"]
    assert container["schemas"] == [f"{CONTAINER};version=0.1"]
    assert container["_links"]["self"]["href"] == f"/containers/{container['instanceId']}"
    assert body["_links"]["self"]["href"] == "/"
    # Stable: the same id on a fresh server with the same seed.
    with MockServer() as other:
        assert Api(other.url).container == container["instanceId"]


def test_no_auto_container() -> None:
    with MockServer(auto_container=False) as mock:
        api = Api(mock.url)
        assert api.session.get(api.root + "/").json()["_embedded"][CONTAINER] == []


def test_product_filter_is_a_repeatable_union(api: Api) -> None:
    default = api.container
    only_acp = create_container(api, "acp only", ["acp"]).json()["instanceId"]
    other = create_container(api, "journeys", ["ajo"]).json()["instanceId"]
    assert set(home_ids(api)) == {default, only_acp, other}
    assert set(home_ids(api, "dma_offers")) == {default}
    assert set(home_ids(api, "acp")) == {default, only_acp}
    assert set(home_ids(api, "dma_offers", "ajo")) == {default, other}
    assert home_ids(api, "nothing") == []


def test_container_crud(api: Api) -> None:
    created = create_container(api, "Mine", ["acp"])
    assert created.status_code == 201
    cid = created.json()["instanceId"]
    assert created.headers["Location"] == f"containers/{cid}"
    read = api.session.get(f"{api.root}/containers/{cid}")
    assert read.status_code == 200
    assert read.json()["_instance"] == {"repo:name": "Mine"}
    assert read.headers["ETag"] == '"1"'
    listed = api.session.get(api.root + "/containers").json()
    assert cid in [c["instanceId"] for c in listed["_embedded"]["results"]]
    updated = api.session.put(
        f"{api.root}/containers/{cid}",
        json={"_instance": {"repo:name": "Renamed"}, "_links": {}},
        headers={"Content-Type": CONTAINER_TYPE, "If-Match": '"1"'},
    )
    assert updated.status_code == 200 and updated.json()["repo:etag"] == 2
    stale = api.session.put(
        f"{api.root}/containers/{cid}",
        json={"_instance": {"repo:name": "Again"}, "_links": {}},
        headers={"Content-Type": CONTAINER_TYPE, "If-Match": '"1"'},
    )
    assert stale.status_code == 409
    deleted = api.session.delete(f"{api.root}/containers/{cid}")
    assert deleted.status_code == 202
    assert api.poll(deleted.headers["Location"]).status_code == 200
    assert api.session.get(f"{api.root}/containers/{cid}").status_code == 404


def test_a_container_with_instances_is_not_deleted(api: Api) -> None:
    api.create_ok({"xdm:name": "keep me"})
    deleted = api.session.delete(f"{api.root}/containers/{api.container}")
    outcome = api.poll(deleted.headers["Location"]).json()
    assert outcome["outcome"] == "rejected"
    assert api.session.get(f"{api.root}/containers/{api.container}").status_code == 200


@pytest.mark.mockxcore(strict=False)  # sends invalid requests on purpose
def test_container_body_is_validated(api: Api) -> None:
    response = api.session.post(
        api.root + "/containers",
        json={"_instance": {}, "_links": {}},
        headers={"Content-Type": CONTAINER_TYPE},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/_instance/repo:name"


def test_containers_are_per_org_and_sandbox(mockxcore: MockServer) -> None:
    a = Api(mockxcore.url, org="a@AdobeOrg")
    b = Api(mockxcore.url, org="b@AdobeOrg")
    a_dev = Api(mockxcore.url, org="a@AdobeOrg", sandbox="dev")
    assert len({a.container, b.container, a_dev.container}) == 3
    iid = a.create_ok({"xdm:name": "secret"})["instanceId"]
    for other in (b, a_dev):
        # Another tenant can neither see the container nor the instance.
        assert other.session.get(f"{a.root}/{a.container}/instances/{iid}").status_code == 404
        assert other.session.get(f"{a.root}/containers/{a.container}").status_code == 404
    assert (
        requests.get(
            f"{a.root}/{a.container}/instances/{iid}", headers=headers("a@AdobeOrg")
        ).status_code
        == 200
    )
