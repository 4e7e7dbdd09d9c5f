"""The OpenAPI 3.1 document of every endpoint the mock serves, assembled from ``contracts/``.

Schemas are not written twice: every JSON Schema the server validates with (instances, request
envelopes, patches, snapshots) and every response shape is inlined from the contracts registry
under ``components/schemas``, with ``$ref`` rewritten to point inside the document. The table
below adds what only HTTP knows: paths, parameters, media types and status codes. A test checks
that the table and the application's router list the same operations, so neither can drift.

    python -m mockxcore.openapi > contracts/openapi.json
"""

from __future__ import annotations

import copy
import sys
from typing import Any
from urllib.parse import urldefrag, urljoin

import orjson
from jsonpointer import escape

from mockxcore import __version__
from mockxcore.contracts import (
    CONTAINER_SCHEMA,
    HAL_REQUEST_SCHEMA,
    JSON_PATCH_SCHEMA,
    RESULTS_SCHEMA,
    Contracts,
)
from mockxcore.decisioning.service import MAX_ACTIVITIES
from mockxcore.target.openapi import paths as target_paths
from mockxcore.xcore import mediatypes as mt
from mockxcore.xcore.repository import MAX_FILTERS, MAX_IDS

NS = "https://ns.adobe.com/experience/"
ROOT = "/data/core/xcore"
RECEIPT = NS + "xcore/receipt"
HAL_INSTANCE = NS + "xcore/hal-instance"
HOME = NS + "xcore/home"
DELETE_PENDING = NS + "xcore/delete-pending"
DELETE_REJECTION = NS + "xcore/delete-rejection"
PROBLEM = NS + "mockxcore/problem"
SNAPSHOT = NS + "mockxcore/snapshot"
FAULT_RULE = NS + "mockxcore/fault-rule"
LATENCY = NS + "mockxcore/latency"
CLOCK = NS + "mockxcore/clock"
JOURNAL_ENTRY = NS + "mockxcore/journal-entry"
PROFILE = NS + "mockxcore/profile"
DECISION_REQUEST = NS + "offer-management/decision-request"
DECISION_RESPONSE = NS + "offer-management/decision-response"


def component_name(schema_id: str) -> str:
    """``https://ns.adobe.com/experience/offer-management/tag`` -> ``offer-management.tag``."""
    tail = schema_id.removeprefix(NS) if schema_id.startswith(NS) else schema_id.split("://")[-1]
    return "".join(c if c.isalnum() or c in "-_" else "." for c in tail)


def ref(schema_id: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{component_name(schema_id)}"}


def _inline(node: Any, base: str) -> Any:
    """A copy of a schema whose ``$ref``s point at ``#/components/schemas/...``."""
    if isinstance(node, list):
        return [_inline(item, base) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("$id", "$schema"):
            continue
        if key == "$ref" and isinstance(value, str):
            target, fragment = urldefrag(urljoin(base, value))
            out[key] = f"#/components/schemas/{component_name(target)}{fragment}"
        else:
            out[key] = _inline(value, base)
    return out


# -- building blocks -----------------------------------------------------------------------
def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"schema": schema}


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": _json(ref(PROBLEM))},
    }


PROBLEMS = {
    "400": _problem("Bad request: malformed JSON, bad parameters or a bad patch"),
    "401": _problem("No bearer token"),
    "403": _problem("Missing x-api-key, x-gw-ims-org-id or x-sandbox-name"),
    "404": _problem("Unknown container, instance or status"),
    "406": _problem("The Accept header admits no representation this resource has"),
    "409": _problem("If-Match names a stale etag (or the instance already exists)"),
    "413": _problem("The body is larger than the configured limit"),
    "507": _problem("A new org + sandbox, and the mock already holds 10,000"),
    "415": _problem("Wrong Content-Type; the detail names the expected one"),
    "422": _problem("The instance breaks its schema, a reference or a semantic rule"),
}


def _problems(*codes: int) -> dict[str, Any]:
    return {str(code): PROBLEMS[str(code)] for code in codes}


def _header(
    name: str, description: str, *, required: bool = False, schema: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "name": name,
        "in": "header",
        "required": required,
        "description": description,
        "schema": schema or {"type": "string", "minLength": 1},
    }


