"""The Target part of the OpenAPI document: Delivery API, artifact CDN, geo, ``/__admin/target``.

Merged into :func:`mockxcore.openapi.paths`; schemas come from ``contracts/schemas/target``.
"""

from __future__ import annotations

from typing import Any

NS = "https://ns.adobe.com/experience/"
DELIVERY_REQUEST = NS + "target/delivery-request"
DELIVERY_RESPONSE = NS + "target/delivery-response"
TARGET_ERROR = NS + "target/error"
ARTIFACT = NS + "target/artifact"
GEO = NS + "target/geo"
GEO_ENTRY = NS + "mockxcore/target/geo-entry"
TABLE = NS + "mockxcore/target/decision-table"
CLIENT = NS + "mockxcore/target/client"
REMOTE = NS + "mockxcore/target/remote-content"
PROBLEM = NS + "mockxcore/problem"

_STRING = {"type": "string"}
CLIENT_SUMMARY = {
    "type": "object",
    "properties": {
        "client": _STRING,
        "organizationId": {"type": ["string", "null"]},
        "cluster": _STRING,
        "environment": _STRING,
        "source": {"enum": ["table", "artifact", None]},
        "etag": {"type": ["string", "null"]},
        "artifactPath": {"type": ["string", "null"]},
        "remoteMboxes": {"type": "array", "items": _STRING},
        "remoteViews": {"type": "array", "items": _STRING},
    },
    "required": ["client", "cluster", "environment", "remoteMboxes", "remoteViews"],
}
GEO_ANSWER = {
    "type": "object",
    "description": "The x-geo-* values (also sent as headers) for the address looked up.",
    "properties": {
        "x-forwarded-for": _STRING,
        "x-geo-latitude": {"type": "number"},
        "x-geo-longitude": {"type": "number"},
        "x-geo-country-code": _STRING,
        "x-geo-region-code": _STRING,
        "x-geo-city": _STRING,
        "x-geo-zip": _STRING,
    },
}
NOTIFICATIONS = {
    "type": "object",
    "properties": {
        "notifications": {
            "type": "array",
            "items": {
                "type": "object",
                "description": "A notification as sent, with the client, session, visitor and "
                "time it was received",
                "properties": {
                    "client": _STRING,
                    "sessionId": _STRING,
                    "receivedAt": _STRING,
                    "visitor": {"type": "object"},
                    "id": _STRING,
                    "type": {"enum": ["click", "display"]},
                    "timestamp": {"type": "integer"},
                    "tokens": {"type": "array", "items": _STRING},
                },
                "required": ["client", "sessionId", "receivedAt", "id", "type"],
            },
        },
        "received": {"type": "integer", "description": "All notifications ever received"},
    },
    "required": ["notifications", "received"],
}


def _param(
    name: str,
    where: str,
    description: str,
    *,
    required: bool = False,
    schema: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "name": name,
        "in": where,
        "required": required or where == "path",
        "description": description,
        "schema": schema or {"type": "string", "minLength": 1},
    }


