"""HAL documents of the repository API, built from records and pages (pure rendering).

Links are relative to the repository root (``/data/core/xcore``) and start with a slash,
exactly as in Adobe's examples: ``/{containerId}/instances/{instanceId}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from mockxcore.contracts import CONTAINER_SCHEMA, RESULTS_SCHEMA
from mockxcore.store import Page, Record

ROOT = "/data/core/xcore"


def self_href(container_id: str, record: Record) -> str:
    if record.schema == CONTAINER_SCHEMA:
        return f"/containers/{record.instance_id}"
    return f"/{container_id}/instances/{record.instance_id}"


def hal_document(record: Record, container_id: str) -> dict[str, Any]:
    """What a read returns and what a patch addresses: envelope, ``_instance``, ``_links``."""
    doc = record.envelope()
    doc["_instance"] = record.instance
    self_link = {"name": record.uri or record.instance_id, "href": self_href(container_id, record)}
    doc["_links"] = {"self": self_link, **record.links}
    return doc


def home_document(containers: list[Record]) -> dict[str, Any]:
    return {
        "_embedded": {CONTAINER_SCHEMA: [hal_document(c, c.instance_id) for c in containers]},
        "_links": {"self": {"href": "/"}},
    }


def results_document(
    page: Page,
    *,
    container_id: str,
    path: str,
    params: Mapping[str, list[str]],
    schema: str | None,
    request_time: str,
) -> dict[str, Any]:
    """A list or search page: ``_embedded.results``/``count``/``total`` and self/next links."""

    def href(start: str | None) -> str:
        pairs = [(k, v) for k, values in params.items() if k != "start" for v in values]
        if start is not None:
            pairs.append(("start", start))
        query = urlencode(pairs, safe=":/,@")
        return f"{path}?{query}" if query else path

    links: dict[str, Any] = {
        "self": {
            "href": href(params["start"][0] if params.get("start") else None),
            "@type": RESULTS_SCHEMA,
        },
    }
    if page.next_start is not None:
        links["next"] = {"href": href(page.next_start), "@type": RESULTS_SCHEMA}
    body: dict[str, Any] = {
        "requestTime": request_time,
        "_embedded": {
            "results": [hal_document(r, container_id) for r in page.items],
            "total": page.total,
            "count": len(page.items),
        },
        "_links": links,
        "containerId": container_id,
    }
    if schema is not None:
        body["schemaNs"] = schema
    return body