TENANT = [
    _header(
        "x-gw-ims-org-id",
        "IMS organization; with the sandbox, the unit of isolation",
        required=True,
    ),
    _header("x-sandbox-name", "Sandbox name", required=True),
    _header(
        "x-request-id", "Echoed on the answer (when 1 to 256 characters)", schema={"type": "string"}
    ),
]
IF_MATCH = _header(
    "If-Match",
    'Only write if the etag still is this one ("3", a list, or *); else 409. An etag the '
    "repository never issued matches nothing.",
    schema={"type": "string"},
)
IF_NONE_MATCH = _header(
    "If-None-Match",
    'Answer 304 while the etag still is this one ("3", a list, or *)',
    schema={"type": "string"},
)


def _path(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string", "minLength": 1},
    }


CONTAINER_ID = _path("containerId", "instanceId of a container (see the home document)")
INSTANCE_ID = _path("instanceId", "instanceId of an instance")
STATUS_ID = _path("statusId", "The status id from a delete's Location header")


def _query(
    name: str,
    description: str,
    schema: dict[str, Any],
    *,
    required: bool = False,
    repeatable: bool = False,
    max_items: int = MAX_FILTERS,
) -> dict[str, Any]:
    param: dict[str, Any] = {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
    }
    if repeatable:
        param.update(
            schema={"type": "array", "items": schema, "maxItems": max_items},
            style="form",
            explode=True,
        )
    else:
        param["schema"] = schema
    return param


LIST_PARAMS = [
    _query(
        "schema",
        "Schema id of the instances to list",
        {"type": "string", "minLength": 1},
        required=True,
    ),
    _query(
        "orderBy",
        "Comma list of property paths, each optionally prefixed + or -",
        {"type": "string"},
    ),
    _query("start", "Exclusive cursor on the first orderBy property", {"type": "string"}),
    _query(
        "limit",
        "Page size hint (clamped to the server's maximum)",
        {"type": "integer", "minimum": 1},
    ),
    _query(
        "property",
        "Filter: path, path==v, !=, <, <=, >, >=, path~regex",
        {"type": "string", "minLength": 1},
        repeatable=True,
    ),
    _query("id", "Filter on @id", {"type": "string"}, repeatable=True, max_items=MAX_IDS),
]
SEARCH_PARAMS = [
    {**LIST_PARAMS[0], "required": False},
    *LIST_PARAMS[1:],
    _query("q", "Search terms (see the README for escapes and phrases)", {"type": "string"}),
    _query(
        "field", "Restrict matching to these property paths", {"type": "string"}, repeatable=True
    ),
    _query("qop", "or (default): any term; and: every term", {"enum": ["and", "or"]}),
]

WRITE_HEADERS = {
    "ETag": {"description": "The new etag, quoted", "schema": {"type": "string"}},
    "Content-Base": {
        "description": "Base URI the relative Location resolves against",
        "schema": {"type": "string"},
    },
}


def _receipt(
    status: str,
    description: str,
    *,
    location: bool = False,
    links: dict[str, Any] | None = None,
) -> dict[str, Any]:
    headers = dict(WRITE_HEADERS)
    if location:
        headers["Location"] = {
            "description": "Relative to Content-Base",
            "schema": {"type": "string"},
        }
    answer: dict[str, Any] = {
        "description": description,
        "headers": headers,
        "content": {mt.RECEIPT: _json(ref(RECEIPT))},
    }
    if links:
        answer["links"] = links
    return {status: answer}


def _links(parameters: dict[str, str], *operation_ids: str) -> dict[str, Any]:
    """OpenAPI links: what a client (or Schemathesis) may call next with the ids an answer
    gave, e.g. read the instance a create made."""
    return {op: {"operationId": op, "parameters": parameters} for op in operation_ids}


FIRST_CONTAINER = escape(CONTAINER_SCHEMA) + "/0"
_CONTAINER_OPERATIONS = ("createInstance", "listInstances", "searchInstances")
_INSTANCE_OPERATIONS = ("readInstance", "replaceInstance", "patchInstance", "deleteInstance")