def paths() -> dict[str, Any]:
    from mockxcore.openapi import ref  # here: mockxcore.openapi imports this module

    def json(schema: dict[str, Any]) -> dict[str, Any]:
        return {"application/json": {"schema": schema}}

    def problem(description: str) -> dict[str, Any]:
        return {
            "description": description,
            "content": {"application/problem+json": {"schema": ref(PROBLEM)}},
        }

    def target_error(description: str) -> dict[str, Any]:
        return {"description": description, "content": json(ref(TARGET_ERROR))}

    def op(
        op_id: str,
        summary: str,
        tag: str,
        responses: dict[str, Any],
        *,
        parameters: list[dict[str, Any]] | None = None,
        body: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        operation: dict[str, Any] = {
            "operationId": op_id,
            "summary": summary,
            "tags": [tag],
            "parameters": parameters or [],
        }
        if body is not None:
            operation["requestBody"] = {"required": True, "content": json(body)}
        operation["responses"] = responses
        operation["security"] = []
        return operation

    def ok(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
        return {"200": {"description": description, "content": json(schema)}}

    no_content = {"204": {"description": "Done"}}
    client = _param(
        "client",
        "path",
        "Target client code",
        schema={"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$"},
    )
    ip = _param(
        "ip",
        "path",
        "IPv4 or IPv6 address",
        schema={"type": "string", "anyOf": [{"format": "ipv4"}, {"format": "ipv6"}]},
    )
    name = _param("name", "path", "mbox or view name")
    admin_bad = {
        "400": problem("Empty, malformed or too deeply nested JSON, or a bad client code"),
        "413": problem("Body too large"),
        "422": problem("The body breaks its schema or a rule; errors name each JSON pointer"),
    }
    missing = {"404": problem("No such client (or entry)")}
    rules_params = [
        client,
        _param("environment", "path", "production, staging or development"),
        _param("If-None-Match", "header", "Answer 304 while the artifact's ETag is this one"),
    ]
    rules_responses = {
        "200": {
            "description": "The artifact, with its ETag and the caller's x-geo-* headers",
            "headers": {"ETag": {"schema": _STRING}},
            "content": json(ref(ARTIFACT)),
        },
        "304": {"description": "Not modified since If-None-Match"},
        "404": problem("No artifact for this client and environment"),
    }
    return {
        "/rest/v1/delivery": {
            "post": op(
                "delivery",
                "Target Delivery API: execute, prefetch, notifications",
                "target",
                {
                    "200": {"description": "Decisions", "content": json(ref(DELIVERY_RESPONSE))},
                    "204": {"description": "context.beacon was true"},
                    "400": target_error(
                        "Invalid, empty, malformed or too deeply nested request; bad sessionId; "
                        "unknown client, or an imsOrgId that is not the client's; message names it"
                    ),
                    "413": target_error("Body too large"),
                },
                parameters=[
                    _param("client", "query", "Client code (else: Host, imsOrgId, the only one)"),
                    _param(
                        "imsOrgId",
                        "query",
                        "IMS organization of the caller; must be the client's when it has one",
                    ),
                    _param("sessionId", "query", "1-128 printable characters", required=True),
                    _param("version", "query", "Client library version"),
                ],
                body=ref(DELIVERY_REQUEST),
            )
        },
        "/{client}/{environment}/v1/rules.json": {
            "get": op(
                "rulesArtifact",
                "On-device decisioning artifact (ETag, 304)",
                "target",
                rules_responses,
                parameters=rules_params,
            )
        },
        "/{client}/{environment}/v1/{propertyToken}/rules.json": {
            "get": op(
                "propertyRulesArtifact",
                "Artifact with only the rules an at_property may see",
                "target",
                rules_responses,
                parameters=[*rules_params, _param("propertyToken", "path", "at_property token")],
            )
        },
        "/v1/geo": {
            "get": op(
                "geo",
                "Geo of the x-forwarded-for address (else the caller's), as x-geo-* values",
                "target",
                ok(GEO_ANSWER, "The location; empty for an unknown address"),
                parameters=[
                    _param(
                        "x-forwarded-for",
                        "header",
                        "Address to look up (the first of a list); empty: the caller's",
                        schema=_STRING,
                    )
                ],
            )
        },
        "/__admin/target/clients": {
            "get": op(
                "listTargetClients",
                "Target clients",
                "admin",
                ok(
                    {
                        "type": "object",
                        "properties": {"clients": {"type": "array", "items": CLIENT_SUMMARY}},
                    }
                ),
            )
        },
        "/__admin/target/clients/{client}": {
            "get": op(
                "readTargetClient",
                "A Target client",
                "admin",
                {**ok(CLIENT_SUMMARY), **missing},
                parameters=[client],
            ),
            "put": op(
                "putTargetClient",
                "Create or update a client (organization, cluster)",
                "admin",
                {**ok(CLIENT_SUMMARY), **admin_bad},
                parameters=[client],
                body=ref(CLIENT),
            ),
            "delete": op(
                "deleteTargetClient",
                "Remove a client",
                "admin",
                {**no_content, **missing},
                parameters=[client],
            ),
        },
        "/__admin/target/clients/{client}/artifact": {
            "get": op(
                "readTargetArtifact",
                "The client's artifact as served",
                "admin",
                {**ok(ref(ARTIFACT)), **missing},
                parameters=[client],
            ),
            "put": op(
                "putTargetArtifact",
                "Load an artifact (validated; a refused one leaves the previous in place)",
                "admin",
                {**ok(CLIENT_SUMMARY), **admin_bad},
                parameters=[client],
                body=ref(ARTIFACT),
            ),
        },
        "/__admin/target/clients/{client}/table": {
            "get": op(
                "readTargetTable",
                "The decision table the artifact was compiled from",
                "admin",
                {**ok(ref(TABLE)), **missing},
                parameters=[client],
            ),
            "put": op(
                "putTargetTable",
                "Load a decision table (compiled into the artifact)",
                "admin",
                {**ok(CLIENT_SUMMARY), **admin_bad},
                parameters=[client],
                body=ref(TABLE),
            ),
        },
        "/__admin/target/clients/{client}/remote": {
            "get": op(
                "readTargetRemote",
                "Server-side-only content of the client",
                "admin",
                {
                    **ok(
                        {
                            "type": "object",
                            "properties": {
                                "mboxes": {"type": "object", "additionalProperties": ref(REMOTE)},
                                "views": {"type": "object", "additionalProperties": ref(REMOTE)},
                            },
                        }
                    ),
                    **missing,
                },
                parameters=[client],
            )
        },
        "/__admin/target/clients/{client}/mboxes/{name}": {
            "put": op(
                "putTargetRemoteMbox",
                "Server-side-only content of an mbox (listed as remote in the artifact)",
                "admin",
                {**ok(CLIENT_SUMMARY), **admin_bad},
                parameters=[client, name],
                body=ref(REMOTE),
            ),
            "delete": op(
                "deleteTargetRemoteMbox",
                "Remove it",
                "admin",
                {**no_content, **missing},
                parameters=[client, name],
            ),
        },
        "/__admin/target/clients/{client}/views/{name}": {
            "put": op(
                "putTargetRemoteView",
                "Server-side-only content of a view (listed as remote in the artifact)",
                "admin",
                {**ok(CLIENT_SUMMARY), **admin_bad},
                parameters=[client, name],
                body=ref(REMOTE),
            ),
            "delete": op(
                "deleteTargetRemoteView",
                "Remove it",
                "admin",
                {**no_content, **missing},
                parameters=[client, name],
            ),
        },
        "/__admin/target/geo": {
            "get": op(
                "listTargetGeo",
                "The geo table",
                "admin",
                ok(
                    {
                        "type": "object",
                        "properties": {"geo": {"type": "object", "additionalProperties": ref(GEO)}},
                    }
                ),
            )
        },
        "/__admin/target/geo/{ip}": {
            "put": op(
                "putTargetGeo",
                "What /v1/geo and delivery decisions use for this address",
                "admin",
                {**ok(ref(GEO)), **admin_bad},
                parameters=[ip],
                body=ref(GEO_ENTRY),
            ),
            "delete": op(
                "deleteTargetGeo",
                "Forget it",
                "admin",
                {**no_content, **missing},
                parameters=[ip],
            ),
        },
        "/__admin/target/notifications": {
            "get": op(
                "listTargetNotifications",
                "Notifications received (display, click), newest last; filters are exact",
                "admin",
                {**ok(NOTIFICATIONS), "400": problem("type is neither display nor click")},
                parameters=[
                    _param("client", "query", "Only this client's", schema=_STRING),
                    _param(
                        "type", "query", "display or click", schema={"enum": ["display", "click"]}
                    ),
                    _param("sessionId", "query", "Only this session's", schema=_STRING),
                    _param("mbox", "query", "Only notifications for this mbox", schema=_STRING),
                ],
            ),
            "delete": op("clearTargetNotifications", "Forget them", "admin", no_content),
        },
    }
