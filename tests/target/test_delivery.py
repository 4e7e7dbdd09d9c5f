"""The Delivery API over real HTTP: envelope, ids, execute/prefetch, notifications, errors."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
import requests

from mockxcore import MockServer
from mockxcore.jsonbody import MAX_DEPTH
from mockxcore.target import scopes
from tests.support import OpenApiChecker, headers
from tests.target.support import (
    DEMO_ORG,
    TNT,
    deliver,
    mboxes,
    notifications,
    put_table,
    web_request,
)

pytestmark = pytest.mark.mockxcore(data="demo")

TNT_FORMAT = re.compile(r"^[0-9a-f]{32}\.35_0$")


def test_envelope_of_a_first_call_has_new_ids_shaped_like_targets(mockxcore: MockServer) -> None:
    body = deliver(mockxcore.url, web_request(execute={"mboxes": mboxes("hero-banner")})).json()
    assert body["status"] == 200
    assert body["client"] == "demo"
    assert TNT_FORMAT.match(body["id"]["tntId"])
    assert body["edgeHost"] == "mboxedge35.tt.omtrdc.net"
    assert uuid.UUID(body["requestId"]).version == 4


def test_given_ids_and_request_id_are_echoed_and_the_hint_picks_the_edge(
    mockxcore: MockServer,
) -> None:
    visitor = {"tntId": "feedfacefeedfacefeedfacefeedface.28_0", "thirdPartyId": "crm-42"}
    body = deliver(mockxcore.url, web_request(id=visitor, requestId="req-1")).json()
    assert body["id"] == visitor
    assert body["requestId"] == "req-1"
    assert body["edgeHost"] == "mboxedge28.tt.omtrdc.net"


def test_a_visitor_known_by_another_id_keeps_one_tnt_id(mockxcore: MockServer) -> None:
    first = deliver(mockxcore.url, web_request(id={"thirdPartyId": "crm-7"})).json()
    again = deliver(mockxcore.url, web_request(id={"thirdPartyId": "crm-7"})).json()
    other = deliver(mockxcore.url, web_request(id={"marketingCloudVisitorId": "m-1"})).json()
    assert first["id"]["thirdPartyId"] == "crm-7"
    assert TNT_FORMAT.match(first["id"]["tntId"])
    assert first["id"]["tntId"] == again["id"]["tntId"] != other["id"]["tntId"]


def test_generated_ids_come_from_the_seed() -> None:
    def ids(seed: int) -> list[str]:
        with MockServer(data="demo", seed=seed) as mock:
            answers = [deliver(mock.url, web_request()).json() for _ in range(2)]
        return [a["id"]["tntId"] for a in answers] + [a["requestId"] for a in answers]

    assert ids(5) == ids(5)
    assert ids(5) != ids(6)


def test_execute_drops_event_tokens_and_prefetch_keeps_them(mockxcore: MockServer) -> None:
    request = web_request(
        id={"tntId": TNT},
        execute={"mboxes": mboxes("hero-banner")},
        prefetch={"mboxes": mboxes("hero-banner")},
    )
    body = deliver(mockxcore.url, request).json()
    executed = body["execute"]["mboxes"][0]
    prefetched = body["prefetch"]["mboxes"][0]
    assert executed["options"][0]["type"] == "html"
    assert "eventToken" not in executed["options"][0]
    assert executed["metrics"] == [
        {
            "type": "click",
            "selector": "#hero-cta",
            "eventToken": executed["metrics"][0]["eventToken"],
        }
    ]
    assert prefetched["options"][0]["eventToken"]
    assert prefetched["options"][0]["content"] == executed["options"][0]["content"]
    assert "metrics" not in prefetched


def test_an_unknown_mbox_is_answered_without_options(mockxcore: MockServer) -> None:
    body = deliver(mockxcore.url, web_request(execute={"mboxes": mboxes("no-such-mbox")})).json()
    assert body["execute"]["mboxes"] == [{"index": 1, "name": "no-such-mbox"}]


def test_the_same_visitor_always_gets_the_same_experience_and_traffic_splits(
    mockxcore: MockServer,
) -> None:
    def content(visitor: str) -> str:
        request = web_request(id={"tntId": visitor}, execute={"mboxes": mboxes("checkout-config")})
        option = deliver(mockxcore.url, request).json()["execute"]["mboxes"][0]["options"][0]
        return "one-page" if option["content"]["onePageCheckout"] else "classic"

    visitors = [f"{n:032x}.35_0" for n in range(200)]
    first = [content(v) for v in visitors]
    assert first == [content(v) for v in visitors]
    share = first.count("one-page") / len(first)  # the demo splits 30 / 70
    assert 0.18 < share < 0.42


def test_response_tokens_carry_what_the_artifact_lists(mockxcore: MockServer) -> None:
    request = web_request(id={"tntId": TNT}, execute={"mboxes": mboxes("hero-banner")})
    tokens = deliver(mockxcore.url, request).json()["execute"]["mboxes"][0]["options"][0][
        "responseTokens"
    ]
    assert tokens["activity.id"] == 300101
    assert tokens["activity.decisioningMethod"] == "server-side"
    assert tokens["offer.name"].startswith("Hero - ")
    table = {
        "responseTokens": ["activity.id"],
        "activities": [
            {"mbox": "m", "experiences": [{"options": [{"type": "html", "content": "x"}]}]}
        ],
    }
    assert put_table(mockxcore.url, table).status_code == 200
    request = web_request(execute={"mboxes": mboxes("m")})
    option = deliver(mockxcore.url, request).json()["execute"]["mboxes"][0]["options"][0]
    assert option["responseTokens"] == {
        "activity.id": 100001,
        "activity.decisioningMethod": "server-side",
    }


def test_views_and_the_page_load(mockxcore: MockServer) -> None:
    request = web_request(
        id={"tntId": TNT},
        context={"channel": "web", "address": {"url": "https://shop.example.com/sale/shoes"}},
        execute={"pageLoad": {}},
        prefetch={"views": [{}], "pageLoad": {}},
    )
    body = deliver(mockxcore.url, request).json()
    page = body["execute"]["pageLoad"]
    assert page["options"][0]["type"] == "actions"
    assert "Sale ends Sunday" in page["options"][0]["content"][0]["content"]
    assert "eventToken" in body["prefetch"]["pageLoad"]["options"][0]
    (view,) = body["prefetch"]["views"]
    assert view["name"] == "home"
    assert view["options"][0]["type"] == "actions"
    assert view["options"][0]["eventToken"]
    assert view["metrics"][0]["selector"] == "#home-hero > a"
    named = deliver(mockxcore.url, web_request(prefetch={"views": [{"name": "home"}]})).json()
    assert [v["name"] for v in named["prefetch"]["views"]] == ["home"]
    other = deliver(mockxcore.url, web_request(prefetch={"views": [{"name": "cart"}]})).json()
    assert other["prefetch"]["views"] == []
    elsewhere = web_request(
        context={"channel": "web", "address": {"url": "https://shop.example.com/"}},
        execute={"pageLoad": {}},
    )
    assert "options" not in deliver(mockxcore.url, elsewhere).json()["execute"]["pageLoad"]


def test_notifications_are_acknowledged_and_kept(mockxcore: MockServer) -> None:
    sent = [
        {
            "id": "n-1",
            "type": "display",
            "timestamp": 1_700_000_000_000,
            "tokens": ["tok-a"],
            "mbox": {"name": "hero-banner"},
        },
        {
            "id": "n-2",
            "type": "click",
            "timestamp": 1_700_000_000_001,
            "tokens": ["tok-b"],
            "mbox": {"name": "welcome-message"},
        },
    ]
    body = deliver(
        mockxcore.url, web_request(id={"tntId": TNT}, notifications=sent), session="s-notify"
    ).json()
    assert body["notifications"] == [{"id": "n-1"}, {"id": "n-2"}]
    kept = notifications(mockxcore.url, sessionId="s-notify")
    assert [(n["id"], n["type"], n["tokens"]) for n in kept] == [
        ("n-1", "display", ["tok-a"]),
        ("n-2", "click", ["tok-b"]),
    ]
    assert kept[0]["client"] == "demo" and kept[0]["visitor"] == {"tntId": TNT}
    assert [n["id"] for n in notifications(mockxcore.url, mbox="welcome-message")] == ["n-2"]
    assert [n["id"] for n in notifications(mockxcore.url, type="display")] == ["n-1"]
    assert requests.delete(mockxcore.url + "/__admin/target/notifications").status_code == 204
    assert notifications(mockxcore.url) == []


def test_analytics_payloads_only_for_client_side_logging(mockxcore: MockServer) -> None:
    def mbox(logging: str) -> dict[str, object]:
        request = web_request(
            id={"tntId": TNT},
            experienceCloud={"analytics": {"logging": logging}},
            execute={"mboxes": mboxes("hero-banner")},
        )
        answer: dict[str, object] = deliver(mockxcore.url, request).json()["execute"]["mboxes"][0]
        return answer

    payload = mbox("client_side")["analytics"]["payload"]  # type: ignore[index]
    assert payload["pe"] == "tnt"
    assert payload["tnta"].startswith("300101:")
    assert "analytics" not in mbox("server_side")


def test_trace_only_when_asked(mockxcore: MockServer) -> None:
    request = web_request(
        id={"tntId": TNT},
        execute={"mboxes": mboxes("welcome-message", parameters={"loyalty": "gold"})},
    )
    assert "trace" not in deliver(mockxcore.url, request).json()["execute"]["mboxes"][0]
    request["trace"] = {"authorizationToken": "token"}
    trace = deliver(mockxcore.url, request, session="s-trace").json()["execute"]["mboxes"][0][
        "trace"
    ]
    assert trace["clientCode"] == "demo"
    assert trace["request"]["sessionId"] == "s-trace"
    assert trace["request"]["mbox"]["name"] == "welcome-message"
    assert trace["profile"]["visitorId"]["tntId"] == TNT.split(".")[0]
    assert [c["id"] for c in trace["campaigns"]] == [300301]
    assert trace["campaigns"][0]["branchId"] == 0
    assert trace["evaluatedCampaignTargets"][0]["context"]["mbox"]["loyalty"] == "gold"


def test_beacon_requests_get_no_content(mockxcore: MockServer) -> None:
    request = web_request(
        notifications=[{"id": "b-1", "type": "display", "timestamp": 1, "tokens": ["t"]}]
    )
    request["context"]["beacon"] = True
    response = deliver(mockxcore.url, request, session="s-beacon")
    assert response.status_code == 204
    assert response.content == b""
    assert [n["id"] for n in notifications(mockxcore.url, sessionId="s-beacon")] == ["b-1"]


def test_campaign_macros_are_replaced(mockxcore: MockServer) -> None:
    html = (
        "${campaign.id}|${campaign.name}|${campaign.recipe.name}|${offer.name}|"
        "${mbox.name}|${mbox.color}|${mbox.missing}"
    )
    table = {
        "activities": [
            {
                "id": 77,
                "name": "Colors",
                "mbox": "swatch",
                "experiences": [
                    {
                        "name": "Only",
                        "offer": {"id": 5, "name": "Swatch offer"},
                        "options": [{"type": "html", "content": html}],
                    }
                ],
            }
        ]
    }
    assert put_table(mockxcore.url, table).status_code == 200
    request = web_request(execute={"mboxes": mboxes("swatch", parameters={"color": "teal"})})
    content = deliver(mockxcore.url, request).json()["execute"]["mboxes"][0]["options"][0][
        "content"
    ]
    assert content == "77|Colors|Only|Swatch offer|swatch|teal|${mbox.missing}"


def test_property_tokens_scope_activities(mockxcore: MockServer) -> None:
    table = {
        "activities": [
            {
                "mbox": "scoped",
                "propertyTokens": ["prop-1"],
                "experiences": [{"options": [{"type": "html", "content": "for prop-1"}]}],
            }
        ]
    }
    assert put_table(mockxcore.url, table).status_code == 200

    def options(prop: str | None) -> list[object]:
        request = web_request(execute={"mboxes": mboxes("scoped")})
        if prop:
            request["property"] = {"token": prop}
        found: list[object] = (
            deliver(mockxcore.url, request).json()["execute"]["mboxes"][0].get("options", [])
        )
        return found

    assert options(None) == []
    assert options("prop-2") == []
    assert len(options("prop-1")) == 1


def test_remote_mboxes_are_answered_and_listed_as_remote(mockxcore: MockServer) -> None:
    url = mockxcore.url
    content = {"options": [{"type": "json", "content": {"balance": 3}}]}
    assert requests.put(f"{url}/__admin/target/clients/demo/mboxes/wallet", json=content).ok
    request = web_request(
        execute={"mboxes": mboxes("wallet")}, prefetch={"mboxes": mboxes("wallet")}
    )
    body = deliver(url, request).json()
    assert body["execute"]["mboxes"][0]["options"] == [
        {
            "type": "json",
            "content": {"balance": 3},
            "responseTokens": {"activity.decisioningMethod": "server-side"},
        }
    ]
    assert body["prefetch"]["mboxes"][0]["options"][0]["eventToken"]
    artifact = requests.get(f"{url}/demo/production/v1/rules.json").json()
    assert "wallet" in artifact["remoteMboxes"]
    assert "account-summary" in artifact["remoteMboxes"]
    assert "wallet" not in artifact["localMboxes"]
    listed = requests.get(f"{url}/__admin/target/clients/demo/remote").json()
    assert listed["mboxes"]["wallet"] == content
    assert requests.delete(f"{url}/__admin/target/clients/demo/mboxes/wallet").status_code == 204
    assert (
        "wallet" not in requests.get(f"{url}/demo/production/v1/rules.json").json()["remoteMboxes"]
    )
    assert "options" not in deliver(url, request).json()["execute"]["mboxes"][0]
    view = {
        "options": [
            {"type": "actions", "content": [{"type": "setHtml", "selector": "h1", "content": "Hi"}]}
        ]
    }
    assert requests.put(f"{url}/__admin/target/clients/demo/views/account", json=view).ok
    views = deliver(url, web_request(prefetch={"views": [{"name": "account"}]})).json()
    assert views["prefetch"]["views"][0]["options"][0]["content"][0]["content"] == "Hi"


@pytest.mark.parametrize(
    "option",
    [
        {"type": "html", "content": {"a": 1}},
        {"type": "redirect", "content": ["https://example.com"]},
        {"type": "actions", "content": "setHtml"},
        {"type": "json", "content": "not an object"},
    ],
)
def test_remote_content_must_have_the_shape_its_type_says(
    mockxcore: MockServer, option: dict[str, Any]
) -> None:
    url = f"{mockxcore.url}/__admin/target/clients/demo/mboxes/wallet"
    refused = requests.put(url, json={"options": [option]})
    assert refused.status_code == 422, refused.text
    assert "/options/0/content" in refused.text
    assert (
        requests.get(f"{mockxcore.url}/__admin/target/clients/demo/remote")
        .json()
        .get("mboxes", {})
        .get("wallet")
        is None
    )


@pytest.mark.parametrize(
    "option",
    [
        {"type": "dynamic", "content": "https://cdn.example.com/offer.json"},
        {"type": "redirect", "content": "https://example.com/sale"},
    ],
)
def test_dynamic_and_redirect_options_are_answered(
    mockxcore: MockServer, option: dict[str, Any]
) -> None:
    url = mockxcore.url
    assert requests.put(
        f"{url}/__admin/target/clients/demo/mboxes/wallet", json={"options": [option]}
    ).ok
    body = deliver(url, web_request(execute={"mboxes": mboxes("wallet")})).json()
    answered = body["execute"]["mboxes"][0]["options"][0]
    assert (answered["type"], answered["content"]) == (option["type"], option["content"])


def test_decision_scope_mboxes_are_answered_from_the_repository(mockxcore: MockServer) -> None:
    hero = "xcore:offer-placement:2e844967857dd86"
    live = scopes.encode_scope("xcore:offer-activity:8b4e09dad92c7d6", hero, 2)
    draft = scopes.encode_scope(
        "xcore:offer-activity:201f063848a58c5", "xcore:offer-placement:b938451e325faa6"
    )
    request = web_request(execute={"mboxes": mboxes(live, draft)})
    answered = deliver(mockxcore.url, request, imsOrgId="demo@AdobeOrg").json()["execute"]["mboxes"]
    options = answered[0]["options"]
    assert len(options) == 2
    assert all(o["type"] == "json" for o in options)
    assert all(o["content"]["id"].startswith("xcore:personalized-offer:") for o in options)
    assert all(o["content"]["placementId"] == hero for o in options)
    assert "options" not in answered[1]  # a draft activity proposes nothing

    state = mockxcore.export_state()
    offers = {
        i["_instance"]["@id"]: i["_instance"]
        for t in state["tenants"]
        for c in t["containers"]
        for i in c["instances"]
        if i["_instance"].get("@id", "").startswith("xcore:personalized-offer:")
    }
    priorities = [offers[o["content"]["id"]]["xdm:rank"]["xdm:priority"] for o in options]
    assert priorities == sorted(priorities, reverse=True)
    assert all(offers[o["content"]["id"]]["xdm:status"] == "approved" for o in options)


@pytest.mark.mockxcore(strict=False)  # sends what the contracts refuse, on purpose
def test_answers_conform_to_the_published_contract(mockxcore: MockServer) -> None:
    checker = OpenApiChecker(requests.get(mockxcore.url + "/__admin/openapi.json").json())
    session = requests.Session()
    session.hooks["response"].append(checker.hook)
    url = mockxcore.url
    full = web_request(
        id={"tntId": TNT},
        trace={"authorizationToken": "t"},
        experienceCloud={"analytics": {"logging": "client_side"}},
        execute={"pageLoad": {}, "mboxes": mboxes("hero-banner", "account-summary")},
        prefetch={"views": [{}], "mboxes": mboxes("checkout-config")},
        notifications=[{"id": "x", "type": "display", "timestamp": 1, "tokens": ["t"]}],
    )
    session.post(f"{url}/rest/v1/delivery", params={"sessionId": "s", "client": "demo"}, json=full)
    session.post(f"{url}/rest/v1/delivery", params={"sessionId": "s"}, data=b"{")
    session.get(f"{url}/demo/production/v1/rules.json")
    session.get(f"{url}/demo/staging/v1/rules.json")
    session.get(f"{url}/v1/geo", headers={"x-forwarded-for": "203.0.113.7"})
    session.get(f"{url}/__admin/target/clients")
    session.get(f"{url}/__admin/target/clients/demo")
    session.get(f"{url}/__admin/target/clients/demo/table")
    session.get(f"{url}/__admin/target/notifications")
    session.put(f"{url}/__admin/target/geo/10.0.0.1", json={"city": "Basel"})
    session.put(f"{url}/__admin/target/clients/demo/artifact", json={"version": "2.0.0"})
    assert checker.checked >= 11


# -- errors --------------------------------------------------------------------------------
@pytest.mark.mockxcore(strict=False)  # sends what the contracts refuse, on purpose
def test_malformed_json_is_a_target_400(mockxcore: MockServer) -> None:
    response = requests.post(
        mockxcore.url + "/rest/v1/delivery", params={"sessionId": "s"}, data=b'{"context":'
    )
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert "not valid JSON" in body["message"]
    empty = requests.post(mockxcore.url + "/rest/v1/delivery", params={"sessionId": "s"})
    assert empty.status_code == 400 and "JSON body" in empty.json()["message"]


@pytest.mark.mockxcore(strict=False)  # sends what the contracts refuse, on purpose
def test_an_invalid_request_names_the_offending_field(mockxcore: MockServer) -> None:
    request = web_request(execute={"mboxes": [{"name": "hero-banner"}]})
    response = deliver(mockxcore.url, request)
    assert response.status_code == 400
    assert response.json() == {
        "status": 400,
        "message": "invalid DeliveryRequest: /execute/mboxes/0/index: "
        "'index' is a required property",
    }
    wrong = deliver(mockxcore.url, {"context": {"channel": "tv"}})
    assert wrong.status_code == 400 and "/context/channel" in wrong.json()["message"]
    geo = deliver(mockxcore.url, web_request(context={"channel": "web", "geo": {"ipAddress": "x"}}))
    assert geo.status_code == 400 and "/context/geo/ipAddress" in geo.json()["message"]


@pytest.mark.mockxcore(strict=False)  # sends what the contracts refuse, on purpose
def test_a_body_that_cannot_be_decompressed_is_a_target_400(mockxcore: MockServer) -> None:
    response = requests.post(
        mockxcore.url + "/rest/v1/delivery",
        params={"client": "demo", "sessionId": "s"},
        data=b'{"context": {"channel": "web"}}',
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
    )
    assert response.status_code == 400, response.text
    assert response.json()["status"] == 400
    assert "could not be read" in response.json()["message"]
    assert mockxcore.journal[-1]["status"] == 400


@pytest.mark.mockxcore(strict=False)  # sends what the contracts refuse, on purpose
def test_wrong_methods_and_paths_under_rest_answer_in_targets_shape(mockxcore: MockServer) -> None:
    wrong_method = requests.get(mockxcore.url + "/rest/v1/delivery")
    assert wrong_method.status_code == 405
    assert wrong_method.json() == {"status": 405, "message": wrong_method.json()["message"]}
    assert "POST" in wrong_method.headers["Allow"]
    unknown = requests.post(mockxcore.url + "/rest/v2/delivery", json=web_request())
    assert unknown.status_code == 404
    assert set(unknown.json()) == {"status", "message"}


@pytest.mark.parametrize("url", ["http://[::1", "http://[not-an-address]/x", "::::"])
def test_an_address_that_is_no_url_is_decided_as_text(mockxcore: MockServer, url: str) -> None:
    """Target takes ``context.address.url`` as a string: one that does not parse matches no
    URL-part rule (and is no reason for an error)."""
    body = web_request(
        context={"channel": "web", "address": {"url": url, "referringUrl": url}},
        execute={"mboxes": mboxes("hero-banner", address={"url": url})},
    )
    response = deliver(mockxcore.url, body)
    assert response.status_code == 200, response.text
    assert response.json()["execute"]["mboxes"][0]["name"] == "hero-banner"


@pytest.mark.mockxcore(strict=False)  # sends what the contracts refuse, on purpose
def test_session_id_is_required_and_checked(mockxcore: MockServer) -> None:
    missing = requests.post(mockxcore.url + "/rest/v1/delivery?client=demo", json=web_request())
    assert missing.status_code == 400 and "sessionId" in missing.json()["message"]
    spaced = deliver(mockxcore.url, web_request(), session="has space")
    assert spaced.status_code == 400 and "sessionId" in spaced.json()["message"]


@pytest.mark.mockxcore(strict=False)  # sends what the contracts refuse, on purpose
def test_an_oversized_body_is_a_target_413(mockxcore: MockServer) -> None:
    response = requests.post(
        mockxcore.url + "/rest/v1/delivery",
        params={"sessionId": "s"},
        data=b'{"context": {"channel": "web"}, "pad": "' + b"x" * (2 << 20) + b'"}',
    )
    assert response.status_code == 413
    assert response.json()["status"] == 413


@pytest.mark.mockxcore(strict=False)  # sends what the contracts refuse, on purpose
def test_an_oversized_body_is_answered_in_targets_shape(mockxcore: MockServer) -> None:
    response = requests.post(
        mockxcore.url + "/rest/v1/delivery",
        params={"sessionId": "s"},
        data=b'{"context": {"channel": "web"}, "pad": "' + b"x" * (2 << 20) + b'"}',
    )
    assert response.status_code == 413
    assert response.headers["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"status", "message"}


def _nested(levels: int) -> Any:
    """A value nesting ``levels`` objects."""
    value: Any = "x"
    for _ in range(levels):
        value = {"d": value}
    return value


@pytest.mark.mockxcore(strict=False)  # sends what the contracts refuse, on purpose
@pytest.mark.parametrize("levels", [MAX_DEPTH - 1, 300, 900])
def test_a_body_nested_too_deep_is_a_target_400_and_keeps_nothing(
    mockxcore: MockServer, levels: int
) -> None:
    """Parsed by the mock's one body parser: a body it could not answer, or whose notification
    it could not list again, is refused whole."""
    url = mockxcore.url
    deep = _nested(levels)
    notification = {"id": "n", "type": "display", "timestamp": 1, "tokens": ["t"], "deep": deep}
    for body in (
        web_request(id={"tntId": TNT, "deep": deep}),
        web_request(notifications=[notification]),
    ):
        response = deliver(url, body)
        assert response.status_code == 400, response.text
        assert response.headers["Content-Type"] == "application/json"
        assert response.json() == {
            "status": 400,
            "message": f"the body nests arrays and objects deeper than {MAX_DEPTH} levels",
        }
    listed = requests.get(f"{url}/__admin/target/notifications")
    assert listed.status_code == 200
    assert listed.json() == {"notifications": [], "received": 0}


def test_a_body_at_the_nesting_limit_is_answered(mockxcore: MockServer) -> None:
    deep = _nested(MAX_DEPTH - 2)  # in the body's "id" object, inside the body
    response = deliver(mockxcore.url, web_request(id={"tntId": TNT, "deep": deep}))
    assert response.status_code == 200, response.text
    assert response.json()["id"]["deep"] == deep


# -- decision scopes stay in the client's organization ----------------------------------------
LIVE_SCOPE = scopes.encode_scope(
    "xcore:offer-activity:8b4e09dad92c7d6", "xcore:offer-placement:2e844967857dd86", 2
)


def _demo_decisions(url: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = requests.get(
        f"{url}/__admin/decisions", headers=headers(DEMO_ORG, "prod")
    ).json()
    return events


def _scope_answer(url: str, client: str, ims_org: str | None = None) -> dict[str, Any]:
    request = web_request(id={"tntId": TNT}, execute={"mboxes": mboxes(LIVE_SCOPE)})
    if ims_org is None:
        response = deliver(url, request, client=client)
    else:
        response = deliver(url, request, client=client, imsOrgId=ims_org)
    assert response.status_code == 200, response.text
    mbox: dict[str, Any] = response.json()["execute"]["mboxes"][0]
    return mbox


def test_decision_scopes_reach_only_the_clients_own_organization(mockxcore: MockServer) -> None:
    """Neither another organization's client nor a client without one decides from the demo
    organization's activities: no offers, no caps drawn down, no decision events."""
    url = mockxcore.url
    evil = requests.put(f"{url}/__admin/target/clients/evil", json={"organizationId": "x@Org"})
    assert evil.ok
    assert requests.put(f"{url}/__admin/target/clients/bare", json={}).ok
    assert "options" not in _scope_answer(url, "evil")
    assert "options" not in _scope_answer(url, "bare")
    assert "options" not in _scope_answer(url, "bare", DEMO_ORG)
    assert _demo_decisions(url) == []
    assert len(_scope_answer(url, "demo")["options"]) == 2
    assert len(_demo_decisions(url)) == 1


