"""Errors as data: every failure the mock reports is a :class:`Problem`.

The core raises problems, the HTTP edge renders them as ``application/problem+json`` bodies
(``type``, ``title``, ``status``, ``detail``, ``errors``). Each entry of ``errors`` names the
rule that failed and the JSON pointer it failed at, so tests and tools can match on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    412: "Precondition Failed",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
    507: "Insufficient Storage",
}


@dataclass(frozen=True)
class ErrorItem:
    """One thing that is wrong: which rule, where (a JSON pointer), and in words."""

    rule: str
    message: str
    pointer: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "pointer": self.pointer, "message": self.message}


@dataclass
class Problem(Exception):
    """A failure with an HTTP status; ``slug`` becomes the problem ``type``."""

    status: int
    slug: str
    detail: str
    errors: list[ErrorItem] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.status} {self.slug}: {self.detail}"

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": f"urn:mockxcore:problem:{self.slug}",
            "title": TITLES.get(self.status, "Error"),
            "status": self.status,
            "detail": self.detail,
            "errors": [e.to_dict() for e in self.errors],
        }
        body.update(self.extra)
        return body


def bad_request(slug: str, detail: str, *, pointer: str = "", rule: str | None = None) -> Problem:
    """A 400 with a single error entry; ``rule`` defaults to the slug."""
    return Problem(400, slug, detail, [ErrorItem(rule or slug, detail, pointer)])


def not_found(what: str, ident: str) -> Problem:
    return Problem(
        404,
        "not-found",
        f"{what} {ident!r} does not exist",
        [ErrorItem("exists", f"{what} {ident!r} does not exist")],
    )


def unprocessable(errors: list[ErrorItem], detail: str | None = None) -> Problem:
    summary = detail or "; ".join(f"{e.pointer or '/'}: {e.message}" for e in errors[:5])
    return Problem(422, "validation-failed", summary, errors)
