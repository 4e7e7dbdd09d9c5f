"""Typed settings of one mock server, shared by ``mockxcore serve``, ``MockServer`` and pytest."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mockxcore.auth import AUTH_MODES


@dataclass
class Config:
    host: str = "127.0.0.1"
    port: int = 0
    data: list[str | Path | dict[str, Any]] = field(default_factory=list)
    """Snapshots to load at start: files, dicts, or ``"demo"`` for the embedded demo data."""
    schemas: list[str | Path | dict[str, Any]] = field(default_factory=list)
    """Extra JSON Schemas to register (files or dicts), for business objects of your own."""
    seed: int = 0
    auth: str = "headers"
    auto_container: bool = True
    delete_polls: int = 1
    default_limit: int = 20
    max_limit: int = 1000
    max_body: int = 1 << 20

    def __post_init__(self) -> None:
        if self.auth not in AUTH_MODES:
            raise ValueError(f"auth must be one of {', '.join(AUTH_MODES)}, not {self.auth!r}")
        if self.delete_polls < 1:
            raise ValueError("delete_polls counts the DELETE's own 202, so it is at least 1")
        if not 1 <= self.default_limit <= self.max_limit:
            raise ValueError("default_limit must be between 1 and max_limit")
