"""HTTP handlers of the decisioning runtime (``/data/core/ode/{containerId}/...``) and its
admin endpoints (``/__admin/profiles``, ``/__admin/decisions``)."""

from __future__ import annotations

from aiohttp import web

from mockxcore.auth import DEFAULT_ORG, DEFAULT_SANDBOX
from mockxcore.decisioning.service import RESPONSE_SCHEMA, Decisioning
from mockxcore.problems import ErrorItem, Problem, bad_request
from mockxcore.store import Tenant
from mockxcore.web import caller_of, read_json, respond, state_of
from mockxcore.xcore import mediatypes as mt

routes = web.RouteTableDef()
ODE = "/data/core/ode/{containerId}"
XDM = "application/vnd.adobe.xdm+json"
RESPONSE_TYPE = f'{XDM}; schema="{RESPONSE_SCHEMA};version=0.5"'


def _decisioning(request: web.Request) -> Decisioning:
    return state_of(request).decisioning


@routes.post(ODE + "/decisions")
async def decisions(request: web.Request) -> web.Response:
    content_type = request.headers.get("Content-Type")
    essence = mt.parse(content_type).essence if content_type else ""
    if essence not in (XDM, "application/json"):
        detail = (
            f'decision requests are {XDM}; schema="https://ns.adobe.com/experience/'
            'offer-management/decision-request;version=0.5"'
        )
        raise Problem(
            415,
            "unsupported-media-type",
            detail,
            [ErrorItem("content-type", detail, "/headers/Content-Type")],
        )
    mt.negotiate(request.headers.get("Accept"), XDM)
    body = _decisioning(request).decide(
        caller_of(request), request.match_info["containerId"], await read_json(request)
    )
    return respond(body, content_type=RESPONSE_TYPE)


@routes.get(ODE + "/offers")
async def activity_offers(request: web.Request) -> web.Response:
    body = _decisioning(request).activity_offers(
        caller_of(request),
        request.match_info["containerId"],
        request.query.getall("activityId", []),
    )
    return respond(body)


@routes.get(ODE + "/diagnostics")
async def diagnostics(request: web.Request) -> web.Response:
    body = _decisioning(request).diagnostics(caller_of(request), request.match_info["containerId"])
    return respond(body)


# -- admin ---------------------------------------------------------------------------------
def _tenant(request: web.Request) -> Tenant:
    """Admin calls name the org and sandbox with the same headers (default: the demo's)."""
    return (
        _named(request, "x-gw-ims-org-id", DEFAULT_ORG),
        _named(request, "x-sandbox-name", DEFAULT_SANDBOX),
    )


def _named(request: web.Request, header: str, default: str) -> str:
    if header not in request.headers:
        return default
    value = request.headers[header].strip()
    if not value:
        raise bad_request("bad-header", f"{header} is empty", pointer=f"/headers/{header}")
    return value


@routes.put("/__admin/profiles/{namespace}/{id}")
async def put_profile(request: web.Request) -> web.Response:
    profile = _decisioning(request).put_profile(
        _tenant(request),
        request.match_info["namespace"],
        request.match_info["id"],
        await read_json(request),
    )
    return respond(profile)


@routes.get("/__admin/profiles/{namespace}/{id}")
async def get_profile(request: web.Request) -> web.Response:
    return respond(
        _decisioning(request).get_profile(
            _tenant(request), request.match_info["namespace"], request.match_info["id"]
        )
    )


@routes.delete("/__admin/profiles/{namespace}/{id}")
async def delete_profile(request: web.Request) -> web.Response:
    return respond(
        _decisioning(request).delete_profile(
            _tenant(request), request.match_info["namespace"], request.match_info["id"]
        )
    )


@routes.get("/__admin/decisions")
async def list_decisions(request: web.Request) -> web.Response:
    """The decision events of an org and sandbox (non-dry-run decisions), oldest first."""
    return respond(_decisioning(request).decisions(_tenant(request)))


@routes.delete("/__admin/decisions")
async def clear_decisions(request: web.Request) -> web.Response:
    _decisioning(request).clear_decisions(_tenant(request))
    return respond([])
