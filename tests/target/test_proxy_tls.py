"""The mock as a forward proxy for Adobe hosts, and over TLS (local CA, CONNECT tunnels)."""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from delivery_api_client import (
    ChannelType,
    Context,
    DeliveryRequest,
    ExecuteRequest,
    Geo,
    MboxRequest,
    VisitorId,
)
from target_python_sdk import TargetClient

from mockxcore import MockServer
from tests.target.support import (
    TNT,
    eventually,
    mboxes,
    notifications,
    plain,
    point_sdk_at,
    web_request,
)

QUERY = "sessionId=proxy-session"


@pytest.fixture
def tls_mock() -> Iterator[MockServer]:
    with MockServer(data="demo", tls=True) as mock:
        yield mock


def _raw(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(data)
        return conn.recv(4096)


@pytest.mark.mockxcore(data="demo")
def test_plain_http_proxy_requests_for_adobe_hosts_are_answered(mockxcore: MockServer) -> None:
    proxies = {"http": mockxcore.url}
    request = web_request(execute={"mboxes": mboxes("hero-banner")})
    first = requests.post(
        f"http://demo.tt.omtrdc.net/rest/v1/delivery?{QUERY}", json=request, proxies=proxies
    ).json()
    assert first["client"] == "demo"
    # a client that follows edgeHost (as Adobe's SDKs do) comes back through the proxy
    request["id"] = first["id"]
    second = requests.post(
        f"http://{first['edgeHost']}/rest/v1/delivery?{QUERY}", json=request, proxies=proxies
    ).json()
    assert second["id"] == first["id"]
    assert second["execute"] == first["execute"]
    artifact = requests.get(
        "http://assets.adobetarget.com/demo/production/v1/rules.json", proxies=proxies
    )
    assert artifact.status_code == 200 and artifact.headers["ETag"]


@pytest.mark.mockxcore(data="demo", strict=False)  # refused on purpose
def test_other_hosts_are_refused_never_forwarded(mockxcore: MockServer) -> None:
    refused = requests.get("http://example.com/rest/v1/delivery", proxies={"http": mockxcore.url})
    assert refused.status_code == 403
    assert "only stands in for Adobe hosts" in refused.json()["detail"]
    answer = _raw(mockxcore.port, b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 403")


@pytest.mark.mockxcore(data="demo", strict=False)  # CONNECT is no API operation
def test_connect_without_tls_says_how_to_enable_it(mockxcore: MockServer) -> None:
    answer = _raw(
        mockxcore.port,
        b"CONNECT demo.tt.omtrdc.net:443 HTTP/1.1\r\nHost: demo.tt.omtrdc.net:443\r\n\r\n",
    )
    assert answer.startswith(b"HTTP/1.1 501")
    assert b"--tls" in answer


def test_tls_serves_https_and_plain_http_on_one_port(tls_mock: MockServer) -> None:
    assert tls_mock.ca_path is not None and Path(tls_mock.ca_path).is_file()
    https = tls_mock.url.replace("http://", "https://")
    secure = requests.get(f"{https}/demo/production/v1/rules.json", verify=tls_mock.ca_path)
    plain_http = requests.get(f"{tls_mock.url}/demo/production/v1/rules.json")
    assert secure.status_code == plain_http.status_code == 200
    assert secure.headers["ETag"] == plain_http.headers["ETag"]
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(f"{https}/__admin/target/clients", verify=True)  # not a public CA


def test_https_proxy_tunnels_end_at_the_mock(
    tls_mock: MockServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("NO_PROXY", "no_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", tls_mock.url)
    assert tls_mock.ca_path is not None
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", tls_mock.ca_path)
    request = web_request(id={"tntId": TNT}, execute={"mboxes": mboxes("hero-banner")})
    answer = requests.post(f"https://demo.tt.omtrdc.net/rest/v1/delivery?{QUERY}", json=request)
    assert answer.status_code == 200
    assert answer.json()["execute"]["mboxes"][0]["options"]
    edge = requests.post(
        f"https://{answer.json()['edgeHost']}/rest/v1/delivery?{QUERY}", json=request
    )
    assert edge.json()["id"] == {"tntId": TNT}
    with pytest.raises(requests.exceptions.ProxyError):
        requests.get("https://example.com/")


def test_the_sdk_through_proxy_and_tls(tls_mock: MockServer) -> None:
    assert tls_mock.ca_path is not None
    point_sdk_at("https://demo.tt.omtrdc.net", proxy=tls_mock.url, ca_file=tls_mock.ca_path)
    client = TargetClient.create(
        {"client": "demo", "organization_id": "demo@AdobeOrg", "telemetry_enabled": False}
    )
    request = DeliveryRequest(
        context=Context(channel=ChannelType.WEB),
        execute=ExecuteRequest(mboxes=[MboxRequest(name="checkout-config", index=1)]),
    )
    response = client.get_offers({"request": request})
    options = plain(response["response"].execute.mboxes[0].options)
    assert "onePageCheckout" in options[0]["content"]


def test_on_device_geo_lookup_over_https(
    tls_mock: MockServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The SDK looks geo up at https://{cdn_base_path}/v1/geo; SSL_CERT_FILE trusts the mock."""
    url = tls_mock.url
    table = {
        "activities": [
            {
                "mbox": "geo-box",
                "type": "xt",
                "experiences": [
                    {
                        "audience": {"attribute": "geo.city", "equals": "Basel"},
                        "options": [{"type": "html", "content": "Basel"}],
                    },
                    {"options": [{"type": "html", "content": "elsewhere"}]},
                ],
            }
        ]
    }
    assert requests.put(f"{url}/__admin/target/clients/demo/table", json=table).ok
    assert requests.put(f"{url}/__admin/target/geo/198.51.100.4", json={"city": "Basel"}).ok
    assert tls_mock.ca_path is not None
    monkeypatch.setenv("SSL_CERT_FILE", tls_mock.ca_path)
    point_sdk_at(url)
    client = TargetClient.create(
        {
            "client": "demo",
            "organization_id": "demo@AdobeOrg",
            "decisioning_method": "on-device",
            "cdn_base_path": url.removeprefix("http://"),
            "target_location_hint": "35",
            "telemetry_enabled": False,
            "polling_interval": 0,
        }
    )

    def content(ip: str, method: str) -> str:
        request = DeliveryRequest(
            id=VisitorId(tnt_id=TNT),
            context=Context(channel=ChannelType.WEB, geo=Geo(ip_address=ip)),
            prefetch=None,
            execute=ExecuteRequest(mboxes=[MboxRequest(name="geo-box", index=1)]),
        )
        answer = client.get_offers({"request": request, "decisioning_method": method})
        return str(answer["response"].execute.mboxes[0].options[0].content)

    assert content("198.51.100.4", "on-device") == content("198.51.100.4", "server-side")
    assert content("198.51.100.4", "on-device") == "Basel"
    assert content("192.0.2.1", "on-device") == content("192.0.2.1", "server-side") == "elsewhere"
    # Each on-device answer's display notification goes out on a thread of the SDK's own: wait
    # for all three, or the mock stops under a send still in flight (a reset in that thread).
    assert eventually(lambda: len(notifications(url)) == 3)


def test_serve_tls_prints_the_ca_file_after_the_listening_line() -> None:
    command = [
        sys.executable,
        "-m",
        "mockxcore",
        "serve",
        "--port",
        "0",
        "--tls",
        "--target-client",
        "demo",
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"}
    )
    try:
        assert process.stdout is not None
        listening = process.stdout.readline().strip()
        ca_line = process.stdout.readline().strip()
        assert listening.startswith("mockxcore listening on http://127.0.0.1:")
        assert ca_line.startswith("mockxcore TLS CA certificate: ")
        ca_file = ca_line.removeprefix("mockxcore TLS CA certificate: ")
        base = listening.removeprefix("mockxcore listening on ")
        context = ssl.create_default_context(cafile=ca_file)
        assert context.cert_store_stats()["x509_ca"] == 1
        answer = requests.post(
            f"{base.replace('http://', 'https://')}/rest/v1/delivery?{QUERY}",
            json=web_request(execute={"mboxes": mboxes("hero-banner")}),
            verify=ca_file,
        )
        assert answer.json()["client"] == "demo"
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert process.returncode == 0
    assert not Path(ca_file).exists()  # the throw-away CA goes with the server
