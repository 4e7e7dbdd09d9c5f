"""Checks over journal entries for the mistakes clients make against this API.

Pure functions of journal entries (as dicts, the ``/__admin/journal`` shape), shared by the
``MockServer.assert_*`` helpers and, later, ``mockxcore verify``. Each returns the offending
entries; an empty list means the client behaved.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from mockxcore.control import journal

Entry = dict[str, Any]
WRITES = ("PUT", "PATCH")
_INSTANCE = re.compile(r"^/data/core/xcore/(?:containers/)?[^/]+(?:/instances/[^/]+)?$")


def header(entry: Entry, name: str) -> str | None:
    """A request header of a journal entry."""
    return journal.header(entry.get("headers", {}), name)


def describe(entry: Entry) -> str:
    return f"#{entry['id']} {entry['method']} {entry['path']} -> {entry['status']}"


def writes_without_if_match(entries: Sequence[Entry]) -> list[Entry]:
    """Updates (PUT, PATCH) of repository objects sent without If-Match."""
    return [
        e
        for e in entries
        if e["method"] in WRITES and _INSTANCE.match(e["path"]) and header(e, "If-Match") is None
    ]


def retry_after_ignored(entries: Sequence[Entry]) -> list[tuple[Entry, Entry, float]]:
    """(throttled answer, early retry, seconds waited) for every retry sent before Retry-After."""
    found = []
    for index, entry in enumerate(entries):
        wait = _retry_after(entry)
        if wait is None:
            continue
        ended = entry["elapsed"] + entry["durationMs"] / 1000
        for later in entries[index + 1 :]:
            if later["method"] == entry["method"] and later["path"] == entry["path"]:
                waited = later["elapsed"] - ended
                if waited < wait:
                    found.append((entry, later, waited))
                break
    return found


def _retry_after(entry: Entry) -> float | None:
    if entry.get("status") not in (429, 503):
        return None
    for key, value in entry.get("responseHeaders", {}).items():
        if key.lower() == "retry-after":
            try:
                return float(value)
            except ValueError:
                return None
    return None


def deletes_not_polled(entries: Sequence[Entry]) -> list[Entry]:
    """DELETEs answered 202 whose status Location was never polled to a 200."""
    done = {
        e["path"]
        for e in entries
        if e["method"] == "GET" and e["status"] == 200 and "/deletions/" in e["path"]
    }
    missing = []
    for entry in entries:
        if entry["method"] != "DELETE" or entry["status"] != 202:
            continue
        location = next(
            (v for k, v in entry.get("responseHeaders", {}).items() if k.lower() == "location"),
            None,
        )
        if location is None or f"/data/core/xcore/{location}" not in done:
            missing.append(entry)
    return missing
