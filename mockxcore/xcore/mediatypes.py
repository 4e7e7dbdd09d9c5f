"""Content negotiation for ``application/vnd.adobe.platform.xcore.{FORMAT}+json``.

Requests name their body format in ``Content-Type`` (``hal; schema="…"`` or ``patch.hal``);
responses are chosen from ``Accept``. Accept lists are read the way Adobe's docs write them
(``*, application/vnd.adobe.platform.xcore.hal+json; schema="…"``), and a bare
``application/json`` or a wildcard is always acceptable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mockxcore.contracts import RESULTS_SCHEMA, strip_version
from mockxcore.problems import ErrorItem, Problem

PREFIX = "application/vnd.adobe.platform.xcore."
HAL = PREFIX + "hal+json"
PATCH_HAL = PREFIX + "patch.hal+json"
HOME_HAL = PREFIX + "home.hal+json"
RECEIPT = PREFIX + "xdm.receipt+json"


def hal(schema: str) -> str:
    return f'{HAL}; schema="{schema}"'


RESULTS = hal(RESULTS_SCHEMA)


@dataclass(frozen=True)
class MediaType:
    essence: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def schema(self) -> str | None:
        value = self.params.get("schema")
        return strip_version(value) if value else None


def _split(text: str, separator: str) -> list[str]:
    """Split on ``separator`` outside double quotes."""
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    escaped = False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\" and quoted:
            current.append(char)
            escaped = True
        elif char == '"':
            quoted = not quoted
            current.append(char)
        elif char == separator and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def parse(value: str) -> MediaType:
    """``type/subtype; name="value"`` -> MediaType (names lower-cased, quotes removed).

    >>> parse('application/vnd.adobe.platform.xcore.hal+json; schema="https://x/y;version=0.1"')
    MediaType(essence='application/vnd.adobe.platform.xcore.hal+json', params={'schema': 'https://x/y;version=0.1'})
    """
    head, *rest = _split(value, ";")
    params: dict[str, str] = {}
    for item in rest:
        name, sep, raw = item.partition("=")
        if not sep:
            continue
        raw = raw.strip()
        if len(raw) >= 2 and raw[0] == raw[-1] == '"':
            raw = raw[1:-1].replace('\\"', '"')
        params[name.strip().lower()] = raw
    return MediaType(head.strip().lower(), params)


def request_schema(content_type: str | None, allowed: tuple[str, ...]) -> str | None:
    """Check a request's Content-Type and return its ``schema`` parameter (if any).

    ``allowed`` are the acceptable essences; ``application/json`` is always accepted.
    """
    expected = " or ".join(allowed)
    if not content_type:
        raise _unsupported(f"a Content-Type header is required: {expected}")
    media = parse(content_type)
    if media.essence not in (*allowed, "application/json"):
        raise _unsupported(f"Content-Type {media.essence!r} is not accepted here; use {expected}")
    return media.schema


def _unsupported(detail: str) -> Problem:
    return Problem(
        415,
        "unsupported-media-type",
        detail,
        [ErrorItem("content-type", detail, "/headers/Content-Type")],
    )


def acceptable(accept: str | None, essence: str, schema: str | None = None) -> bool:
    """Whether ``Accept`` admits ``essence`` (with ``schema``, for hal)."""
    if accept is None or not accept.strip():
        return True
    main = essence.partition("/")[0]
    for item in _split(accept, ","):
        if not item.strip():
            continue
        media = parse(item)
        try:
            if float(media.params.get("q", "1")) <= 0:
                continue
        except ValueError:
            continue
        candidate = media.essence
        if candidate in ("*", "*/*", f"{main}/*", "application/json"):
            return True
        if candidate == essence and (
            schema is None or media.schema is None or media.schema == strip_version(schema)
        ):
            return True
    return False


def negotiate(accept: str | None, essence: str, schema: str | None = None) -> None:
    if not acceptable(accept, essence, schema):
        offered = f'{essence}; schema="{schema}"' if schema else essence
        detail = f"this resource is available as {offered} (or application/json)"
        raise Problem(
            406, "not-acceptable", detail, [ErrorItem("accept", detail, "/headers/Accept")]
        )
