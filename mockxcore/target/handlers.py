"""HTTP for the Target side: the Delivery API, the artifact CDN, geo, and ``/__admin/target``.

The Delivery API answers errors the way Target does (``{"status": 400, "message": "..."}``),
not as problem+json; everything under ``/__admin`` uses problem+json like the rest of the
control plane.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from mockxcore.jsonbody import parse_json
from mockxcore.problems import Problem, bad_request
from mockxcore.target import engine, ids, scopes
from mockxcore.target.artifact import ENVIRONMENTS, MAX_ARTIFACT_BYTES, MAX_BODY_DEPTH
from mockxcore.target.state import (
    REQUEST_SCHEMA,
    Client,
    TargetError,
    TargetState,
    normalize_ip,
)
from mockxcore.web import read_json, respond, state_of

routes = web.RouteTableDef()

DELIVERY_PATH = "/rest/v1/delivery"

MAX_MESSAGE_ERRORS = 3
GEO_HEADERS = (
    ("latitude", "x-geo-latitude"),
    ("longitude", "x-geo-longitude"),
    ("countryCode", "x-geo-country-code"),
    ("stateCode", "x-geo-region-code"),
    ("city", "x-geo-city"),
    ("zip", "x-geo-zip"),
)


def target_of(request: web.Request) -> TargetState:
    return state_of(request).target


def target_error(status: int, message: str) -> web.Response:
    return respond({"status": status, "message": message}, status=status)


# -- Delivery API --------------------------------------------------------------------------
async def _delivery_body(request: web.Request, target: TargetState) -> dict[str, Any]:
    """The checked DeliveryRequest. Parsed by the one request-body parser (empty, malformed
    and too deeply nested bodies are 400s there), its problems told in Target's shape.

    A body over ``--max-body`` never gets here: the control middleware, which reads every
    body first to journal it, answers that 413."""
    try:
        body = parse_json(await request.read())
    except Problem as problem:
        raise TargetError(problem.status, problem.detail) from None
    errors = target.contracts.validate(REQUEST_SCHEMA, body)
    if errors:
        named = "; ".join(
            f"{e.pointer or '/'}: {e.message.split(' (at #')[0]}"
            for e in errors[:MAX_MESSAGE_ERRORS]
        )
        extra = len(errors) - MAX_MESSAGE_ERRORS
        more = f" (and {extra} more)" if extra > 0 else ""
        raise TargetError(400, f"invalid DeliveryRequest: {named}{more}")
    result: dict[str, Any] = body
    return result


def _session_id(request: web.Request) -> str:
    session = request.query.get("sessionId")
    if session is None:
        raise TargetError(400, "the 'sessionId' query parameter is required")
    if (
        not 1 <= len(session) <= 128
        or " " in session
        or "?" in session
        or "/" in session
        or not session.isprintable()
    ):
        raise TargetError(
            400,
            "'sessionId' must be 1 to 128 printable characters, without space, '?' or '/'",
        )
    return session


def _visitor(
    given: dict[str, Any], client: Client, host: str, target: TargetState
) -> tuple[dict[str, Any], str, str]:
    """The response's ``id``, the allocation key, and the cluster the visitor lives on.

    Allocation hashes the ids the caller gave (as on-device SDKs do); only a visitor who gave
    none is allocated by the tntId made for it here."""
    visitor = {k: v for k, v in given.items() if v not in (None, "", [])}
    key = ids.allocation_key(visitor)
    tnt = visitor.get("tntId")
    cluster = ids.location_hint(tnt) or ids.cluster_from_host(host) or client.cluster
    if not tnt:
        other = visitor.get("marketingCloudVisitorId") or visitor.get("thirdPartyId")
        visitor["tntId"] = (
            ids.stable_tnt_id(f"{client.code}/{other}", cluster)
            if other
            else ids.new_tnt_id(target.rng, cluster)
        )
    return visitor, key or visitor["tntId"].split(".")[0], cluster


def _trace_header(
    client: Client, visitor: dict[str, Any], session: str, base_url: str
) -> dict[str, Any]:
    tnt = str(visitor.get("tntId", ""))
    head, _, location = tnt.partition(".")
    served = client.served()
    artifact = client.artifact
    return {
        "clientCode": client.code,
        "sessionId": session,
        "artifact": {
            "artifactLocation": f"{base_url}/{client.code}/{client.environment}/v1/rules.json",
            "artifactVersion": artifact.version if artifact else None,
            "clientCode": client.code,
            "environment": client.environment,
            "etag": served[1] if served else None,
        },
        "profile": {"visitorId": {**visitor, "tntId": head, "profileLocation": location or None}},
    }


def _acknowledge(
    body: dict[str, Any],
    client: Client,
    visitor: dict[str, Any],
    session: str,
    target: TargetState,
    received: str,
) -> list[dict[str, Any]]:
    notifications = body.get("notifications") or []
    target.record(
        [
            {
                "client": client.code,
                "sessionId": session,
                "receivedAt": received,
                "visitor": visitor,
                **notification,
            }
            for notification in notifications
        ]
    )
    return [{"id": n["id"]} for n in notifications]


@routes.post(DELIVERY_PATH)
async def delivery(request: web.Request) -> web.StreamResponse:
    state = state_of(request)
    target = target_of(request)
    try:
        body = await _delivery_body(request, target)
        session = _session_id(request)
        client = target.resolve(
            request.query.get("client"), request.host, request.query.get("imsOrgId")
        )
    except TargetError as error:
        return target_error(error.status, error.message)
    now = state.clock.now()
    visitor, key, cluster = _visitor(body.get("id") or {}, client, request.host, target)
    context = body.get("context") or {}
    artifact = client.artifact
    geo = target.resolve_geo(
        context.get("geo"), request.remote, bool(artifact and artifact.geo_enabled)
    )
    org = client.organization_id  # the client's own: imsOrgId never widens what it reaches
    store = state.repository.store
    inputs = engine.Inputs(
        client=client.code,
        now=now,
        visitor_key=key,
        geo=geo,
        property_token=(body.get("property") or {}).get("token"),
        remote_mboxes=client.remote_mboxes,
        remote_views=client.remote_views,
        scope=lambda name: scopes.options(store, state.decisioning, name, org, visitor),
        analytics=((body.get("experienceCloud") or {}).get("analytics") or {}).get("logging")
        == "client_side",
        trace=_trace_header(client, visitor, session, f"{request.scheme}://{request.host}")
        if body.get("trace") is not None
        else None,
    )
    response: dict[str, Any] = {
        "status": 200,
        "requestId": body.get("requestId") or ids.new_request_id(target.rng),
        "client": client.code,
        "id": visitor,
        "edgeHost": ids.edge_host(cluster),
    }
    response.update(engine.decide(artifact, body, inputs))
    if body.get("notifications"):
        received = now.isoformat().replace("+00:00", "Z")
        response["notifications"] = _acknowledge(body, client, visitor, session, target, received)
    if context.get("beacon") is True:
        return web.Response(status=204)
    return respond(response)


# -- artifact CDN and geo ------------------------------------------------------------------
def _matches(header: str | None, etag: str) -> bool:
    """Whether ``If-None-Match`` names the artifact's ETag (or is ``*``).

    Not ``xcore.repository.parse_etags``: that one reads the repository's integer ETags and
    refuses anything else with a 400, while an artifact's ETag is an opaque quoted hash, and a
    CDN answers a tag it does not know with the artifact, not an error."""
    if not header:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in tags or etag in tags


def _geo_headers(geo: dict[str, Any]) -> dict[str, str]:
    return {name: str(geo[key]) for key, name in GEO_HEADERS if geo.get(key) is not None}


@routes.get("/{client}/{environment}/v1/rules.json")
@routes.get("/{client}/{environment}/v1/{propertyToken}/rules.json")
async def rules_json(request: web.Request) -> web.Response:
    target = target_of(request)
    code = request.match_info["client"]
    environment = request.match_info["environment"]
    client = target.clients.get(code)
    served = None
    if client is not None and environment == client.environment:
        served = client.served(request.match_info.get("propertyToken"))
    if served is None:
        known = ", ".join(ENVIRONMENTS)
        raise Problem(
            404,
            "no-artifact",
            f"no artifact for client {code!r} in environment {environment!r} "
            f"(load one with PUT /__admin/target/clients/{code}/artifact or /table; "
            f"environments: {known})",
        )
    body, etag = served
    headers = {"ETag": etag, "Cache-Control": "max-age=0"}
    headers.update(_geo_headers(target.geo_for(request.remote)))
    if _matches(request.headers.get("If-None-Match"), etag):
        return web.Response(status=304, headers=headers)
    response = web.Response(body=body, headers=headers)
    response.headers["Content-Type"] = "application/json"
    return response


@routes.get("/v1/geo")
async def geo_lookup(request: web.Request) -> web.Response:
    target = target_of(request)
    forwarded = request.headers.get("x-forwarded-for", "").split(",")[0].strip()
    ip = normalize_ip(forwarded) if forwarded else None
    ip = ip or request.remote
    geo = target.geo_for(ip)
    body: dict[str, Any] = {"x-forwarded-for": ip} if ip else {}
    body.update({name: geo[key] for key, name in GEO_HEADERS if geo.get(key) is not None})
    return respond(body, headers=_geo_headers(geo))


# -- /__admin/target -----------------------------------------------------------------------
async def _read_limited(request: web.Request) -> Any:
    """An artifact or table body. It may be larger, and nest deeper, than other admin bodies;
    it is still bounded in both (problem+json 413 and 400)."""
    return await read_json(request, limit=MAX_ARTIFACT_BYTES, max_depth=MAX_BODY_DEPTH)


@routes.get("/__admin/target/clients")
async def list_clients(request: web.Request) -> web.Response:
    target = target_of(request)
    return respond({"clients": [c.summary() for c in target.clients.values()]})


@routes.get("/__admin/target/clients/{client}")
async def read_client(request: web.Request) -> web.Response:
    return respond(target_of(request).client(request.match_info["client"]).summary())


@routes.put("/__admin/target/clients/{client}")
async def put_client(request: web.Request) -> web.Response:
    body = await read_json(request)
    client = target_of(request).register(request.match_info["client"], body)
    return respond(client.summary())


@routes.delete("/__admin/target/clients/{client}")
async def delete_client(request: web.Request) -> web.Response:
    target_of(request).remove(request.match_info["client"])
    return web.Response(status=204)


@routes.get("/__admin/target/clients/{client}/artifact")
async def read_artifact(request: web.Request) -> web.Response:
    client = target_of(request).client(request.match_info["client"])
    served = client.served()
    if served is None:
        raise Problem(404, "no-artifact", f"client {client.code!r} has no artifact")
    response = web.Response(body=served[0], headers={"ETag": served[1]})
    response.headers["Content-Type"] = "application/json"
    return response


@routes.put("/__admin/target/clients/{client}/artifact")
async def put_artifact(request: web.Request) -> web.Response:
    raw = await _read_limited(request)
    client = target_of(request).load_artifact(request.match_info["client"], raw)
    return respond(client.summary())


@routes.get("/__admin/target/clients/{client}/table")
async def read_table(request: web.Request) -> web.Response:
    client = target_of(request).client(request.match_info["client"])
    if client.table is None:
        raise Problem(404, "no-table", f"client {client.code!r} was not loaded from a table")
    return respond(client.table)


@routes.put("/__admin/target/clients/{client}/table")
async def put_table(request: web.Request) -> web.Response:
    table = await _read_limited(request)
    client = target_of(request).load_table(request.match_info["client"], table)
    return respond(client.summary())


@routes.get("/__admin/target/clients/{client}/remote")
async def read_remote(request: web.Request) -> web.Response:
    client = target_of(request).client(request.match_info["client"])
    return respond(
        {
            "mboxes": {k: {"options": v} for k, v in client.remote_mboxes.items()},
            "views": {k: {"options": v} for k, v in client.remote_views.items()},
        }
    )


@routes.put("/__admin/target/clients/{client}/mboxes/{name}")
@routes.put("/__admin/target/clients/{client}/views/{name}")
async def put_remote(request: web.Request) -> web.Response:
    kind = "views" if "/views/" in request.path else "mboxes"
    body = await read_json(request)
    client = target_of(request).set_remote(
        request.match_info["client"], kind, request.match_info["name"], body
    )
    return respond(client.summary())


@routes.delete("/__admin/target/clients/{client}/mboxes/{name}")
@routes.delete("/__admin/target/clients/{client}/views/{name}")
async def delete_remote(request: web.Request) -> web.Response:
    kind = "views" if "/views/" in request.path else "mboxes"
    target_of(request).delete_remote(request.match_info["client"], kind, request.match_info["name"])
    return web.Response(status=204)


@routes.get("/__admin/target/geo")
async def list_geo(request: web.Request) -> web.Response:
    return respond({"geo": target_of(request).geo})


@routes.put("/__admin/target/geo/{ip}")
async def put_geo(request: web.Request) -> web.Response:
    body = await read_json(request)
    return respond(target_of(request).set_geo(request.match_info["ip"], body))


@routes.delete("/__admin/target/geo/{ip}")
async def delete_geo(request: web.Request) -> web.Response:
    target_of(request).delete_geo(request.match_info["ip"])
    return web.Response(status=204)


@routes.get("/__admin/target/notifications")
async def list_notifications(request: web.Request) -> web.Response:
    target = target_of(request)
    if request.query.get("type", "display") not in ("display", "click"):
        raise bad_request("bad-type", "type is display or click", pointer="/query/type")
    found = target.find_notifications(
        **{
            k: request.query[k]
            for k in ("client", "type", "sessionId", "mbox")
            if k in request.query
        }
    )
    return respond({"notifications": found, "received": target.notification_count})


@routes.delete("/__admin/target/notifications")
async def clear_notifications(request: web.Request) -> web.Response:
    target_of(request).clear_notifications()
    return web.Response(status=204)
