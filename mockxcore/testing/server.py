"""``MockServer``: a whole mock in-process, for sync and async tests, with its controls.

``with MockServer() as m:`` serves from a background event-loop thread shared by every sync
server in the process (starting one costs a socket, not a thread); ``async with MockServer()``
serves from the caller's own loop. Each server has its own port and state either way, and all
state is only touched from the loop that serves it: the control methods below hop onto it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from aiohttp import web

from mockxcore import timestamps
from mockxcore.app import build_app
from mockxcore.auth import DEFAULT_ORG, DEFAULT_SANDBOX
from mockxcore.config import Config
from mockxcore.control import assertions
from mockxcore.control.durations import parse_duration
from mockxcore.control.journal import Selection
from mockxcore.control.latency import Latency
from mockxcore.runner import Runner
from mockxcore.state import MockState
from mockxcore.target.tls import TlsSite

T = TypeVar("T")
Source = str | Path | dict[str, Any]


class _LoopThread:
    """One daemon thread running an event loop for every sync MockServer of the process."""

    _lock = threading.Lock()
    _loop: asyncio.AbstractEventLoop | None = None

    @classmethod
    def loop(cls) -> asyncio.AbstractEventLoop:
        with cls._lock:
            if cls._loop is None or cls._loop.is_closed():
                loop = asyncio.new_event_loop()
                ready = threading.Event()

                def run() -> None:
                    asyncio.set_event_loop(loop)
                    loop.call_soon(ready.set)
                    loop.run_forever()

                threading.Thread(target=run, name="mockxcore-loop", daemon=True).start()
                ready.wait()
                cls._loop = loop
            return cls._loop


class Journal(list[dict[str, Any]]):
    """Journal entries (the ``/__admin/journal`` shape), oldest first."""

    def filter(
        self, *, method: str | None = None, path: str | None = None, status: int | None = None
    ) -> Journal:
        """Entries with this method, a path starting with ``path``, and this status.

        >>> mock.journal.filter(method="PATCH", status=409)   # doctest: +SKIP
        """
        selection = Selection(method, path, status)
        return Journal(e for e in self if selection.selects(e["method"], e["path"], e["status"]))


class MockServer:
    """A running mock: ``.url``, the journal, and a method for every control.

    >>> with MockServer(data="demo", latency="20ms", seed=7) as mock:   # doctest: +SKIP
    ...     mock.add_fault(method="PATCH", action="conflict", times=1)
    ...     mock.freeze_clock("2021-02-12T10:00:00Z")
    ...     requests.get(mock.url + "/__admin/health").json()
    {'status': 'ok', 'version': '0.1.0'}

    Keywords mirror ``mockxcore serve``'s options (see :class:`~mockxcore.config.Config`).
    """

    def __init__(
        self,
        *,
        data: Source | list[Source] | None = None,
        schemas: list[Source] | None = None,
        seed: int = 0,
        auth: str = "headers",
        latency: str | dict[str, Any] | None = None,
        faults: list[dict[str, Any]] | None = None,
        auto_container: bool = True,
        delete_polls: int = 1,
        delete_after: str | None = None,
        journal_size: int = 1000,
        record: str | Path | None = None,
        cors: bool = False,
        strict: bool = False,
        max_body: int = 1 << 20,
        tls: bool = False,
        target_client: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        config: Config | None = None,
    ) -> None:
        if config is None:
            sources = [] if data is None else data if isinstance(data, list) else [data]
            config = Config(
                host=host,
                port=port,
                data=list(sources),
                schemas=list(schemas or []),
                seed=seed,
                auth=auth,
                latency=latency,
                faults=list(faults or []),
                auto_container=auto_container,
                delete_polls=delete_polls,
                delete_after=delete_after,
                journal_size=journal_size,
                record=record,
                cors=cors,
                strict=strict,
                max_body=max_body,
                tls=tls,
                target_client=target_client,
            )
        self.config = config
        self.state = MockState(config)
        self.ca_path: str | None = None
        """With ``tls=True``: the CA certificate file clients should trust."""
        self._runner: web.AppRunner | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.url = ""
        self.port = 0

    # -- lifecycle -------------------------------------------------------------------------
    async def _start(self) -> None:
        app = build_app(self.config, self.state)
        runner = Runner(app, access_log=None, shutdown_timeout=0.5)
        await runner.setup()
        site: web.BaseSite = web.TCPSite(runner, self.config.host, self.config.port)
        if self.config.tls:  # http, https and CONNECT tunnels on one port; see target/tls.py
            site = TlsSite(runner, self.config.host, self.config.port)
            self.ca_path = site.ca_path
        await site.start()
        self._runner = runner
        self._loop = asyncio.get_running_loop()
        host, port = runner.addresses[0][:2]
        self.port = port
        shown = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{port}"

    async def _stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def start(self) -> MockServer:
        asyncio.run_coroutine_threadsafe(self._start(), _LoopThread.loop()).result(timeout=30)
        return self

    def stop(self) -> None:
        if self._runner is not None and self._loop is not None:
            asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=30)

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def __aenter__(self) -> MockServer:
        await self._start()
        return self

    async def __aexit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._stop()

    def _on_loop(self, action: Callable[[], T]) -> T:
        """Run ``action`` on the loop that owns the state (directly when already there)."""
        loop = self._loop
        if loop is None or _running_loop() is loop:
            return action()

        async def call() -> T:
            return action()

        coroutine: Coroutine[Any, Any, T] = call()
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result(timeout=30)

    # -- state -----------------------------------------------------------------------------
    def reset(self) -> None:
        """Back to the start-up data and settings (as ``POST /__admin/reset``)."""
        self._on_loop(self.state.reset)

    def export_state(self) -> dict[str, Any]:
        """The whole state as a snapshot (as ``GET /__admin/state``)."""
        return self._on_loop(self.state.export)

    def import_state(self, snapshot: dict[str, Any]) -> None:
        """Replace the whole state (as ``PUT /__admin/state``)."""
        self._on_loop(lambda: self.state.import_(snapshot))

    # -- clock -----------------------------------------------------------------------------
    def now(self) -> datetime:
        return self._on_loop(self.state.clock.now)

    def freeze_clock(self, at: datetime | str | None = None) -> datetime:
        """Stop time at ``at`` (default: now), as ``PUT /__admin/clock {"now": ...}``."""
        moment = timestamps.parse(at) if isinstance(at, str) else at
        if isinstance(at, str) and moment is None:
            raise ValueError(f"{at!r} is not an RFC 3339 date-time")
        self._on_loop(lambda: self.state.clock.freeze(moment))
        return self.now()

    def advance_clock(self, by: timedelta | str) -> datetime:
        """Move time forward (``"PT5M"``, ``"90s"`` or a timedelta); freezes a running clock."""
        delta = by if isinstance(by, timedelta) else parse_duration(by)
        self._on_loop(lambda: self.state.clock.advance(delta))
        return self.now()

    def unfreeze_clock(self) -> None:
        self._on_loop(self.state.clock.unfreeze)

    # -- latency and faults ----------------------------------------------------------------
    def set_latency(
        self, delay: str | float | None = None, routes: list[dict[str, Any]] | None = None
    ) -> dict[str, Any]:
        """As ``PUT /__admin/latency``: a default delay and per-route ones."""
        latency = Latency.from_dict({"delay": delay, "routes": routes or []})

        def apply() -> dict[str, Any]:
            self.state.latency = latency
            return latency.to_dict()

        return self._on_loop(apply)

    def clear_latency(self) -> None:
        self.set_latency(None)

    def add_fault(self, rule: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
        """As ``POST /__admin/faults``: the rule as a dict or as keywords; returns it with its id.

        >>> mock.add_fault(method="PATCH", path="/data/core/xcore/*/instances/*",
        ...                action="status", status=503, retryAfter=2, times=1)  # doctest: +SKIP
        """
        data = {**(rule or {}), **fields}
        return self._on_loop(lambda: self.state.faults.add(data).to_dict())

    def faults(self) -> list[dict[str, Any]]:
        """The rules, with how often each fired."""
        return self._on_loop(lambda: [r.to_dict() for r in self.state.faults.rules])

    def remove_fault(self, fault_id: str) -> None:
        self._on_loop(lambda: self.state.faults.remove(fault_id))

    def clear_faults(self) -> None:
        self._on_loop(self.state.faults.clear)

    # -- decisioning: profiles and decision events -----------------------------------------
    # As the /__admin/profiles and /__admin/decisions endpoints: for the org and sandbox named
    # (default: the demo's, like the endpoints without Adobe's headers).
    def put_profile(
        self,
        namespace: str,
        ident: str,
        profile: dict[str, Any],
        *,
        org: str = DEFAULT_ORG,
        sandbox: str = DEFAULT_SANDBOX,
    ) -> dict[str, Any]:
        """Store a profile (attributes, segment membership, events) for decisions to read.

        >>> mock.put_profile("Email", "ann@example.com", {"attributes": {"tier": "gold"}},
        ...                  org="test@AdobeOrg")   # doctest: +SKIP
        """
        return self._on_loop(
            lambda: self.state.decisioning.put_profile((org, sandbox), namespace, ident, profile)
        )

    def profile(
        self, namespace: str, ident: str, *, org: str = DEFAULT_ORG, sandbox: str = DEFAULT_SANDBOX
    ) -> dict[str, Any]:
        return self._on_loop(
            lambda: self.state.decisioning.get_profile((org, sandbox), namespace, ident)
        )

    def delete_profile(
        self, namespace: str, ident: str, *, org: str = DEFAULT_ORG, sandbox: str = DEFAULT_SANDBOX
    ) -> dict[str, Any]:
        return self._on_loop(
            lambda: self.state.decisioning.delete_profile((org, sandbox), namespace, ident)
        )

    def decisions(
        self, *, org: str = DEFAULT_ORG, sandbox: str = DEFAULT_SANDBOX
    ) -> list[dict[str, Any]]:
        """The decision events of non-dry-run decisions, oldest first."""
        return self._on_loop(lambda: self.state.decisioning.decisions((org, sandbox)))

    def clear_decisions(self, *, org: str = DEFAULT_ORG, sandbox: str = DEFAULT_SANDBOX) -> None:
        self._on_loop(lambda: self.state.decisioning.clear_decisions((org, sandbox)))

    # -- Target: artifacts, decision tables, geo, notifications ----------------------------
    def load_artifact(self, client: str, artifact: dict[str, Any]) -> dict[str, Any]:
        """As ``PUT /__admin/target/clients/{client}/artifact``; returns the client's summary."""
        return self._on_loop(lambda: self.state.target.load_artifact(client, artifact).summary())

    def load_table(self, client: str, table: dict[str, Any]) -> dict[str, Any]:
        """As ``PUT /__admin/target/clients/{client}/table`` (see docs/target.md)."""
        return self._on_loop(lambda: self.state.target.load_table(client, table).summary())

    def set_geo(self, ip: str, geo: dict[str, Any]) -> dict[str, Any]:
        """As ``PUT /__admin/target/geo/{ip}``: what /v1/geo and decisions use for ``ip``."""
        return self._on_loop(lambda: self.state.target.set_geo(ip, geo))

    def notifications(self, mbox: str | None = None, **exact: str) -> list[dict[str, Any]]:
        """Delivery API notifications received, filtered like ``/__admin/target/notifications``
        (``client=``, ``type=``, ``sessionId=``, ``mbox``)."""
        return self._on_loop(lambda: self.state.target.find_notifications(mbox, **exact))

    def clear_notifications(self) -> None:
        self._on_loop(lambda: self.state.target.clear_notifications())

    # -- journal and assertions ------------------------------------------------------------
    @property
    def journal(self) -> Journal:
        """Every request answered so far (a copy, oldest first)."""
        journal = self.state.journal
        return self._on_loop(lambda: Journal(journal.render(e) for e in journal.entries()))

    def clear_journal(self) -> None:
        self._on_loop(self.state.journal.clear)

    def assert_every_write_used_if_match(self) -> None:
        """Fail, naming them, if PUTs or PATCHes of repository objects lacked If-Match."""
        _fail_if(
            assertions.writes_without_if_match(self.journal),
            "writes sent without If-Match (a concurrent update would be lost)",
        )

    def assert_retry_after_respected(self) -> None:
        """Fail if a request was retried before the Retry-After of its 429/503 had passed."""
        early = assertions.retry_after_ignored(self.journal)
        if early:
            lines = [
                f"{assertions.describe(retry)} came {waited:.2f}s after "
                f"{assertions.describe(throttled)}, which said Retry-After: "
                f"{throttled['responseHeaders'].get('Retry-After')}"
                for throttled, retry, waited in early
            ]
            raise AssertionError("retries ignored Retry-After:\n  " + "\n  ".join(lines))

    def assert_deletes_polled_to_completion(self) -> None:
        """Fail if a delete's status was not polled until its outcome (200) was seen."""
        _fail_if(
            assertions.deletes_not_polled(self.journal), "deletes whose outcome was never polled"
        )


def _fail_if(offending: list[dict[str, Any]], what: str) -> None:
    if offending:
        raise AssertionError(
            f"{len(offending)} {what}:\n  " + "\n  ".join(assertions.describe(e) for e in offending)
        )


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
