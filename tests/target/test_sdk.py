"""Adobe's own target-python-sdk against the mock: server-side, on-device and hybrid.

The SDK is used exactly as the seed documents show (``TargetClient.create``, ``get_offers``,
``send_notifications``, ``get_attributes``); only its Delivery API host is set (see
``support.point_sdk_at``) and, for on-device decisioning, its ``artifact_location``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from delivery_api_client import (
    Address,
    ChannelType,
    Context,
    DeliveryRequest,
    ExecuteRequest,
    MboxRequest,
    Notification,
    NotificationMbox,
    PrefetchRequest,
    ViewRequest,
    VisitorId,
)

from mockxcore import MockServer
from tests.target.support import (
    TNT,
    eventually,
    notifications,
    plain,
    sdk_client,
)

pytestmark = pytest.mark.mockxcore(data="demo")


def _request(
    *names: str, prefetch: tuple[str, ...] = (), tnt: str | None = TNT, **context: Any
) -> DeliveryRequest:
    return DeliveryRequest(
        id=VisitorId(tnt_id=tnt) if tnt else None,
        context=Context(channel=ChannelType.WEB, **context),
        execute=ExecuteRequest(
            mboxes=[MboxRequest(name=n, index=i) for i, n in enumerate(names, 1)]
        )
        if names
        else None,
        prefetch=PrefetchRequest(
            mboxes=[MboxRequest(name=n, index=i) for i, n in enumerate(prefetch, 1)]
        )
        if prefetch
        else None,
    )


def _sent_for(url: str, tnt: str, mbox: str) -> list[dict[str, Any]]:
    """Display notifications the SDK sent (from a background thread) for one visitor."""
    return [n for n in notifications(url, mbox=mbox) if n["visitor"].get("tntId") == tnt]


def _options(response: dict[str, Any], mode: str = "execute") -> dict[str, list[Any]]:
    part = getattr(response["response"], mode)
    return {m.name: plain(m.options or []) for m in part.mboxes}


def test_server_side_execute_and_prefetch(mockxcore: MockServer) -> None:
    client = sdk_client(mockxcore.url)
    response = client.get_offers(
        {"request": _request("hero-banner", "account-summary", prefetch=("checkout-config",))}
    )
    assert response["meta"]["decisioning_method"] == "server-side"
    executed = _options(response)
    assert executed["hero-banner"][0]["content"].startswith('<div class="hero"')
    assert executed["hero-banner"][0]["responseTokens"]["activity.decisioningMethod"] == (
        "server-side"
    )
    assert executed["account-summary"][0]["content"]["tier"] == "gold"
    (prefetched,) = _options(response, "prefetch")["checkout-config"]
    assert prefetched["eventToken"]
    assert "onePageCheckout" in prefetched["content"]
    assert response["response"].client == "demo"
    assert response["response"].id.tnt_id == TNT


def test_two_calls_for_one_visitor_keep_its_tnt_id(mockxcore: MockServer) -> None:
    url = mockxcore.url
    assert requests.put(f"{url}/__admin/target/clients/demo", json={"cluster": "31"}).ok
    client = sdk_client(url)
    first = client.get_offers({"request": _request("hero-banner", tnt=None)})
    tnt = first["response"].id.tnt_id
    assert tnt.endswith(".31_0")
    assert first["target_location_hint_cookie"] == {
        "name": "mboxEdgeCluster",
        "value": "31",
        "maxAge": 1860,
    }
    assert f"PC#{tnt}#" in first["target_cookie"]["value"]
    second = client.get_offers(
        {
            "request": _request("hero-banner", tnt=None),
            "target_cookie": first["target_cookie"]["value"],
        }
    )
    assert second["response"].id.tnt_id == tnt
    assert second["response"].edge_host == "mboxedge31.tt.omtrdc.net"
    assert _options(second) == _options(first)  # same visitor, same experience
    third = client.get_offers({"request": _request("hero-banner", tnt=None)})
    assert third["response"].id.tnt_id != tnt  # no cookie: a new visitor
    # all three calls reached the mock; the second carried the tntId from the cookie
    sent = [
        entry["body"] if isinstance(entry["body"], dict) else json.loads(entry["body"])
        for entry in mockxcore.journal
        if entry["path"] == "/rest/v1/delivery"
    ]
    assert [body.get("id", {}).get("tntId") for body in sent] == [None, tnt, None]


def test_send_notifications_reach_the_mock(mockxcore: MockServer) -> None:
    client = sdk_client(mockxcore.url)
    request = DeliveryRequest(
        id=VisitorId(tnt_id=TNT),
        context=Context(channel=ChannelType.WEB),
        notifications=[
            Notification(
                id="sdk-note-1",
                type="display",
                timestamp=1_700_000_000_000,
                tokens=["token-from-prefetch"],
                mbox=NotificationMbox(name="checkout-config"),
            )
        ],
    )
    response = client.send_notifications({"request": request, "session_id": "sdk-session"})
    assert [n.id for n in response["response"].notifications] == ["sdk-note-1"]
    (kept,) = notifications(mockxcore.url, sessionId="sdk-session")
    assert kept["tokens"] == ["token-from-prefetch"]
    assert kept["mbox"] == {"name": "checkout-config"}


def test_get_attributes_reads_json_offers(mockxcore: MockServer) -> None:
    client = sdk_client(mockxcore.url)
    attributes = client.get_attributes(["checkout-config"], {"request": _request(tnt=TNT)})
    assert attributes.get_value("checkout-config", "maxItems") == 25
    assert isinstance(attributes.get_value("checkout-config", "onePageCheckout"), bool)
    assert attributes.as_object("checkout-config")["paymentMethods"]


def test_on_device_decides_locally_from_the_mocks_artifact(mockxcore: MockServer) -> None:
    url = mockxcore.url
    client = sdk_client(url, decisioning_method="on-device")
    artifact = client.decisioning_engine.get_raw_artifact()
    assert artifact == requests.get(f"{url}/demo/production/v1/rules.json").json()

    visitor = "0ddba11c0ffee0ddba11c0ffee0ddba1.35_0"
    request = _request(
        "hero-banner", "welcome-message", tnt=visitor, address=Address(url="https://a.com/")
    )
    local = client.get_offers({"request": request})
    remote = client.get_offers({"request": request, "decisioning_method": "server-side"})
    assert local["meta"]["decisioning_method"] == "on-device"
    local_hero = _options(local)["hero-banner"][0]
    assert local_hero["responseTokens"]["activity.decisioningMethod"] == "on-device"
    for mbox, options in _options(local).items():
        for mine, theirs in zip(options, _options(remote)[mbox], strict=True):
            mine["responseTokens"].pop("activity.decisioningMethod")
            theirs["responseTokens"].pop("activity.decisioningMethod")
            assert mine == theirs

    # Executing on-device, the SDK reports what it showed with display notifications.
    rule = next(
        r
        for r in artifact["rules"]["mboxes"]["hero-banner"]
        if r["meta"]["experience.name"] == local_hero["responseTokens"]["experience.name"]
    )
    expected = rule["consequence"]["options"][0]["eventToken"]
    sent = eventually(lambda: _sent_for(url, visitor, "hero-banner"))
    assert sent and sent[0]["type"] == "display"
    assert sent[0]["tokens"] == [expected]


def test_hybrid_asks_the_server_for_remote_mboxes_only(mockxcore: MockServer) -> None:
    client = sdk_client(mockxcore.url, decisioning_method="hybrid")
    mixed = client.get_offers({"request": _request("hero-banner", "account-summary")})
    assert mixed["meta"] == {
        "decisioning_method": "hybrid",
        "remote_mboxes": ["account-summary"],
        "remote_views": [],
    }
    answered = _options(mixed)
    assert answered["account-summary"][0]["content"]["points"] == 12840
    assert answered["hero-banner"][0]["responseTokens"]["activity.decisioningMethod"] == (
        "server-side"
    )
    local = client.get_offers({"request": _request("hero-banner")})
    assert local["meta"]["remote_mboxes"] == []
    assert (
        _options(local)["hero-banner"][0]["responseTokens"]["activity.decisioningMethod"]
        == "on-device"
    )
    assert eventually(lambda: _sent_for(mockxcore.url, TNT, "hero-banner"))


def test_on_device_views_match_server_side(mockxcore: MockServer) -> None:
    client = sdk_client(mockxcore.url, decisioning_method="on-device")
    request = DeliveryRequest(
        id=VisitorId(tnt_id=TNT),
        context=Context(channel=ChannelType.WEB),
        prefetch=PrefetchRequest(views=[ViewRequest(name="home")]),
    )
    local = plain(client.get_offers({"request": request})["response"].prefetch.views)
    remote = plain(
        client.get_offers({"request": request, "decisioning_method": "server-side"})[
            "response"
        ].prefetch.views
    )
    for views in (local, remote):
        for view in views:
            for option in view["options"]:
                option["responseTokens"].pop("activity.decisioningMethod")
    assert local == remote
    assert local[0]["name"] == "home"


def test_every_kind_of_visitor_id_is_allocated_alike(mockxcore: MockServer) -> None:
    """Allocation hashes the id the visitor gave: tntId, Marketing Cloud id or third-party id."""
    client = sdk_client(mockxcore.url, decisioning_method="on-device")
    kinds = (
        [{"tnt_id": f"{n:032x}.35_0"} for n in range(15)]
        + [{"third_party_id": f"crm-{n}"} for n in range(15)]
        + [{"marketing_cloud_visitor_id": f"{n:020d}"} for n in range(15)]
    )
    seen = set()
    for ids in kinds:
        request = DeliveryRequest(
            id=VisitorId(**ids),
            context=Context(channel=ChannelType.WEB),
            prefetch=PrefetchRequest(mboxes=[MboxRequest(name="checkout-config", index=1)]),
        )
        local = _options(client.get_offers({"request": request}), "prefetch")
        remote = _options(
            client.get_offers({"request": request, "decisioning_method": "server-side"}),
            "prefetch",
        )
        assert (
            local["checkout-config"][0]["eventToken"] == remote["checkout-config"][0]["eventToken"]
        ), ids
        seen.add(local["checkout-config"][0]["eventToken"])
    assert len(seen) == 2  # both experiences were reached
