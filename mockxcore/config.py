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
    delete_after: str | None = None
    """Time-based deletes: the outcome shows this long after the DELETE (by the mock's clock)."""
    latency: str | dict[str, Any] | None = None
    """Default delay (``40ms``, ``lognormal:median=30ms,sigma=0.4``) or a latency document."""
    faults: list[dict[str, Any]] = field(default_factory=list)
    journal_size: int = 1000
    record: str | Path | None = None
    """Stream the journal to this JSON Lines file."""
    cors: bool = False
    tokens_file: str | Path | None = None
    """With ``auth="tokens"``: the file of accepted bearer tokens, one per line."""
    admin_token: str | None = None
    """When set, ``/__admin`` requests need ``x-admin-token: <it>``."""
    admin_remote: bool = False
    """Allow ``/__admin`` requests from other hosts than this one."""
    admin_port: int | None = None
    """Serve ``/__admin`` on this port only (``serve``), not on the API port."""
    state_file: str | Path | None = None
    """Persist the whole state here after every write; load it on start when it exists."""
    strict: bool = False
    """Answer requests that break the contracts with 400 (they are journaled either way)."""
    tls: bool = False
    """Also speak HTTPS and answer CONNECT tunnels for Adobe hosts (a local CA, made at start)."""
    target_client: str | None = None
    """The Target client of Delivery API calls that do not say which client they are for."""
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
        if self.auth == "tokens" and not self.tokens_file:
            raise ValueError("auth 'tokens' needs a tokens file (--tokens-file)")
        if not 1 <= self.journal_size <= 1_000_000:
            raise ValueError("journal_size must be between 1 and 1,000,000")
