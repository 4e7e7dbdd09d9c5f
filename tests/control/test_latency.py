"""Latency: fixed, uniform and lognormal delays, globally and per route, from the seeded RNG."""

import random
import time

import pytest
import requests

from mockxcore import MockServer
from mockxcore.control.latency import Latency, parse_delay


def timed(url: str, method: str = "GET") -> float:
    started = time.perf_counter()
    requests.request(method, url)
    return time.perf_counter() - started


@pytest.mark.mockxcore(latency="150ms", auth="off")
def test_a_global_fixed_delay(mockxcore: MockServer) -> None:
    assert timed(mockxcore.url + "/data/core/xcore/") >= 0.15
    # The control plane is never delayed.
    assert timed(mockxcore.url + "/__admin/health") < 0.15


@pytest.mark.mockxcore(strict=False)  # sends invalid requests on purpose
def test_per_route_delays_over_http(mockxcore: MockServer) -> None:
    body = {
        "delay": None,
        "routes": [{"method": "GET", "path": "/data/core/xcore/*/instances", "delay": "200ms"}],
    }
    assert (
        requests.put(mockxcore.url + "/__admin/latency", json=body).json()["routes"][0]["delay"]
        == "200ms"
    )
    home = mockxcore.url + "/data/core/xcore/"
    listing = mockxcore.url + "/data/core/xcore/c/instances"
    assert timed(listing) >= 0.2
    assert timed(listing, "POST") < 0.2
    assert timed(home) < 0.2
    assert requests.delete(mockxcore.url + "/__admin/latency").json() == {
        "delay": None,
        "routes": [],
    }
    assert timed(listing) < 0.2


@pytest.mark.mockxcore(strict=False)  # sends invalid requests on purpose
def test_set_latency_from_python(mockxcore: MockServer) -> None:
    mockxcore.set_latency("uniform:min=150ms,max=160ms")
    assert requests.get(mockxcore.url + "/__admin/latency").json()["delay"] == (
        "uniform:min=150ms,max=160ms"
    )
    assert timed(mockxcore.url + "/data/core/xcore/") >= 0.15
    mockxcore.clear_latency()
    assert timed(mockxcore.url + "/data/core/xcore/") < 0.15


def test_delays_are_drawn_from_the_seeded_rng() -> None:
    latency = Latency.from_dict(
        {
            "delay": "lognormal:median=30ms,sigma=0.4",
            "routes": [{"path": "/a/*", "delay": "uniform:min=1ms,max=9ms"}],
        }
    )
    first = [latency.delay_for("GET", p, random.Random(3)) for p in ("/a/b", "/x")]
    again = [latency.delay_for("GET", p, random.Random(3)) for p in ("/a/b", "/x")]
    assert first == again
    assert 0.001 <= first[0] <= 0.009
    samples = sorted(latency.delay_for("GET", "/x", random.Random(n)) for n in range(401))
    assert 0.025 < samples[200] < 0.035  # the median is the median asked for


@pytest.mark.parametrize(
    ("spec", "kind", "first", "second"),
    [
        ("40ms", "fixed", 0.04, 0.0),
        ("fixed:2s", "fixed", 2.0, 0.0),
        (75, "fixed", 0.075, 0.0),
        ("uniform:min=10ms,max=50ms", "uniform", 0.01, 0.05),
        ("lognormal:median=30ms,sigma=0.4", "lognormal", 0.03, 0.4),
    ],
)
def test_delay_specs(spec: str, kind: str, first: float, second: float) -> None:
    delay = parse_delay(spec)
    assert (delay.kind, delay.first, delay.second) == (kind, pytest.approx(first), second)
    assert parse_delay(delay.spec()) == delay


@pytest.mark.parametrize(
    "body",
    [
        {"delay": "fast"},
        {"delay": "uniform:min=50ms,max=10ms"},
        {"delay": "lognormal:median=1ms"},
        {"delay": "gaussian:mean=1ms"},
        {"routes": [{"path": "/x"}]},
        {"routes": "all"},
        {"delay": -1},
        {"speed": "1ms"},
        [],
        {"routes": [{"path": "x", "delay": "1ms"}]},
        {"delay": "99999999999999d"},
        {"delay": 1e300},
        {"delay": "uniform:min=0ms,max=301s"},
    ],
)
def test_bad_latency_is_400_and_changes_nothing(mockxcore: MockServer, body: object) -> None:
    mockxcore.set_latency("5ms")
    response = requests.put(mockxcore.url + "/__admin/latency", json=body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["rule"] == "control"
    assert requests.get(mockxcore.url + "/__admin/latency").json()["delay"] == "5ms"