def _pending() -> dict[str, Any]:
    return {
        "202": {
            "description": "Outcome not known yet: poll the Location",
            "headers": {
                "Location": {
                    "description": "deletions/{statusId}, relative to Content-Base",
                    "schema": {"type": "string"},
                }
            },
            "content": {"application/json": _json(ref(DELETE_PENDING))},
        }
    }


def _hal(schema_ids: list[str]) -> dict[str, Any]:
    """One request media type per business-object schema, as create and PUT take them."""
    return {
        mt.hal(sid): _json(
            {"allOf": [ref(HAL_REQUEST_SCHEMA), {"properties": {"_instance": ref(sid)}}]}
        )
        for sid in schema_ids
    }


def _operation(
    op_id: str,
    summary: str,
    tag: str,
    *,
    parameters: list[Any] | None = None,
    body: dict[str, Any] | None = None,
    responses: dict[str, Any],
    secured: bool = True,
) -> dict[str, Any]:
    operation: dict[str, Any] = {"operationId": op_id, "summary": summary, "tags": [tag]}
    operation["parameters"] = (TENANT if secured else []) + (parameters or [])
    if body is not None:
        operation["requestBody"] = {"required": True, "content": body}
    operation["responses"] = {**responses, **(_problems(507) if secured else {})}
    operation["security"] = [{"bearer": [], "apiKey": []}] if secured else []
    return operation


