"""Does a request, or an answer, conform to the contracts? One checker for every use.

It reads the OpenAPI document (itself assembled from ``contracts/``) and checks an HTTP
exchange against it: the operation exists; required headers and query parameters are present
and valid; the request's media type is one the operation takes and its body validates; the
answer's status is documented, its media type too, and its body validates. Strict mode (live),
``mockxcore verify`` (a recorded journal), ``contract-test`` (a server's answers) and ``record``
(a real service's answers, with drift) all call it.

With ``unknown_fields=True`` an object whose schema lists its ``properties`` may not carry
others: that is how ``record`` notices a field the contracts do not know yet.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import orjson
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from mockxcore.contracts import describe_error, pointer

_METHODS = ("get", "put", "post", "delete", "patch", "options", "head")
_DOC = "urn:mockxcore:openapi"


@dataclass(frozen=True)
class Violation:
    """One way an exchange breaks the contracts."""

    side: str
    """``request`` or ``response``."""
    kind: str
    """``operation``, ``header``, ``query``, ``media-type``, ``body`` or ``status``."""
    message: str
    pointer: str = ""
    """Where in the body (JSON pointer), or ``/headers/<name>``, ``/query/<name>``."""
    schema_path: str = ""
    """Where in the OpenAPI document the rule that failed is."""

    def to_dict(self) -> dict[str, str]:
        return {
            "side": self.side,
            "kind": self.kind,
            "message": self.message,
            "pointer": self.pointer,
            "schemaPath": self.schema_path,
        }


def _essence(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _param(content_type: str | None, name: str) -> str | None:
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == name:
            return value.strip().strip('"').split(";", 1)[0]
    return None


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _close_objects(node: Any) -> Any:
    """A copy in which every object schema that lists properties refuses others."""
    if isinstance(node, list):
        return [_close_objects(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _close_objects(value) for key, value in node.items()}
    if (
        "properties" in out
        and "additionalProperties" not in out
        and "unevaluatedProperties" not in out
        and "patternProperties" not in out
    ):
        out["unevaluatedProperties"] = False
    return out


class Conformance:
    def __init__(self, document: dict[str, Any], *, unknown_fields: bool = False) -> None:
        self.document = _close_objects(document) if unknown_fields else document
        resource = Resource.from_contents(self.document, default_specification=DRAFT202012)
        self._registry: Registry[Any] = Registry().with_resource(_DOC, resource)
        self._routes = [
            (re.compile("^" + re.sub(r"\{[^}/]+\}", "[^/]+", template) + "/?$"), template)
            for template in sorted(self.document["paths"], key=lambda t: t.count("{"))
        ]
        self._validators: dict[str, Draft202012Validator] = {}

    # -- lookup ----------------------------------------------------------------------------
    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        """``(path template, operation)`` for a concrete request, or None."""
        for pattern, template in self._routes:
            if pattern.match(path):
                item = self.document["paths"][template]
                found = item.get(method.lower())
                if found is not None:
                    return template, found
        return None

    def _validate(self, location: str, value: Any) -> list[tuple[str, str, str]]:
        validator = self._validators.get(location)
        if validator is None:
            validator = Draft202012Validator(
                {"$ref": _DOC + "#" + location}, registry=self._registry
            )
            self._validators[location] = validator
        found = []
        for error in sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path)):
            schema_path = location + "/" + "/".join(str(p) for p in error.absolute_schema_path)
            for item in describe_error(error):
                found.append((item.pointer, item.message.split(" (at #/")[0], schema_path))
        return found

    # -- requests --------------------------------------------------------------------------
    def check_request(
        self,
        method: str,
        path: str,
        query: Mapping[str, list[str]],
        headers: Mapping[str, str],
        body: Any,
        *,
        has_body: bool,
    ) -> list[Violation]:
        """``body`` is the parsed JSON (or the raw text when it did not parse)."""
        if method.upper() == "OPTIONS":
            return []
        found = self.operation(method, path)
        if found is None:
            return [
                Violation("request", "operation", f"no operation {method} {path} in the contracts")
            ]
        template, operation = found
        base = f"/paths/{_escape(template)}/{method.lower()}"
        lowered = {k.lower(): v for k, v in headers.items()}
        violations: list[Violation] = []
        item = self.document["paths"][template]
        parameters = [*item.get("parameters", []), *operation.get("parameters", [])]
        for index, param in enumerate(parameters):
            where = param["in"]
            name = param["name"]
            if where == "header":
                value = lowered.get(name.lower())
                if value is None:
                    if param.get("required"):
                        violations.append(
                            Violation(
                                "request",
                                "header",
                                f"required header {name} is missing",
                                f"/headers/{name}",
                                f"{base}/parameters",
                            )
                        )
                    continue
                violations += self._parameter(value, param, "header", name, base, index)
            elif where == "query":
                values = query.get(name)
                if not values:
                    if param.get("required"):
                        violations.append(
                            Violation(
                                "request",
                                "query",
                                f"query parameter {name} is required",
                                f"/query/{name}",
                                f"{base}/parameters",
                            )
                        )
                    continue
                schema = param.get("schema", {})
                value_to_check: Any = values if schema.get("type") == "array" else values[-1]
                violations += self._parameter(value_to_check, param, "query", name, base, index)
        for scheme in operation.get("security", [{}])[:1]:
            if "bearer" in scheme and not lowered.get("authorization", "").lower().startswith(
                "bearer "
            ):
                violations.append(
                    Violation(
                        "request",
                        "header",
                        "an Authorization: Bearer token is required",
                        "/headers/Authorization",
                        f"{base}/security",
                    )
                )
            if "apiKey" in scheme and not lowered.get("x-api-key"):
                violations.append(
                    Violation(
                        "request",
                        "header",
                        "x-api-key is required",
                        "/headers/x-api-key",
                        f"{base}/security",
                    )
                )
        request_body = operation.get("requestBody")
        if request_body is None:
            return violations
        if not has_body:
            if request_body.get("required"):
                violations.append(
                    Violation("request", "body", "a body is required", "", f"{base}/requestBody")
                )
            return violations
        media = self._media(request_body["content"], lowered.get("content-type"))
        if media is None:
            offered = ", ".join(request_body["content"])
            violations.append(
                Violation(
                    "request",
                    "media-type",
                    f"Content-Type {lowered.get('content-type')!r} is not one of: {offered}",
                    "/headers/Content-Type",
                    f"{base}/requestBody/content",
                )
            )
            return violations
        location = f"{base}/requestBody/content/{_escape(media)}/schema"
        for at, message, schema_path in self._validate(location, body):
            violations.append(Violation("request", "body", message, at, schema_path))
        return violations

    def _parameter(
        self, value: Any, param: dict[str, Any], where: str, name: str, base: str, index: int
    ) -> list[Violation]:
        schema = param.get("schema", {})
        coerced = value
        kind = schema.get("type")
        if kind == "integer" and isinstance(value, str):
            try:
                coerced = int(value)
            except ValueError:
                return [
                    Violation(
                        "request",
                        where,
                        f"{name} must be an integer",
                        f"/{where}/{name}",
                        f"{base}/parameters/{index}",
                    )
                ]
        return [
            Violation("request", where, f"{name}: {message}", f"/{where}/{name}", schema_path)
            for _at, message, schema_path in self._validate_inline(schema, coerced)
        ]

    def _validate_inline(self, schema: dict[str, Any], value: Any) -> list[tuple[str, str, str]]:
        validator = Draft202012Validator(schema, registry=self._registry)
        return [
            (pointer(e.absolute_path), e.message[:300], "") for e in validator.iter_errors(value)
        ]

    @staticmethod
    def _media(content: Mapping[str, Any], content_type: str | None) -> str | None:
        """The documented media type a Content-Type matches: same essence, and the same
        ``schema`` parameter when the document names one (a ``;version=`` suffix aside)."""
        essence = _essence(content_type)
        schema = _param(content_type, "schema")
        fallback = None
        for media in content:
            if _essence(media) != essence:
                continue
            documented = _param(media, "schema")
            if documented is None:
                fallback = fallback or media
            elif schema is not None and documented == schema:
                return media
        return fallback

    # -- responses -------------------------------------------------------------------------
    def check_response(
        self, method: str, path: str, status: int, headers: Mapping[str, str], body: Any
    ) -> list[Violation]:
        found = self.operation(method, path)
        if found is None:
            return [
                Violation("response", "operation", f"no operation {method} {path} in the contracts")
            ]
        template, operation = found
        base = f"/paths/{_escape(template)}/{method.lower()}/responses"
        responses = operation["responses"]
        spec = responses.get(str(status)) or responses.get("default")
        if spec is None:
            return [
                Violation(
                    "response",
                    "status",
                    f"status {status} is not one the contracts list for "
                    f"{method} {template}: {', '.join(responses)}",
                    "",
                    base,
                )
            ]
        content = spec.get("content")
        if not content:
            return []
        lowered = {k.lower(): v for k, v in headers.items()}
        essence = _essence(lowered.get("content-type"))
        media = next((m for m in content if _essence(m) == essence), None)
        if media is None:
            return [
                Violation(
                    "response",
                    "media-type",
                    f"Content-Type {lowered.get('content-type')!r} is not one of: "
                    f"{', '.join(content)}",
                    "/headers/Content-Type",
                    f"{base}/{status}/content",
                )
            ]
        location = f"{base}/{_escape(str(status))}/content/{_escape(media)}/schema"
        return [
            Violation("response", "body", message, at, schema_path)
            for at, message, schema_path in self._validate(location, body)
        ]


def parse_body(raw: bytes | str | None) -> Any:
    """A body as the checks see it: parsed JSON, or the text when it is not JSON."""
    if raw is None or raw == b"" or raw == "":
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw


def request_violations(
    checker: Conformance,
    method: str,
    path: str,
    query_string: str,
    headers: Mapping[str, str],
    raw_body: bytes | None,
) -> list[Violation]:
    """Check a request as it came over the wire."""
    query = parse_qs(query_string, keep_blank_values=True)
    return checker.check_request(
        method, path, query, headers, parse_body(raw_body), has_body=bool(raw_body)
    )


_DEFAULT: dict[bool, Conformance] = {}


def default(*, unknown_fields: bool = False) -> Conformance:
    """The checker for mockxcore's own contracts."""
    found = _DEFAULT.get(unknown_fields)
    if found is None:
        from mockxcore import contracts, openapi

        document = copy.deepcopy(openapi.build(contracts.default()))
        found = _DEFAULT[unknown_fields] = Conformance(document, unknown_fields=unknown_fields)
    return found
