"""Shared helpers for tests: Adobe's headers and a small requests-based repository client."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import requests
from aiohttp import web

from mockxcore.app import build_app
from mockxcore.config import Config
from mockxcore.conformance import Conformance, parse_body
from mockxcore.runner import Runner
from mockxcore.state import MockState
from mockxcore.testing.server import _LoopThread

TEST_ITEM = "https://ns.adobe.com/experience/mockxcore/test-item"
CONTAINER = "https://ns.adobe.com/experience/xcore/container"
XCORE = "application/vnd.adobe.platform.xcore."
HAL = XCORE + "hal+json"
PATCH_HAL = XCORE + "patch.hal+json"
RECEIPT = XCORE + "xdm.receipt+json"


def headers(org: str = "test@AdobeOrg", sandbox: str = "prod", **extra: str) -> dict[str, str]:
    base = {
        "Authorization": "Bearer test-token",
        "x-api-key": "test-client",
        "x-gw-ims-org-id": org,
        "x-sandbox-name": sandbox,
    }
    base.update(extra)
    return base


def hal_type(schema: str = TEST_ITEM) -> str:
    return f'{HAL}; schema="{schema}"'


class Api:
    """The repository API of one mock, as one org + sandbox sees it."""

    def __init__(self, url: str, org: str = "test@AdobeOrg", sandbox: str = "prod") -> None:
        self.root = url + "/data/core/xcore"
        self.session = requests.Session()
        self.session.headers.update(headers(org, sandbox))
        self._container: str | None = None

    @property
    def container(self) -> str:
        if self._container is None:
            home = self.session.get(self.root + "/").json()
            self._container = home["_embedded"][CONTAINER][0]["instanceId"]
        return self._container

    def url(self, path: str) -> str:
        return f"{self.root}/{self.container}{path}"

    def create(
        self, instance: dict[str, Any], schema: str = TEST_ITEM, links: dict[str, Any] | None = None
    ) -> requests.Response:
        return self.session.post(
            self.url("/instances"),
            json={"_instance": instance, "_links": links or {}},
            headers={"Content-Type": hal_type(schema), "Accept": RECEIPT},
        )

    def create_ok(self, instance: dict[str, Any], schema: str = TEST_ITEM) -> dict[str, Any]:
        response = self.create(instance, schema)
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    def get(self, instance_id: str, **hdrs: str) -> requests.Response:
        return self.session.get(self.url(f"/instances/{instance_id}"), headers=hdrs)

    def put(
        self, instance_id: str, body: Any, schema: str = TEST_ITEM, if_match: str | None = None
    ) -> requests.Response:
        extra = {"Content-Type": hal_type(schema)}
        if if_match is not None:
            extra["If-Match"] = if_match
        return self.session.put(self.url(f"/instances/{instance_id}"), json=body, headers=extra)

    def patch(self, instance_id: str, ops: Any, if_match: str | None = None) -> requests.Response:
        extra = {"Content-Type": PATCH_HAL}
        if if_match is not None:
            extra["If-Match"] = if_match
        return self.session.patch(self.url(f"/instances/{instance_id}"), json=ops, headers=extra)

    def delete(self, instance_id: str) -> requests.Response:
        return self.session.delete(self.url(f"/instances/{instance_id}"))

    def poll(self, location: str) -> requests.Response:
        return self.session.get(f"{self.root}/{location}")

    def delete_to_outcome(self, instance_id: str, max_polls: int = 20) -> requests.Response:
        response = self.delete(instance_id)
        assert response.status_code == 202, response.text
        location = response.headers["Location"]
        for _ in range(max_polls):
            response = self.poll(location)
            if response.status_code != 202:
                return response
        raise AssertionError(f"delete of {instance_id} never reached an outcome")

    def list(self, **params: Any) -> requests.Response:
        params.setdefault("schema", TEST_ITEM)
        return self.session.get(self.url("/instances"), params=params)

    def search(self, **params: Any) -> requests.Response:
        return self.session.get(self.url("/queries/core/search"), params=params)

    def follow(self, href: str) -> requests.Response:
        return self.session.get(self.root + href)

    def all_pages(self, **params: Any) -> list[dict[str, Any]]:
        """Every item of a list, following ``_links.next``."""
        response = self.list(**params)
        items: list[dict[str, Any]] = []
        for _ in range(10_000):
            assert response.status_code == 200, response.text
            body = response.json()
            items.extend(body["_embedded"]["results"])
            nxt = body["_links"].get("next")
            if nxt is None:
                return items
            response = self.follow(nxt["href"])
        raise AssertionError("paging did not end")


class OpenApiChecker:
    """A ``requests`` response hook checking real answers against the OpenAPI document the
    mock publishes (with :class:`mockxcore.conformance.Conformance`, the checker of strict
    mode and ``verify``), counting what it checked.
    """

    def __init__(self, document: dict[str, Any]) -> None:
        self.conformance = Conformance(document)
        self.checked = 0

    def check(self, response: requests.Response) -> None:
        request = response.request
        path = urlsplit(request.url).path
        problems = self.conformance.check_response(
            str(request.method),
            path,
            response.status_code,
            response.headers,
            parse_body(response.content),
        )
        assert not problems, (
            f"{request.method} {path} {response.status_code}: {problems[0].to_dict()}"
        )
        self.checked += 1

    def hook(self, response: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
        self.check(response)
        return response


@contextmanager
def served(*middlewares: Any) -> Iterator[str]:
    """A mock app with ``middlewares`` added outermost, served on a loopback port: a stand-in
    for a real service that behaves differently (moved, broken) in one way."""
    loop = _LoopThread.loop()
    config = Config()
    app = build_app(config, MockState(config))
    app.middlewares[:0] = middlewares

    async def start() -> Runner:
        runner = Runner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        return runner

    runner = asyncio.run_coroutine_threadsafe(start(), loop).result()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result()