def paths(contracts: Contracts) -> dict[str, Any]:
    instances = contracts.instance_schemas()
    read = {
        "200": {
            "description": "The HAL document",
            "headers": {"ETag": WRITE_HEADERS["ETag"]},
            "content": {mt.HAL: _json(ref(HAL_INSTANCE))},
        },
        "304": {"description": "Not modified since the If-None-Match etag"},
    }
    results = {
        "200": {"description": "A page", "content": {mt.RESULTS: _json(ref(RESULTS_SCHEMA))}}
    }
    home = _operation(
        "readHome",
        "The caller's containers (home.hal)",
        "repository",
        parameters=[
            _query("product", "Product context filter (union)", {"type": "string"}, repeatable=True)
        ],
        responses={
            "200": {
                "description": "Home document",
                "content": {mt.HOME_HAL: _json(ref(HOME))},
                "links": _links(
                    {"containerId": f"$response.body#/_embedded/{FIRST_CONTAINER}/instanceId"},
                    *_CONTAINER_OPERATIONS,
                ),
            },
            **_problems(400, 401, 403, 406),
        },
    )
    container_body = _hal([CONTAINER_SCHEMA])
    return {
        ROOT: {"get": {**home, "operationId": "readHomeNoSlash"}},
        ROOT + "/": {"get": home},
        ROOT + "/containers": {
            "post": _operation(
                "createContainer",
                "Create a container",
                "containers",
                body=container_body,
                responses={
                    **_receipt(
                        "201",
                        "Created",
                        location=True,
                        links=_links(
                            {"containerId": "$response.body#/instanceId"},
                            "readContainer",
                            "replaceContainer",
                            "deleteContainer",
                            *_CONTAINER_OPERATIONS,
                        ),
                    ),
                    **_problems(400, 401, 403, 406, 409, 413, 415, 422),
                },
            ),
            "get": _operation(
                "listContainers",
                "List the caller's containers",
                "containers",
                parameters=[
                    _query(
                        "product",
                        "Product context filter (union)",
                        {"type": "string"},
                        repeatable=True,
                    )
                ],
                responses={**results, **_problems(400, 401, 403, 406)},
            ),
        },
        ROOT + "/containers/{containerId}": {
            "parameters": [CONTAINER_ID],
            "get": _operation(
                "readContainer",
                "Read a container",
                "containers",
                parameters=[IF_NONE_MATCH],
                responses={**read, **_problems(400, 401, 403, 404, 406)},
            ),
            "put": _operation(
                "replaceContainer",
                "Update a container",
                "containers",
                parameters=[IF_MATCH],
                body=container_body,
                responses={
                    **_receipt("200", "Updated"),
                    **_problems(400, 401, 403, 404, 406, 409, 413, 415, 422),
                },
            ),
            "delete": _operation(
                "deleteContainer",
                "Delete an empty container (asynchronous)",
                "containers",
                parameters=[IF_MATCH],
                responses={**_pending(), **_problems(401, 403, 404, 409)},
            ),
        },
        ROOT + "/deletions/{statusId}": {
            "parameters": [STATUS_ID],
            "get": _operation(
                "pollDeletion",
                "Poll a delete's status",
                "repository",
                responses={
                    "200": {
                        "description": "The outcome: the receipt, or the rejection",
                        "content": {
                            mt.RECEIPT: _json({"oneOf": [ref(RECEIPT), ref(DELETE_REJECTION)]})
                        },
                    },
                    **_pending(),
                    **_problems(401, 403, 404),
                },
            ),
        },
        ROOT + "/{containerId}/instances": {
            "parameters": [CONTAINER_ID],
            "post": _operation(
                "createInstance",
                "Create an instance of the Content-Type's schema",
                "instances",
                body=_hal(instances),
                responses={
                    **_receipt(
                        "201",
                        "Created",
                        location=True,
                        links=_links(
                            {
                                "containerId": "$request.path.containerId",
                                "instanceId": "$response.body#/instanceId",
                            },
                            *_INSTANCE_OPERATIONS,
                        ),
                    ),
                    **_problems(400, 401, 403, 404, 406, 409, 413, 415, 422),
                },
            ),
            "get": _operation(
                "listInstances",
                "List instances of a schema",
                "instances",
                parameters=LIST_PARAMS,
                responses={**results, **_problems(400, 401, 403, 404, 406)},
            ),
        },
        ROOT + "/{containerId}/queries/core/search": {
            "parameters": [CONTAINER_ID],
            "get": _operation(
                "searchInstances",
                "Full-text search with list filters",
                "instances",
                parameters=SEARCH_PARAMS,
                responses={**results, **_problems(400, 401, 403, 404, 406)},
            ),
        },
        ROOT + "/{containerId}/instances/{instanceId}": {
            "parameters": [CONTAINER_ID, INSTANCE_ID],
            "get": _operation(
                "readInstance",
                "Read an instance",
                "instances",
                parameters=[IF_NONE_MATCH],
                responses={**read, **_problems(400, 401, 403, 404, 406)},
            ),
            "put": _operation(
                "replaceInstance",
                "Replace an instance",
                "instances",
                parameters=[IF_MATCH],
                body={**_hal(instances), "application/json": _json(ref(HAL_REQUEST_SCHEMA))},
                responses={
                    **_receipt("200", "Updated"),
                    **_problems(400, 401, 403, 404, 406, 409, 413, 415, 422),
                },
            ),
            "patch": _operation(
                "patchInstance",
                "Apply a JSON Patch to the HAL document",
                "instances",
                parameters=[IF_MATCH],
                body={
                    mt.PATCH_HAL: _json(ref(JSON_PATCH_SCHEMA)),
                    "application/json-patch+json": _json(ref(JSON_PATCH_SCHEMA)),
                },
                responses={
                    **_receipt("200", "Patched"),
                    **_problems(400, 401, 403, 404, 406, 409, 413, 415, 422),
                },
            ),
            "delete": _operation(
                "deleteInstance",
                "Delete an instance (asynchronous)",
                "instances",
                parameters=[IF_MATCH],
                responses={**_pending(), **_problems(401, 403, 404, 409)},
            ),
        },
        "/__admin/health": {
            "get": _operation(
                "health",
                "Liveness and version",
                "admin",
                secured=False,
                responses={
                    "200": {
                        "description": "Up",
                        "content": {
                            "application/json": _json(
                                {
                                    "type": "object",
                                    "properties": {
                                        "status": {"const": "ok"},
                                        "version": {"type": "string"},
                                    },
                                    "required": ["status", "version"],
                                }
                            )
                        },
                    }
                },
            )
        },
        "/__admin/reset": {
            "post": _operation(
                "reset",
                "Back to the start-up data",
                "admin",
                secured=False,
                responses={
                    "200": {
                        "description": "Reset",
                        "content": {"application/json": _json({"type": "object"})},
                    }
                },
            )
        },
        "/__admin/state": {
            "get": _operation(
                "exportState",
                "The whole state as a snapshot",
                "admin",
                secured=False,
                responses={
                    "200": {
                        "description": "Snapshot",
                        "content": {"application/json": _json(ref(SNAPSHOT))},
                    }
                },
            ),
            "put": _operation(
                "importState",
                "Replace the whole state (all or nothing)",
                "admin",
                secured=False,
                body={"application/json": _json(ref(SNAPSHOT))},
                responses={
                    "200": {
                        "description": "Imported",
                        "content": {"application/json": _json({"type": "object"})},
                    },
                    **_problems(400, 413, 422),
                },
            ),
        },
        **admin_paths(),
        **decisioning_paths(),
        **target_paths(),
        "/__admin/openapi.json": {
            "get": _operation(
                "openapi",
                "This document",
                "admin",
                secured=False,
                responses={
                    "200": {
                        "description": "OpenAPI 3.1",
                        "content": {"application/json": _json({"type": "object"})},
                    }
                },
            )
        },
    }


