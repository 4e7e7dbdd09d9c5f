"""Real concurrent clients (at least 50 requests in flight) against one mock."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from mockxcore import MockServer
from tests.support import HAL, PATCH_HAL, TEST_ITEM, headers

N = 60
OM = "https://ns.adobe.com/experience/offer-management/"


class Client:
    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        self.session = session
        self.root = url + "/data/core/xcore"
        self.container = ""

    async def start(self) -> Client:
        async with self.session.get(self.root + "/") as response:
            home = await response.json()
        self.container = home["_embedded"]["https://ns.adobe.com/experience/xcore/container"][0][
            "instanceId"
        ]
        return self

    async def create(self, instance: dict[str, Any], schema: str = TEST_ITEM) -> tuple[int, Any]:
        async with self.session.post(
            f"{self.root}/{self.container}/instances",
            json={"_instance": instance, "_links": {}},
            headers={"Content-Type": f'{HAL}; schema="{schema}"'},
        ) as response:
            return response.status, await response.json()

    async def patch(self, iid: str, ops: list[Any], if_match: str | None = None) -> tuple[int, Any]:
        extra = {"Content-Type": PATCH_HAL}
        if if_match:
            extra["If-Match"] = if_match
        async with self.session.patch(
            f"{self.root}/{self.container}/instances/{iid}", json=ops, headers=extra
        ) as response:
            return response.status, await response.json()

    async def get(self, iid: str) -> Any:
        async with self.session.get(f"{self.root}/{self.container}/instances/{iid}") as response:
            return await response.json()

    async def delete_outcome(self, iid: str) -> Any:
        async with self.session.delete(f"{self.root}/{self.container}/instances/{iid}") as response:
            location = response.headers["Location"]
        while True:
            async with self.session.get(f"{self.root}/{location}") as response:
                if response.status == 200:
                    return await response.json()
                if response.status != 202:
                    return {"status": response.status}

    async def page(self, **params: Any) -> Any:
        async with self.session.get(
            f"{self.root}/{self.container}/instances", params={"schema": TEST_ITEM, **params}
        ) as response:
            assert response.status == 200
            return await response.json()


def run(scenario: Any) -> Any:
    async def main() -> Any:
        async with MockServer() as mock:
            connector = aiohttp.TCPConnector(limit=200)
            async with aiohttp.ClientSession(headers=headers(), connector=connector) as session:
                return await scenario(mock, await Client(session, mock.url).start())

    return asyncio.run(main())


def test_same_if_match_exactly_one_wins() -> None:
    async def scenario(mock: MockServer, client: Client) -> None:
        _, receipt = await client.create({"xdm:name": "contended"})
        iid = receipt["instanceId"]
        results = await asyncio.gather(
            *(
                client.patch(
                    iid,
                    [{"op": "replace", "path": "/_instance/xdm:name", "value": f"writer {n}"}],
                    if_match='"1"',
                )
                for n in range(N)
            )
        )
        statuses = sorted(status for status, _ in results)
        assert statuses == [200] + [409] * (N - 1)
        [winner] = [n for n, (status, _) in enumerate(results) if status == 200]
        doc = await client.get(iid)
        assert doc["_instance"]["xdm:name"] == f"writer {winner}"
        assert doc["repo:etag"] == 2

    run(scenario)


def test_unconditional_appends_lose_nothing() -> None:
    async def scenario(mock: MockServer, client: Client) -> None:
        _, receipt = await client.create({"xdm:name": "list", "xdm:labels": []})
        iid = receipt["instanceId"]
        results = await asyncio.gather(
            *(
                client.patch(
                    iid, [{"op": "add", "path": "/_instance/xdm:labels/-", "value": f"label {n}"}]
                )
                for n in range(N)
            )
        )
        assert all(status == 200 for status, _ in results)
        doc = await client.get(iid)
        assert sorted(doc["_instance"]["xdm:labels"]) == sorted(f"label {n}" for n in range(N))
        assert doc["repo:etag"] == N + 1
        assert sorted(body["repo:etag"] for _, body in results) == list(range(2, N + 2))

    run(scenario)


def test_paging_under_concurrent_writes_sees_every_survivor_once() -> None:
    async def scenario(mock: MockServer, client: Client) -> None:
        survivors = [
            (await client.create({"xdm:name": f"stable {n:03d}"}))[1]["instanceId"]
            for n in range(40)
        ]
        doomed = [
            (await client.create({"xdm:name": f"doomed {n:03d}"}))[1]["instanceId"]
            for n in range(30)
        ]

        async def churn() -> None:
            await asyncio.gather(
                *(client.create({"xdm:name": f"new {n:03d}"}) for n in range(30)),
                *(client.delete_outcome(iid) for iid in doomed),
            )

        async def walk() -> list[str]:
            seen: list[str] = []
            body = await client.page(limit=3)
            while True:
                seen += [r["instanceId"] for r in body["_embedded"]["results"]]
                nxt = body["_links"].get("next")
                if nxt is None:
                    return seen
                async with client.session.get(client.root + nxt["href"]) as response:
                    body = await response.json()

        walks = await asyncio.gather(churn(), *(walk() for _ in range(20)))
        for seen in walks[1:]:
            assert len(seen) == len(set(seen)), "an instance was visited twice"
            assert set(survivors) <= set(seen), "an instance that existed throughout was missed"

    run(scenario)


@pytest.mark.parametrize("round_", range(3))
def test_delete_racing_a_new_reference_never_dangles(round_: int) -> None:
    async def scenario(mock: MockServer, client: Client) -> None:
        targets = [(await client.create({"xdm:name": f"t{n}"}))[1] for n in range(N)]

        async def reference(target: dict[str, Any]) -> tuple[int, Any]:
            return await client.create({"xdm:name": "holder", "xdm:related": [target["@id"]]})

        outcomes = await asyncio.gather(
            *(
                coro
                for t in targets
                for coro in (reference(t), client.delete_outcome(t["instanceId"]))
            )
        )
        state = mock.export_state()
        [tenant] = [t for t in state["tenants"] if t["org"] == "test@AdobeOrg"]
        instances = tenant["containers"][0]["instances"]
        alive = {i["_instance"]["@id"] for i in instances}
        for item in instances:
            for uri in item["_instance"].get("xdm:related", []):
                assert uri in alive, f"{item['instanceId']} references deleted {uri}"
        for n in range(N):
            created, deleted = outcomes[2 * n], outcomes[2 * n + 1]
            # Either the reference won (the delete was rejected) or the delete won (the
            # reference was refused): never both accepted.
            assert (created[0] == 201) != (deleted.get("outcome") != "rejected")

    run(scenario)


def test_global_cap_holds_under_concurrent_decisions() -> None:
    cap = 7

    async def scenario(mock: MockServer, client: Client) -> None:
        async def make(kind: str, body: dict[str, Any]) -> str:
            status, receipt = await client.create(body, OM + kind)
            assert status == 201, receipt
            return str(receipt["@id"])

        component = {"@type": OM + "content-component-text", "xdm:copyline": "x"}
        placement = await make(
            "offer-placement",
            {
                "xdm:name": "p",
                "xdm:channel": "https://ns.adobe.com/xdm/channels/web",
                "xdm:componentType": OM + "content-component-text",
            },
        )
        rep = [{"xdm:placement": placement, "xdm:components": [component]}]
        tag = await make("tag", {"xdm:name": "t"})
        await make(
            "personalized-offer",
            {
                "xdm:name": "capped",
                "xdm:status": "approved",
                "xdm:representations": rep,
                "xdm:tags": [tag],
                "xdm:cappingConstraint": {"xdm:globalCap": cap},
            },
        )
        fallback = await make(
            "fallback-offer",
            {"xdm:name": "f", "xdm:status": "approved", "xdm:representations": rep},
        )
        filt = await make(
            "offer-filter", {"xdm:name": "f", "xdm:filterType": "anyTags", "ids": [tag]}
        )
        activity = await make(
            "offer-activity",
            {
                "xdm:name": "a",
                "xdm:status": "live",
                "xdm:placement": placement,
                "xdm:filter": filt,
                "xdm:fallback": fallback,
            },
        )

        async def decide(n: int) -> bool:
            async with client.session.post(
                f"{mock.url}/data/core/ode/{client.container}/decisions",
                json={
                    "xdm:offerActivities": [activity],
                    "xdm:identityMap": {"Email": [{"xdm:id": f"p{n}"}]},
                },
            ) as response:
                body = await response.json()
            return bool(body["xdm:propositions"][0]["xdm:options"])

        won = await asyncio.gather(*(decide(n) for n in range(N)))
        assert sum(won) == cap

    run(scenario)
