"""How a mock is served: the aiohttp runner every mock uses (``serve`` and ``MockServer``)."""

from __future__ import annotations

import asyncio

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

from mockxcore.problems import ErrorItem, Problem


class _TimedHandler(RequestHandler):
    """aiohttp's connection handler, noting when bytes arrived, and answering what never
    reaches the app (a request aiohttp cannot parse) with a problem body too.

    Latency is measured from that instant. A burst of requests is parsed as it arrives but
    handled one after another; measured from the middleware instead, the last requests of a
    burst would be late by however long the ones before them took.
    """

    received_at = 0.0

    def data_received(self, data: bytes) -> None:
        self.received_at = asyncio.get_running_loop().time()
        super().data_received(data)

    def handle_error(
        self,
        request: web.BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        """A request aiohttp cannot parse (``Content-Length: abc``, a bad chunk): aiohttp
        answers text/plain and logs a traceback as if the server had failed; the mock answers
        problem+json, as for any bad input, and notes the client's mistake in one line."""
        # Imported here: mockxcore.web imports the core, which imports this module.
        from mockxcore.web import log, problem_response

        if status >= 500:
            super().handle_error(request, status, exc, message)  # a fault of ours: logged in full
            detail = "the mock failed to handle this request"
        else:
            if request.writer.output_size > 0:
                raise ConnectionError("an answer was already started; the connection is broken")
            detail = " ".join(str(getattr(exc, "message", None) or message or exc).split())
            log.info("refused a request from %s that HTTP cannot parse: %s", request.remote, detail)
        slug = "bad-http-request" if status < 500 else "internal-error"
        response = problem_response(Problem(status, slug, detail, [ErrorItem("http", detail, "")]))
        response.force_close()
        return response


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