def _admin(
    op_id: str,
    summary: str,
    schema: dict[str, Any],
    *,
    status: str = "200",
    body: dict[str, Any] | None = None,
    problems: tuple[int, ...] = (),
    parameters: list[Any] | None = None,
) -> dict[str, Any]:
    return _operation(
        op_id,
        summary,
        "admin",
        secured=False,
        parameters=parameters,
        body={"application/json": _json(body)} if body is not None else None,
        responses={
            status: {"description": summary, "content": {"application/json": _json(schema)}},
            **_problems(*problems),
        },
    )


def admin_paths() -> dict[str, Any]:
    """The control plane: clock, latency, faults, journal."""
    rules = {"type": "array", "items": ref(FAULT_RULE)}
    journal = {"type": "array", "items": ref(JOURNAL_ENTRY)}
    fault_id = _path("faultId", "The id POST /__admin/faults gave the rule")
    clock_change = {
        "oneOf": [
            {
                "type": "object",
                "properties": {"now": {"type": "string", "format": "date-time"}},
                "required": ["now"],
                "additionalProperties": False,
            },
            {
                "type": "object",
                "properties": {"advance": {"type": ["string", "number"]}},
                "required": ["advance"],
                "additionalProperties": False,
            },
        ]
    }
    journal_filters = [
        _query("method", "Only this method", {"type": "string"}),
        _query("path", "Only paths starting with this", {"type": "string"}),
        _query("status", "Only this status", {"type": "integer"}),
    ]
    return {
        "/__admin/clock": {
            "get": _admin("readClock", "The mock's clock", ref(CLOCK)),
            "put": _admin(
                "setClock",
                "Freeze the clock at now, or advance it",
                ref(CLOCK),
                body=clock_change,
                problems=(400,),
            ),
            "delete": _admin("unfreezeClock", "Back to wall time", ref(CLOCK)),
        },
        "/__admin/latency": {
            "get": _admin("readLatency", "Latency settings", ref(LATENCY)),
            "put": _admin(
                "setLatency",
                "Replace the latency settings",
                ref(LATENCY),
                body=ref(LATENCY),
                problems=(400,),
            ),
            "delete": _admin("clearLatency", "No added latency", ref(LATENCY)),
        },
        "/__admin/faults": {
            "post": _admin(
                "addFault",
                "Add a fault rule",
                ref(FAULT_RULE),
                status="201",
                body=ref(FAULT_RULE),
                problems=(400,),
            ),
            "get": _admin("listFaults", "The fault rules and how often each fired", rules),
            "delete": _admin("clearFaults", "Remove every fault rule", rules),
        },
        "/__admin/faults/{faultId}": {
            "get": _admin(
                "readFault",
                "One fault rule",
                ref(FAULT_RULE),
                problems=(404,),
                parameters=[fault_id],
            ),
            "delete": _admin(
                "deleteFault",
                "Remove one fault rule",
                ref(FAULT_RULE),
                problems=(404,),
                parameters=[fault_id],
            ),
        },
        "/__admin/journal": {
            "get": _admin(
                "readJournal",
                "Recorded requests and answers, oldest first",
                journal,
                problems=(400,),
                parameters=journal_filters,
            ),
            "delete": _admin("clearJournal", "Forget every recorded request", journal),
        },
    }


