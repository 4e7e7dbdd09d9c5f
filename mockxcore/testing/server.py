"""``MockServer``: a whole mock in-process, for sync and async tests.

``with MockServer() as m:`` serves from a background event-loop thread shared by every sync
server in the process (starting one costs a socket, not a thread); ``async with MockServer()``
serves from the caller's own loop. Each server has its own port and state either way, and all
state is only touched from the loop that serves it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from aiohttp import web

from mockxcore.app import build_app
from mockxcore.config import Config
from mockxcore.state import MockState

T = TypeVar("T")


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


class MockServer:
    """A running mock: ``.url``, ``.reset()``, ``.export_state()``, ``.import_state()``.

    >>> with MockServer(data=["demo"]) as mock:          # doctest: +SKIP
    ...     requests.get(mock.url + "/__admin/health").json()
    {'status': 'ok', 'version': '0.1.0'}
    """

    def __init__(
        self,
        *,
        data: str | Path | dict[str, Any] | list[str | Path | dict[str, Any]] | None = None,
        schemas: list[str | Path | dict[str, Any]] | None = None,
        seed: int = 0,
        auth: str = "headers",
        auto_container: bool = True,
        delete_polls: int = 1,
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
                auto_container=auto_container,
                delete_polls=delete_polls,
            )
        self.config = config
        self.state = MockState(config)
        self._runner: web.AppRunner | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.url = ""
        self.port = 0

    # -- lifecycle -------------------------------------------------------------------------
    async def _start(self) -> None:
        app = build_app(self.config, self.state)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await runner.setup()
        site = web.TCPSite(runner, self.config.host, self.config.port)
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

    # -- controls --------------------------------------------------------------------------
    def _on_loop(self, action: Callable[[], T]) -> T:
        """Run ``action`` on the loop that owns the state (directly when already there)."""
        loop = self._loop
        if loop is None or _running_loop() is loop:
            return action()

        async def call() -> T:
            return action()

        coroutine: Coroutine[Any, Any, T] = call()
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result(timeout=30)

    def reset(self) -> None:
        """Back to the start-up data (as ``POST /__admin/reset``)."""
        self._on_loop(self.state.reset)

    def export_state(self) -> dict[str, Any]:
        """The whole state as a snapshot (as ``GET /__admin/state``)."""
        return self._on_loop(self.state.export)

    def import_state(self, snapshot: dict[str, Any]) -> None:
        """Replace the whole state (as ``PUT /__admin/state``)."""
        self._on_loop(lambda: self.state.import_(snapshot))


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
