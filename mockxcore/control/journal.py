"""The journal: every request the mock answered, with its response, in a bounded ring.

Entries keep raw bytes and are turned into JSON only when read, so journaling costs little on
the hot path. ``--record FILE`` also streams each entry as one JSON line as it completes.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qs

import orjson

from mockxcore import timestamps
from mockxcore.jsonbody import parse_json
from mockxcore.problems import Problem

Headers = Mapping[str, str] | Iterable[tuple[str, str]]
SECRET_HEADERS = frozenset(
    {"authorization", "x-api-key", "cookie", "set-cookie", "proxy-authorization", "x-admin-token"}
)

log = logging.getLogger("mockxcore")
MAX_BODY = 64 * 1024
"""Bodies are kept up to this many bytes per entry (and flagged when cut)."""


def mask(name: str, value: str) -> str:
    """Hide secrets but keep what helps debugging (the auth scheme)."""
    if name.lower() not in SECRET_HEADERS:
        return value
    if name.lower() in ("authorization", "proxy-authorization") and " " in value:
        return value.split(" ", 1)[0] + " ***"
    return "***"


def _body(raw: bytes | None, content_type: str) -> Any:
    if not raw:
        return None
    if "json" in content_type:
        try:  # bounded: a body nested too deeply to be written back is kept as text
            return parse_json(raw)
        except Problem:
            pass
    return raw.decode("utf-8", "replace")


@dataclass(frozen=True)
class Selection:
    """The entries a journal filter keeps: this method, a path starting with ``path``, this
    status (``None``: any). One definition for ``/__admin/journal`` and ``mock.journal``."""

    method: str | None = None
    path: str | None = None
    status: int | None = None

    def selects(self, method: str, path: str, status: int | None) -> bool:
        return (
            (self.method is None or method == self.method.upper())
            and (self.path is None or path.startswith(self.path))
            and (self.status is None or status == self.status)
        )


@dataclass(slots=True)
class Entry:
    """One journaled request. Cheap to make: fields stay raw until :meth:`to_dict`."""

    id: int
    time: int
    """When the request arrived, by the mock's clock, in microseconds since the epoch."""
    elapsed: float
    """Seconds since the journal started, by a monotonic clock (for timing checks)."""
    method: str
    path: str
    query: str
    """As sent, still percent-encoded (a fragment is not part of it)."""
    headers: Headers
    body: bytes | None
    status: int | None = None
    response_headers: Headers = ()
    response_body: bytes | None = None
    duration_ms: float = 0.0
    faults: Sequence[dict[str, Any]] = ()
    violations: list[dict[str, Any]] | None = None
    """How the request breaks the contracts; None until checked (checking is lazy)."""
    truncated: bool = False

    def to_dict(self) -> dict[str, Any]:
        headers = masked(self.headers)
        response_headers = masked(self.response_headers)
        return {
            "id": self.id,
            "time": timestamps.format(timestamps.at_epoch_micros(self.time)),
            "elapsed": round(self.elapsed, 6),
            "method": self.method,
            "path": text(self.path),
            "query": {k: v for k, v in parse_qs(self.query, keep_blank_values=True).items()},
            "headers": headers,
            "body": _body(self.body, _content_type(headers)),
            "status": self.status,
            "responseHeaders": response_headers,
            "responseBody": _body(self.response_body, _content_type(response_headers)),
            "durationMs": round(self.duration_ms, 3),
            "faults": list(self.faults),
            "verdict": None
            if self.violations is None
            else {
                "valid": not self.violations,
                "violations": [{**v, "message": text(v["message"])} for v in self.violations],
            },
            "truncated": self.truncated,
        }


def masked(headers: Headers) -> dict[str, str]:
    # str(): aiohttp's header names are ``istr``, which JSON encoders refuse as keys.
    items = headers.items() if isinstance(headers, Mapping) else headers
    return {text(str(k)): text(mask(k, v)) for k, v in items}


def text(value: str) -> str:
    """``value`` as valid UTF-8 text: aiohttp keeps undecodable bytes of headers and paths as
    surrogates, which JSON cannot carry; they become U+FFFD."""
    if value.isascii():
        return value
    try:
        raw = value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = value.encode("utf-8", "replace")
    return raw.decode("utf-8", "replace")


def header(headers: Headers, name: str) -> str | None:
    """A header's value, its name compared without case (journaled headers keep the case the
    client sent; raw ones may be a list of pairs)."""
    items = headers.items() if isinstance(headers, Mapping) else headers
    wanted = name.lower()
    return next((str(v) for k, v in items if k.lower() == wanted), None)


def _content_type(headers: Headers) -> str:
    return header(headers, "content-type") or ""


def cut(raw: bytes | None) -> tuple[bytes | None, bool]:
    if raw is None or len(raw) <= MAX_BODY:
        return raw, False
    return raw[:MAX_BODY], True


class Journal:
    def __init__(
        self,
        size: int = 1000,
        record: str | Path | None = None,
        checker: Callable[[Entry], list[dict[str, Any]]] | None = None,
    ) -> None:
        self.checker = checker
        """Checks an entry's request against the contracts; verdicts are worked out on read."""
        self._entries: deque[Entry] = deque(maxlen=size)
        self._next = 1
        self._started = time.perf_counter()
        self._record: IO[bytes] | None = open(record, "ab") if record else None  # noqa: SIM115

    @property
    def size(self) -> int:
        return self._entries.maxlen or 0

    def start(self, method: str, path: str, query: str, headers: Headers, at: int) -> Entry:
        """An entry for a request arriving ``at`` (:meth:`~mockxcore.control.clock.Clock.micros`);
        ``headers`` is kept as given (aiohttp's are immutable)."""
        entry = Entry(
            self._next, at, time.perf_counter() - self._started, method, path, query, headers, None
        )
        self._next += 1
        return entry

    def finish(self, entry: Entry) -> None:
        """Keep ``entry``, answered now: its duration is the time since :meth:`start`."""
        entry.duration_ms = (time.perf_counter() - self._started - entry.elapsed) * 1000
        self._entries.append(entry)
        if self._record is not None:
            try:
                self._record.write(orjson.dumps(self.render(entry)) + b"\n")
                self._record.flush()
            except (TypeError, ValueError, OSError):  # the request was answered; say so loudly
                log.exception("could not record journal entry %d", entry.id)

    def render(self, entry: Entry) -> dict[str, Any]:
        """The entry as JSON, with its contract verdict."""
        if entry.violations is None and self.checker is not None:
            entry.violations = self.checker(entry)
        return entry.to_dict()

    def entries(
        self, *, method: str | None = None, path: str | None = None, status: int | None = None
    ) -> list[Entry]:
        """Entries oldest first, filtered by method, path prefix and status."""
        selection = Selection(method, path, status)
        return [e for e in self._entries if selection.selects(e.method, e.path, e.status)]

    def clear(self) -> None:
        self._entries.clear()

    def close(self) -> None:
        if self._record is not None:
            self._record.close()
            self._record = None
