"""Helpers for the Target tests: Delivery API calls over HTTP, and Adobe's SDK pointed at a mock.

Adobe's ``target-python-sdk`` 1.1.0 builds a ``delivery_api_client.Configuration`` per call,
but that generated class keeps the first instance made in the process as a default and hands
out copies of it (whatever host is asked for). ``Configuration.set_default`` is therefore the
one reliable way to say where the SDK's Delivery API calls go; every test that uses the SDK
sets it for its own mock first.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import requests
from delivery_api_client import ApiClient, Configuration
from target_python_sdk import TargetClient

DEMO_ORG = "demo@AdobeOrg"
TNT = "0123456789abcdef0123456789abcdef.35_0"


def point_sdk_at(host: str, *, proxy: str | None = None, ca_file: str | None = None) -> None:
    config = Configuration()
    config.host = host
    config.proxy = proxy
    config.ssl_ca_cert = ca_file
    config.verify_ssl = True
    Configuration.set_default(config)


def sdk_client(url: str, **options: Any) -> TargetClient:
    """A TargetClient whose calls reach the mock at ``url`` (see module doc)."""
    point_sdk_at(url)
    settings: dict[str, Any] = {
        "client": "demo",
        "organization_id": DEMO_ORG,
        "telemetry_enabled": False,
        "polling_interval": 0,
    }
    settings.update(options)
    if settings.get("decisioning_method") in ("on-device", "hybrid"):
        settings.setdefault(
            "artifact_location", f"{url}/{settings['client']}/production/v1/rules.json"
        )
        settings.setdefault("target_location_hint", "35")
    return TargetClient.create(settings)


def plain(model: Any) -> Any:
    """An SDK model object as the JSON it stands for (camelCase keys, no nulls)."""
    return ApiClient().sanitize_for_serialization(model)


def deliver(
    url: str,
    body: dict[str, Any],
    *,
    session: str = "session-1",
    client: str | None = "demo",
    headers: dict[str, str] | None = None,
    **query: str,
) -> requests.Response:
    params = {"sessionId": session, **query}
    if client is not None:
        params["client"] = client
    return requests.post(f"{url}/rest/v1/delivery", params=params, json=body, headers=headers)


def web_request(**parts: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"context": {"channel": "web"}}
    body.update(parts)
    return body


def mboxes(*names: str, **details: Any) -> list[dict[str, Any]]:
    return [{"index": i, "name": name, **details} for i, name in enumerate(names, start=1)]


def put_table(url: str, table: dict[str, Any], client: str = "demo") -> requests.Response:
    return requests.put(f"{url}/__admin/target/clients/{client}/table", json=table)


def notifications(url: str, **query: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = requests.get(
        f"{url}/__admin/target/notifications", params=query
    ).json()["notifications"]
    return found


def eventually(check: Callable[[], Any], timeout: float = 5.0) -> Any:
    """Poll until ``check`` returns something truthy (for the SDK's background sends)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.02)