def decisioning_paths() -> dict[str, Any]:
    """The decisioning runtime (ODE) and its admin endpoints (profiles, decision events)."""
    xdm = "application/vnd.adobe.xdm+json"
    ode = "/data/core/ode/{containerId}"
    identity = [
        _path("namespace", "Identity namespace (Email, ECID, CRMID...)"),
        _path("id", "The identity in that namespace"),
    ]
    tenant = [
        _header("x-gw-ims-org-id", "The org whose profiles these are (default: the demo org)"),
        _header("x-sandbox-name", "The sandbox (default: prod)"),
    ]
    profile = {**ref(PROFILE)}
    events = {"type": "array", "items": {"type": "object"}}
    anything = {"type": "object"}
    return {
        ode + "/decisions": {
            "parameters": [CONTAINER_ID],
            "post": _operation(
                "decide",
                "Decide offers for activities",
                "decisioning",
                body={
                    f'{xdm}; schema="{DECISION_REQUEST};version=0.5"': _json(ref(DECISION_REQUEST)),
                    "application/json": _json(ref(DECISION_REQUEST)),
                },
                responses={
                    "200": {
                        "description": "One proposition per activity",
                        "content": {xdm: _json(ref(DECISION_RESPONSE))},
                    },
                    **_problems(400, 401, 403, 404, 406, 413, 415),
                },
            ),
        },
        ode + "/offers": {
            "parameters": [CONTAINER_ID],
            "get": _operation(
                "activityOffers",
                "Candidate offers of activities, before profile rules",
                "decisioning",
                parameters=[
                    _query(
                        "activityId",
                        f"An activity @id (1 to {MAX_ACTIVITIES})",
                        {"type": "string", "minLength": 1},
                        required=True,
                        repeatable=True,
                        max_items=MAX_ACTIVITIES,
                    )
                ],
                responses={
                    "200": {
                        "description": "Per activity",
                        "content": {"application/json": _json(anything)},
                    },
                    **_problems(400, 401, 403, 404),
                },
            ),
        },
        ode + "/diagnostics": {
            "parameters": [CONTAINER_ID],
            "get": _operation(
                "diagnostics",
                "When the catalog last changed, and what does not compile",
                "decisioning",
                responses={
                    "200": {
                        "description": "Diagnostics",
                        "content": {"application/json": _json(anything)},
                    },
                    **_problems(401, 403, 404),
                },
            ),
        },
        "/__admin/profiles/{namespace}/{id}": {
            "parameters": identity,
            "put": _admin(
                "putProfile",
                "Store a profile",
                profile,
                body=ref(PROFILE),
                problems=(400, 413),
                parameters=tenant,
            ),
            "get": _admin(
                "getProfile", "Read a profile", profile, problems=(400, 404), parameters=tenant
            ),
            "delete": _admin(
                "deleteProfile",
                "Forget a profile",
                profile,
                problems=(400, 404),
                parameters=tenant,
            ),
        },
        "/__admin/decisions": {
            "get": _admin(
                "listDecisions",
                "Decision events (non-dry-run decisions)",
                events,
                problems=(400,),
                parameters=tenant,
            ),
            "delete": _admin(
                "clearDecisions",
                "Forget the decision events",
                events,
                problems=(400,),
                parameters=tenant,
            ),
        },
    }


def build(contracts: Contracts, server_url: str | None = None) -> dict[str, Any]:
    """The whole document; ``server_url`` (the mock's own base URL) goes in ``servers``."""
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "mockxcore",
            "version": __version__,
            "description": "Every endpoint mockxcore serves: the Experience Platform repository "
            "(xcore) API for Decisioning objects, and the /__admin control plane.",
        },
        "servers": [{"url": server_url or "/"}],
        "paths": paths(contracts),
        "components": {
            "schemas": {
                component_name(sid): _inline(copy.deepcopy(contracts.schema(sid)), sid)
                for sid in contracts.ids()
            },
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Any token (Adobe IMS access token)",
                },
                "apiKey": {"type": "apiKey", "in": "header", "name": "x-api-key"},
            },
        },
    }
    return document


def main() -> None:
    from mockxcore import contracts

    sys.stdout.write(orjson.dumps(build(contracts.default()), option=orjson.OPT_INDENT_2).decode())
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
