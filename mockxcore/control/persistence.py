"""``--state-file``: the state survives a restart.

After every request that may have changed something, the whole state (the ``/__admin/state``
snapshot) is written to a temporary file beside the state file, flushed to disk, and renamed
over it. A rename is atomic, so whatever kills the process, the file holds either the previous
state or the new one, never half of either. On start, an existing state file is loaded instead
of the start-up data.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson
from aiohttp import web

SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


def changes_state(request: web.BaseRequest) -> bool:
    # Polling a delete's status counts its polls, so it writes too.
    return request.method not in SAFE or "/deletions/" in request.path


def save(document: dict[str, Any], path: Path) -> None:
    """Write ``document`` to ``path`` atomically (and durably, where the OS allows)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "wb") as handle:
        handle.write(orjson.dumps(document))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def read(path: Path) -> dict[str, Any] | None:
    """The saved state, or None when there is none yet."""
    if not path.exists():
        return None
    document = orjson.loads(path.read_bytes())
    if not isinstance(document, dict):
        raise ValueError(f"{path} does not hold a state snapshot")
    return document
