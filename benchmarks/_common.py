"""Helpers shared by the benchmarks: timing, medians, a populated repository."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from mockxcore.auth import Caller
from mockxcore.config import Config
from mockxcore.state import MockState

TEST_ITEM = "https://ns.adobe.com/experience/mockxcore/test-item"
CALLER = Caller("bench@AdobeOrg", "prod", "bench@techacct.adobe.com", "bench")
WORDS = [
    "gold",
    "silver",
    "card",
    "upgrade",
    "lounge",
    "travel",
    "spring",
    "sale",
    "garden",
    "coffee",
    "loyalty",
    "premium",
    "welcome",
    "banner",
    "winter",
    "offer",
]


def median_ms(action: Callable[[], Any], repeat: int = 50, warmup: int = 3) -> float:
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def populated(count: int, seed: int = 1) -> tuple[MockState, str, list[str]]:
    """A mock whose default container holds ``count`` test items; returns their instanceIds."""
    state = MockState(Config(seed=seed))
    repo = state.repository
    repo.ensure_tenant(CALLER)
    cid = repo.store.containers(CALLER.tenant)[0].instance_id
    ids = []
    for n in range(count):
        words = " ".join(WORDS[(n * k) % len(WORDS)] for k in (1, 3, 7))
        instance = {
            "xdm:name": f"Offer {n:06d} {words}",
            "xdm:description": f"{words} number {n}",
            "xdm:priority": n % 100,
            "xdm:status": ("draft", "approved", "archived")[n % 3],
            "xdm:score": (n * 7919) % 100_003,
        }
        ids.append(
            repo.create(CALLER, cid, TEST_ITEM, {"_instance": instance, "_links": {}}).instance_id
        )
    return state, cid, ids
