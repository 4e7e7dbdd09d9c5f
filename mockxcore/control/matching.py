"""Which requests a latency or fault rule applies to: method, path pattern, headers, body."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import jsonpointer

from mockxcore.control.journal import text
from mockxcore.problems import ErrorItem, Problem
from mockxcore.regex import Regex, RegexError, compile_re2


@lru_cache(maxsize=512)
def path_pattern(pattern: str) -> Regex:
    """``*`` matches one path segment, ``**`` any number of them (including none).

    Compiled with RE2: Python's backtracking would take minutes on ``/**a**a**a**a**b``.

    >>> bool(path_pattern("/data/core/xcore/*/instances/*").match("/data/core/xcore/c/instances/i"))
    True
    >>> bool(path_pattern("/data/**").match("/data/core/xcore/c/instances"))
    True
    """
    parts = []
    for piece in re.split(r"(\*\*/?|\*)", pattern):
        if piece.startswith("**"):
            parts.append("(?:.*/)?" if piece.endswith("/") else ".*")
        elif piece == "*":
            parts.append("[^/]+")
        else:
            parts.append(re.escape(piece))
    return compile_re2("^" + "".join(parts) + "/?$")


def _patch_sets(operations: list[Any], pointer: str, expected: Any) -> bool:
    return any(
        isinstance(op, dict)
        and op.get("op") in ("add", "replace")
        and op.get("path") == pointer
        and op.get("value") == expected
        for op in operations
    )


@dataclass(frozen=True)
class Matcher:
    """What a rule matches on. Empty fields match anything."""

    method: str | None = None
    path: str = "**"
    header: Mapping[str, str] = field(default_factory=dict)
    body: Mapping[str, Any] = field(default_factory=dict)
    """JSON pointer -> value (for a JSON Patch body: an add/replace of that pointer to it)."""

    def matches(self, method: str, path: str, headers: Mapping[str, str], body: Any) -> bool:
        if self.method is not None and self.method not in ("*", method.upper()):
            return False
        if not path_pattern(self.path).match(text(path)):
            return False
        for name, value in self.header.items():
            if headers.get(name) != value:
                return False
        for pointer, expected in self.body.items():
            if isinstance(body, list):
                if not _patch_sets(body, pointer, expected):
                    return False
                continue
            try:
                if jsonpointer.resolve_pointer(body, pointer) != expected:
                    return False
            except (jsonpointer.JsonPointerException, TypeError):
                return False
        return True

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"method": self.method or "*", "path": self.path}
        if self.header:
            out["header"] = dict(self.header)
        if self.body:
            out["body"] = dict(self.body)
        return out


def parse_matcher(rule: dict[str, Any], where: str) -> Matcher:
    """The method/path/header/body part of a latency or fault rule."""
    method = rule.get("method")
    if method is not None and (
        not isinstance(method, str) or (not method.isalpha() and method != "*")
    ):
        raise bad(f"{where}/method", "method is an HTTP method name or *")
    path = rule.get("path", "**")
    if not isinstance(path, str) or not path.startswith(("/", "*")):
        raise bad(f"{where}/path", "path is a pattern starting with / (* = a segment, ** = any)")
    try:
        path_pattern(path)
    except RegexError as exc:
        raise bad(f"{where}/path", f"path {path!r} is not a usable pattern ({exc})") from None
    header = rule.get("header", {})
    if not isinstance(header, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in header.items()
    ):
        raise bad(f"{where}/header", "header is an object of header name -> exact value")
    body = rule.get("body", {})
    if not isinstance(body, dict) or not all(
        isinstance(k, str) and (k == "" or k.startswith("/")) for k in body
    ):
        raise bad(f"{where}/body", "body is an object of JSON pointer -> value")
    return Matcher(method.upper() if method and method != "*" else None, path, header, body)


def bad(pointer: str, message: str) -> Problem:
    return Problem(400, "bad-control", message, [ErrorItem("control", message, pointer)])
