"""Helpers shared by the benchmarks: timing, medians, a populated repository, serving an app."""

from __future__ import annotations

import asyncio
import gc
import statistics
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from mockxcore.auth import Caller
from mockxcore.config import Config
from mockxcore.runner import Runner
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


async def serve_forever(app: web.Application, path: str = "") -> None:
    """Serve ``app`` on a free loopback port as ``mockxcore serve`` serves (its runner, and the
    start-up heap frozen out of the garbage collector once started), print its URL followed by
    ``path`` on the first line, and never return. Every benchmark server, mock or baseline,
    is served this way, so they differ only in their app."""
    runner = Runner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    gc.collect()
    gc.freeze()
    host, port = runner.addresses[0][:2]
    print(f"http://{host}:{port}{path}", flush=True)
    await asyncio.Event().wait()
