"""JSON request bodies, parsed with bounds: empty, malformed and too deeply nested bodies are a
400, never an exception deeper in (orjson cannot even write back what nests past 255 levels),
and so are integers past 64 bits (orjson would read them as floats: stored, they would come
back as other numbers).
"""

from __future__ import annotations

import json
from typing import Any

import orjson

from mockxcore.problems import ErrorItem, Problem

MAX_DEPTH = 64
"""Deepest nesting of arrays and objects a request body may have (no real payload comes near)."""

SMALLEST_INT, LARGEST_INT = -(2**63), 2**64 - 1
"""The integers orjson reads and writes exactly; past them it would read a float instead."""
_DIGITS_MARKED = bytes(0x30 if 0x30 <= byte <= 0x39 else 0x2E for byte in range(256))
"""A ``bytes.translate`` table: every digit reads as ``0``, every other byte as ``.``."""
_LONG_DIGITS = b"0" * 19
"""A run of digits as long as the shortest integer out of that range (19 digits, negative),
once marked."""
_BEFORE_A_NUMBER = frozenset(b":,[")
_BLANK = frozenset(b" \t\r\n")


def depth(value: Any) -> int:
    """How deeply ``value`` nests arrays and objects (iteratively: no recursion to exhaust)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest


def parse_json(raw: bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """A request body: 400 when empty, malformed, or nested deeper than ``max_depth``.

    ``max_depth`` is :data:`MAX_DEPTH` unless a kind of body has a deeper legal shape of its
    own (a Target artifact's conditions may nest 64 levels inside the artifact)."""
    if not raw.strip():
        raise Problem(
            400,
            "empty-body",
            "the request needs a JSON body",
            [ErrorItem("json", "empty body", "")],
        )
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        if "depth limit" in str(exc):  # orjson's own limit, far beyond ours
            raise _too_deep(max_depth) from None
        raise Problem(
            400,
            "malformed-json",
            f"the body is not valid JSON: {exc}",
            [ErrorItem("json", str(exc), "")],
        ) from None
    # Every array or object parsed opens with a bracket in ``raw``: with no more brackets than
    # ``max_depth`` (most bodies), nothing can nest deeper, and the walk is not needed.
    if raw.count(b"{") + raw.count(b"[") > max_depth and depth(value) > max_depth:
        raise _too_deep(max_depth)
    if _may_hold_a_long_integer(raw):
        # The standard parser hands over each integer as written: it tells for sure.
        json.loads(raw, parse_int=_exact_int)
    return value


def _may_hold_a_long_integer(raw: bytes) -> bool:
    """Whether a run of 19 or more digits starts where a JSON number can start (the start of
    the body, or after ``:`` ``,`` ``[``, blanks and a minus sign): a 38-digit Marketing Cloud
    id in a string, or a long fraction, is not one. Cheap (``bytes.translate`` and ``find``:
    under a microsecond for a delivery request); a false alarm only costs the exact check."""
    marked = raw.translate(_DIGITS_MARKED)
    at = marked.find(_LONG_DIGITS)
    while at != -1:
        before = at - 1
        if before >= 0 and raw[before] == 0x2D:  # "-"
            before -= 1
        while before >= 0 and raw[before] in _BLANK:
            before -= 1
        if before < 0 or raw[before] in _BEFORE_A_NUMBER:
            return True
        end = marked.find(b".", at)  # past the rest of this run
        if end == -1:
            return False
        at = marked.find(_LONG_DIGITS, end)
    return False


def _exact_int(literal: str) -> int:
    number = int(literal) if len(literal) <= 21 else None
    if number is None or not SMALLEST_INT <= number <= LARGEST_INT:
        shown = literal if len(literal) <= 40 else literal[:37] + "..."
        detail = (
            f"the integer {shown} is out of range: integers must fit in 64 bits "
            f"({SMALLEST_INT} to {LARGEST_INT})"
        )
        raise Problem(400, "number-out-of-range", detail, [ErrorItem("limits", detail, "")])
    return number


def _too_deep(max_depth: int) -> Problem:
    return Problem(
        400,
        "too-deep",
        f"the body nests arrays and objects deeper than {max_depth} levels",
        [ErrorItem("limits", f"nesting deeper than {max_depth} levels", "")],
    )
