"""How a mock is served: the aiohttp runner every mock uses (``serve`` and ``MockServer``)."""

from __future__ import annotations

import asyncio

from aiohttp import web
from aiohttp.web_protocol import RequestHandler


class _TimedHandler(RequestHandler):
    """aiohttp's connection handler, noting when bytes arrived.

    Latency is measured from that instant. A burst of requests is parsed as it arrives but
    handled one after another; measured from the middleware instead, the last requests of a
    burst would be late by however long the ones before them took.
    """

    received_at = 0.0

    def data_received(self, data: bytes) -> None:
        self.received_at = asyncio.get_running_loop().time()
        super().data_received(data)


class _TimedServer(web.Server):
    def __call__(self) -> RequestHandler:
        return _TimedHandler(self, loop=self._loop, **self._kwargs)


class Runner(web.AppRunner):
    """The runner every mock serves with (``serve`` and ``MockServer`` alike)."""

    async def _make_server(self) -> web.Server:
        server = await super()._make_server()
        server.__class__ = _TimedServer
        return server


def received_at(request: web.BaseRequest) -> float | None:
    """When the request's bytes arrived (event-loop time), if the runner noted it."""
    value = getattr(request.protocol, "received_at", None)
    return value if isinstance(value, float) and value > 0 else None
