"""Shared helpers for tests: Adobe's headers and a small requests-based repository client."""

from __future__ import annotations

from typing import Any

import requests

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
    """Checks real responses against the OpenAPI document the mock publishes.

    Finds the operation by method and path template, the response by status, the media type
    by the response's Content-Type essence, and validates the JSON body against its schema.
    """

    def __init__(self, document: dict[str, Any]) -> None:
        import re

        from jsonschema import Draft202012Validator
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012

        self.document = document
        resource = Resource.from_contents(document, default_specification=DRAFT202012)
        self._registry = Registry().with_resource("urn:openapi", resource)
        self._validator_class = Draft202012Validator
        self._routes = [
            (re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"), template)
            for template in document["paths"]
        ]
        self.checked = 0

    def operation(self, method: str, path: str) -> dict[str, Any]:
        for pattern, template in self._routes:
            if pattern.match(path):
                operations = self.document["paths"][template]
                if method.lower() in operations:
                    found: dict[str, Any] = operations[method.lower()]
                    return found
        raise AssertionError(f"{method} {path} is not in the OpenAPI document")

    def _pointer(self, method: str, path: str, status: str, media: str) -> str:
        template = next(
            t
            for p, t in self._routes
            if p.match(path) and method.lower() in self.document["paths"][t]
        )
        parts = ["paths", template, method.lower(), "responses", status, "content", media, "schema"]
        return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)

    def check(self, response: requests.Response) -> None:
        from urllib.parse import urlsplit

        request = response.request
        path = urlsplit(request.url).path
        operation = self.operation(str(request.method), path)
        spec = operation["responses"].get(str(response.status_code))
        assert spec is not None, (
            f"{request.method} {path} answered {response.status_code}, "
            f"which the document does not list: {response.text[:300]}"
        )
        content = spec.get("content")
        if not content:
            return
        essence = response.headers.get("Content-Type", "").split(";")[0].strip()
        media = next((m for m in content if m.split(";")[0].strip() == essence), None)
        assert media is not None, f"{path}: Content-Type {essence} not documented"
        location = self._pointer(str(request.method), path, str(response.status_code), media)
        validator = self._validator_class(
            {"$ref": "urn:openapi#" + location}, registry=self._registry
        )
        errors = sorted(validator.iter_errors(response.json()), key=lambda e: e.path)
        assert not errors, f"{request.method} {path} {response.status_code}: {errors[0]}"
        self.checked += 1

    def hook(self, response: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
        self.check(response)
        return response
