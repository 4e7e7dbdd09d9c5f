"""Build the aiohttp application of one mock from a :class:`~mockxcore.config.Config`.

Middlewares, outermost first: request-id echo, problem rendering, caller identification.
"""

from __future__ import annotations

from aiohttp import web

from mockxcore.config import Config
from mockxcore.control import admin
from mockxcore.state import MockState
from mockxcore.web import STATE, caller_middleware, problem_middleware, request_id_middleware
from mockxcore.xcore import handlers as xcore


def build_app(config: Config, state: MockState | None = None) -> web.Application:
    app = web.Application(
        client_max_size=config.max_body,
        middlewares=[request_id_middleware, problem_middleware, caller_middleware],
    )
    app[STATE] = state or MockState(config)
    app.add_routes(admin.routes)
    app.add_routes(xcore.routes)
    return app
