"""Build the aiohttp application of one mock from a :class:`~mockxcore.config.Config`.

Middlewares, outermost first:

1. (with ``--state-file``) persistence -- saves the state after each request that may change it;
2. control -- journals every request and answer, applies latency and fault rules (which may
   answer instead of the handler, delay, or break the connection);
3. edge -- renders errors as ``application/problem+json`` and echoes ``x-request-id``, after
   running its checks in order: the control plane's guard (local callers, admin token), the
   proxy's refusal of foreign hosts, and the identification of the caller of ``/data/``
   requests (its org + sandbox is its tenant).
"""

from __future__ import annotations

import aiohttp_cors
from aiohttp import web

from mockxcore.config import Config
from mockxcore.control import admin
from mockxcore.control.middleware import control_middleware, persistence_middleware
from mockxcore.decisioning import handlers as decisioning
from mockxcore.state import MockState
from mockxcore.target import handlers as target
from mockxcore.target.proxy import refuse_foreign
from mockxcore.web import STATE, edge_middleware, identify_caller
from mockxcore.xcore import handlers as xcore

EXPOSED_HEADERS = ("ETag", "Location", "Content-Base", "Retry-After", "x-request-id")


def build_app(config: Config, state: MockState | None = None) -> web.Application:
    state = state or MockState(config)
    app = web.Application(
        client_max_size=config.max_body,
        middlewares=[
            control_middleware(state),
            edge_middleware(state, admin.guard, refuse_foreign, identify_caller),
        ],
    )
    if config.state_file is not None:
        app.middlewares.insert(0, persistence_middleware)
    app[STATE] = state
    app.add_routes(admin.routes)
    app.add_routes(xcore.routes)
    app.add_routes(decisioning.routes)
    app.add_routes(target.routes)
    if config.cors:
        _allow_cross_origin(app)
    app.on_cleanup.append(_close_journal)
    return app


def _allow_cross_origin(app: web.Application) -> None:
    """Any origin may call any route (a browser app on another port, during development)."""
    cors = aiohttp_cors.setup(
        app,
        defaults={
            "*": aiohttp_cors.ResourceOptions(  # type: ignore[no-untyped-call]
                allow_credentials=False,
                expose_headers=EXPOSED_HEADERS,
                allow_headers="*",
                allow_methods="*",
                max_age=600,
            )
        },
    )
    for route in list(app.router.routes()):
        cors.add(route)


async def _close_journal(app: web.Application) -> None:
    app[STATE].journal.close()
