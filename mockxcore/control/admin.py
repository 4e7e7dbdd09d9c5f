"""The ``/__admin`` control plane: health, reset and whole-state snapshots."""

from __future__ import annotations

from aiohttp import web

from mockxcore import __version__
from mockxcore.web import read_json, respond, state_of

routes = web.RouteTableDef()


@routes.get("/__admin/health")
async def health(request: web.Request) -> web.Response:
    return respond({"status": "ok", "version": __version__})


@routes.post("/__admin/reset")
async def reset(request: web.Request) -> web.Response:
    state_of(request).reset()
    return respond({"status": "reset"})


@routes.get("/__admin/state")
async def export_state(request: web.Request) -> web.Response:
    return respond(state_of(request).export())


@routes.put("/__admin/state")
async def import_state(request: web.Request) -> web.Response:
    state_of(request).import_(await read_json(request))
    return respond({"status": "imported"})


@routes.get("/__admin/openapi.json")
async def openapi_document(request: web.Request) -> web.Response:
    # Imported here so that ``python -m mockxcore.openapi`` is not already imported by then.
    from mockxcore import openapi

    document = openapi.build(state_of(request).contracts, f"{request.scheme}://{request.host}")
    return respond(document)