def test_an_ims_org_id_that_is_not_the_clients_is_a_target_400(mockxcore: MockServer) -> None:
    url = mockxcore.url
    evil = requests.put(f"{url}/__admin/target/clients/evil", json={"organizationId": "x@Org"})
    assert evil.ok
    request = web_request(execute={"mboxes": mboxes(LIVE_SCOPE)})
    refused = deliver(url, request, client="evil", imsOrgId=DEMO_ORG)
    assert refused.status_code == 400
    assert refused.headers["Content-Type"] == "application/json"
    assert refused.json() == {
        "status": 400,
        "message": "imsOrgId 'demo@AdobeOrg' is not the organization of client 'evil' ('x@Org')",
    }
    hosted = deliver(
        url, request, client=None, headers={"Host": "evil.tt.omtrdc.net"}, imsOrgId=DEMO_ORG
    )
    assert hosted.status_code == 400 and "'evil'" in hosted.json()["message"]
    assert _demo_decisions(url) == []
    assert deliver(url, request, client="demo", imsOrgId=DEMO_ORG).status_code == 200


# -- which client --------------------------------------------------------------------------
TWO_CLIENTS_TABLE = {
    "activities": [
        {"mbox": "who", "experiences": [{"options": [{"type": "html", "content": "acme"}]}]}
    ]
}


