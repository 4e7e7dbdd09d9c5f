"""The ``/__admin`` control plane: health, reset, state, clock, latency, faults, journal.

Each endpoint is a thin wrapper over the same objects ``MockServer``'s methods use, so the
HTTP API and Python have one meaning.
"""

from __future__ import annotations

import hmac
import ipaddress

from aiohttp import web

from mockxcore import __version__, timestamps
from mockxcore.control.durations import parse_duration
from mockxcore.control.latency import Latency
from mockxcore.control.matching import bad
from mockxcore.control.middleware import journal_entries
from mockxcore.problems import ErrorItem, Problem
from mockxcore.state import MockState
from mockxcore.target.artifact import MAX_BODY_DEPTH
from mockxcore.web import read_json, respond, state_of

MAX_SNAPSHOT_BYTES = 256 << 20
"""A snapshot PUT whole to /__admin/state: far above --max-body, still bounded."""

routes = web.RouteTableDef()


def guard(request: web.Request, state: MockState) -> None:
    """A :data:`~mockxcore.web.Check`: the control plane can change everything, so only this
    host may use it (unless allowed), and only with the admin token when one is set."""
    is_admin = request.path.startswith("/__admin")
    if state.admin_port is not None and is_admin != (_local_port(request) == state.admin_port):
        # With a separate admin port, each port serves only its own half.
        raise Problem(
            404,
            "no-such-route",
            "no such endpoint on this port",
            [ErrorItem("no-such-route", "see --admin-port", "")],
        )
    if not is_admin:
        return None
    config = state.config
    if not config.admin_remote and not _loopback(request.remote):
        raise Problem(
            403,
            "admin-remote",
            "the control plane answers only this host (serve --admin-remote allows others)",
            [ErrorItem("admin", "not a loopback address", "")],
        )
    if config.admin_token is not None:
        given = request.headers.get("x-admin-token", "")
        if not hmac.compare_digest(given.encode(), config.admin_token.encode()):
            raise Problem(
                401,
                "admin-token",
                "the control plane needs x-admin-token",
                [ErrorItem("admin", "missing or wrong token", "/headers/x-admin-token")],
            )
    return None


def _local_port(request: web.Request) -> int | None:
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    return int(sockname[1]) if sockname else None


def _loopback(remote: str | None) -> bool:
    if remote is None:
        return False
    try:
        return ipaddress.ip_address(remote.split("%", 1)[0]).is_loopback
    except ValueError:
        return remote == "localhost"


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
    # A snapshot may be far larger than --max-body (an export of a big catalog), and holds
    # Target artifacts, which nest deeper than other bodies.
    snapshot = await read_json(request, limit=MAX_SNAPSHOT_BYTES, max_depth=MAX_BODY_DEPTH + 8)
    state_of(request).import_(snapshot)
    return respond({"status": "imported"})


# -- clock ---------------------------------------------------------------------------------
def _clock(request: web.Request) -> web.Response:
    clock = state_of(request).clock
    return respond({"now": timestamps.format(clock.now()), "frozen": clock.frozen})


@routes.get("/__admin/clock")
async def read_clock(request: web.Request) -> web.Response:
    return _clock(request)


@routes.put("/__admin/clock")
async def set_clock(request: web.Request) -> web.Response:
    """``{"now": RFC 3339}`` freezes time there; ``{"advance": "PT5M"}`` moves it forward."""
    body = await read_json(request)
    if not isinstance(body, dict) or len(body) != 1 or not {"now", "advance"} >= set(body):
        raise bad("", 'send {"now": "2021-02-12T10:00:00Z"} or {"advance": "PT5M"}')
    clock = state_of(request).clock
    if "now" in body:
        moment = timestamps.parse(body["now"]) if isinstance(body["now"], str) else None
        if moment is None or "T" not in body["now"].upper():
            raise bad("/now", "now is an RFC 3339 date-time, e.g. 2021-02-12T10:00:00Z")
        try:
            clock.freeze(moment)
        except ValueError as exc:
            raise bad("/now", str(exc)) from None
    else:
        try:
            clock.advance(parse_duration(body["advance"]))
        except ValueError as exc:
            raise bad("/advance", str(exc)) from None
    return _clock(request)


@routes.delete("/__admin/clock")
async def unfreeze_clock(request: web.Request) -> web.Response:
    state_of(request).clock.unfreeze()
    return _clock(request)


# -- latency -------------------------------------------------------------------------------
@routes.get("/__admin/latency")
async def read_latency(request: web.Request) -> web.Response:
    return respond(state_of(request).latency.to_dict())


@routes.put("/__admin/latency")
async def set_latency(request: web.Request) -> web.Response:
    state = state_of(request)
    state.latency = Latency.from_dict(await read_json(request))
    return respond(state.latency.to_dict())


@routes.delete("/__admin/latency")
async def clear_latency(request: web.Request) -> web.Response:
    state = state_of(request)
    state.latency = Latency()
    return respond(state.latency.to_dict())


# -- faults --------------------------------------------------------------------------------
@routes.post("/__admin/faults")
async def add_fault(request: web.Request) -> web.Response:
    rule = state_of(request).faults.add(await read_json(request))
    return respond(rule.to_dict(), status=201, headers={"Location": f"/__admin/faults/{rule.id}"})


@routes.get("/__admin/faults")
async def list_faults(request: web.Request) -> web.Response:
    return respond([rule.to_dict() for rule in state_of(request).faults.rules])


@routes.delete("/__admin/faults")
async def clear_faults(request: web.Request) -> web.Response:
    state_of(request).faults.clear()
    return respond([])


@routes.get("/__admin/faults/{faultId}")
async def read_fault(request: web.Request) -> web.Response:
    return respond(state_of(request).faults.get(request.match_info["faultId"]).to_dict())


@routes.delete("/__admin/faults/{faultId}")
async def delete_fault(request: web.Request) -> web.Response:
    rule = state_of(request).faults.remove(request.match_info["faultId"])
    return respond(rule.to_dict())


# -- journal -------------------------------------------------------------------------------
@routes.get("/__admin/journal")
async def read_journal(request: web.Request) -> web.Response:
    """Entries oldest first; filters: ``method``, ``path`` (a prefix), ``status``."""
    return respond(journal_entries(request))


@routes.delete("/__admin/journal")
async def clear_journal(request: web.Request) -> web.Response:
    state_of(request).journal.clear()
    return respond([])


@routes.get("/__admin/openapi.json")
async def openapi_document(request: web.Request) -> web.Response:
    # Imported here so that ``python -m mockxcore.openapi`` is not already imported by then.
    from mockxcore import openapi

    document = openapi.build(state_of(request).contracts, f"{request.scheme}://{request.host}")
    return respond(document)
