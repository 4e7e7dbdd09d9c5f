"""Who is calling: the caller's org, sandbox and account, read from Adobe's required headers.

Adobe's gateway answers 401 without a bearer token and 403 without an API key or org; the
mock does the same (``auth="headers"``, any token accepted) or skips the check (``auth="off"``,
then absent headers fall back to the demo org and ``prod`` sandbox).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import orjson

from mockxcore.problems import ErrorItem, Problem

DEFAULT_ORG = "demo@AdobeOrg"
DEFAULT_SANDBOX = "prod"
AUTH_MODES = ("headers", "tokens", "off")


@dataclass(frozen=True)
class Caller:
    org: str
    sandbox: str
    account: str
    client_id: str
    tenant: tuple[str, str] = field(init=False, repr=False, compare=False)
    """The org + sandbox, whose state this caller sees (made once: every request asks)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "tenant", (self.org, self.sandbox))


def _refuse(status: int, header: str, detail: str) -> Problem:
    return Problem(
        status,
        "unauthorized" if status == 401 else "forbidden",
        detail,
        [ErrorItem("header", detail, f"/headers/{header}")],
    )


def _claims(token: str) -> dict[str, object]:
    """Claims of a JWT, unverified: only used to name the account, never to grant access."""
    parts = token.split(".")
    if len(parts) != 3 or len(parts[1]) > 8192:
        return {}
    try:
        raw = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        claims = orjson.loads(raw)
    except (ValueError, orjson.JSONDecodeError):
        return {}
    return claims if isinstance(claims, dict) else {}


def identify(
    headers: Mapping[str, str], mode: str = "headers", tokens: frozenset[str] = frozenset()
) -> Caller:
    """The caller of a repository or decisioning request, or a 401/403 problem.

    ``mode``: ``headers`` wants Adobe's headers and accepts any token, ``tokens`` only the
    ``tokens`` given, ``off`` wants nothing.
    """
    return _identify(
        headers.get("Authorization", ""),
        headers.get("x-api-key", ""),
        headers.get("x-gw-ims-org-id", ""),
        headers.get("x-sandbox-name", ""),
        mode,
        tokens,
    )


def read_tokens(path: str | Path) -> frozenset[str]:
    """A token file: one accepted bearer token per line; blank lines and ``#`` comments skipped."""
    lines = Path(path).read_text().splitlines()
    tokens = frozenset(
        line.strip() for line in lines if line.strip() and not line.strip().startswith("#")
    )
    if not tokens:
        raise ValueError(f"{path} lists no tokens")
    return tokens


@lru_cache(maxsize=1024)
def _identify(
    authorization: str, api_key: str, org: str, sandbox: str, mode: str, tokens: frozenset[str]
) -> Caller:
    """Pure in its arguments (the headers as sent), so a client's repeated calls cost one
    lookup."""
    authorization, api_key, org, sandbox = (
        authorization.strip(),
        api_key.strip(),
        org.strip(),
        sandbox.strip(),
    )
    if mode != "off":
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _refuse(
                401, "Authorization", "an 'Authorization: Bearer <access token>' header is required"
            )
        if mode == "tokens" and token.strip() not in tokens:
            raise _refuse(401, "Authorization", "this bearer token is not accepted here")
        if not api_key:
            raise _refuse(403, "x-api-key", "the x-api-key header is required")
        if not org:
            raise _refuse(403, "x-gw-ims-org-id", "the x-gw-ims-org-id header is required")
        if not sandbox:
            raise _refuse(403, "x-sandbox-name", "the x-sandbox-name header is required")
    token = authorization.partition(" ")[2].strip()
    claims = _claims(token)
    account = claims.get("user_id") or claims.get("sub")
    if not isinstance(account, str) or not account:
        digest = hashlib.sha256(token.encode()).hexdigest()[:24].upper()
        account = f"{digest}@techacct.adobe.com"
    client = claims.get("client_id")
    client_id = client if isinstance(client, str) and client else (api_key or "mockxcore")
    return Caller(org or DEFAULT_ORG, sandbox or DEFAULT_SANDBOX, account, client_id)