@pytest.fixture
def two_clients(mockxcore: MockServer) -> str:
    url = mockxcore.url
    assert put_table(url, TWO_CLIENTS_TABLE, client="acme").ok
    assert requests.put(
        f"{url}/__admin/target/clients/acme", json={"organizationId": "acme@AdobeOrg"}
    ).ok
    return url


def _who(url: str, **kwargs: object) -> str:
    request = web_request(execute={"mboxes": mboxes("who")})
    response = deliver(url, request, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    client: str = response.json()["client"]
    return client


def test_the_client_parameter_names_the_client(two_clients: str) -> None:
    assert _who(two_clients, client="acme") == "acme"
    assert _who(two_clients, client="demo") == "demo"


def test_the_host_names_the_client(two_clients: str) -> None:
    assert _who(two_clients, client=None, headers={"Host": "acme.tt.omtrdc.net"}) == "acme"
    assert _who(two_clients, client=None, headers={"Host": "demo.localhost:4010"}) == "demo"


def test_the_organization_names_the_client(two_clients: str) -> None:
    assert _who(two_clients, client=None, imsOrgId="acme@AdobeOrg") == "acme"
    assert _who(two_clients, client=None, imsOrgId="demo@AdobeOrg") == "demo"


def test_without_any_hint_two_clients_are_ambiguous(two_clients: str) -> None:
    response = deliver(two_clients, web_request(), client=None)
    assert response.status_code == 400
    assert "which client" in response.json()["message"]
    edge = deliver(
        two_clients, web_request(), client=None, headers={"Host": "mboxedge35.tt.omtrdc.net"}
    )
    assert edge.status_code == 400  # an edge host names a cluster, not a client


def test_the_only_client_or_the_configured_one_answers() -> None:
    with MockServer(data="demo") as mock:
        assert _who(mock.url, client=None) == "demo"
    with MockServer(data="demo", target_client="acme") as mock:
        assert put_table(mock.url, TWO_CLIENTS_TABLE, client="acme").ok
        assert _who(mock.url, client=None) == "acme"


def test_an_unknown_client_is_a_400_naming_it(mockxcore: MockServer) -> None:
    response = deliver(mockxcore.url, web_request(), client="nope")
    assert response.status_code == 400
    assert response.json()["message"] == "unknown client code 'nope' (from the client parameter)"
    hosted = deliver(
        mockxcore.url, web_request(), client=None, headers={"Host": "nope.tt.omtrdc.net"}
    )
    assert "'nope' (from the host)" in hosted.json()["message"]
    with MockServer() as empty:
        assert (
            "no Target client" in deliver(empty.url, web_request(), client=None).json()["message"]
        )


@pytest.mark.parametrize("tnt_id", ["abc.x_0", "abc.35-x_0", "abc.12345_0"])
def test_a_location_hint_that_is_not_a_cluster_is_ignored(
    mockxcore: MockServer, tnt_id: str
) -> None:
    from mockxcore import contracts

    body = deliver(mockxcore.url, web_request(id={"tntId": tnt_id})).json()
    assert body["id"]["tntId"] == tnt_id
    assert re.fullmatch(r"mboxedge\d{1,4}\.tt\.omtrdc\.net", body["edgeHost"])
    assert not contracts.default().validate(
        "https://ns.adobe.com/experience/target/delivery-response", body
    )
