"""Visitor ids, edge hosts and request ids, shaped like Target's.

A ``tntId`` is ``<32 hex>.<cluster>_0``; the part after the dot is the profile location hint,
and ``edgeHost`` (``mboxedge<cluster>.tt.omtrdc.net``) names the same cluster, which is how
Adobe's SDKs learn where to send the next call. Allocation hashes the visitor with MurmurHash3
over UTF-16 code units, exactly as Target's edge does, so a visitor lands in the same
experience whether the edge, the mock or an SDK decides. (Adobe's Python SDK hashes code points
instead, which differs only for characters beyond U+FFFF: see ``docs/target.md``.)
"""

from __future__ import annotations

import hashlib
import random
import re
from typing import Any

import mmh3

EDGE_SUFFIX = ".tt.omtrdc.net"
DEFAULT_CLUSTER = "35"
CAMPAIGN_BUCKET_SALT = "0"
TOTAL_BUCKETS = 10_000
BUCKETS_PER_PERCENT = TOTAL_BUCKETS // 100

_EDGE_HOST = re.compile(r"^mboxedge(\d{1,4})\.tt\.omtrdc\.net$")
_CLIENT_HOST = re.compile(r"^([a-z0-9][a-z0-9_-]{0,99})\.(?:tt\.omtrdc\.net|localhost)$")


def edge_host(cluster: str) -> str:
    return f"mboxedge{cluster}{EDGE_SUFFIX}"


def location_hint(tnt_id: str | None) -> str | None:
    """The cluster of a ``tntId`` (``abc.28_0`` -> ``28``), read the way the SDKs read it.

    Clusters are numbers (they name ``mboxedge<cluster>.tt.omtrdc.net``): anything else is no
    hint, so the answer's ``edgeHost`` stays a real edge host name."""
    if not tnt_id:
        return None
    parts = tnt_id.split(".")
    if len(parts) != 2 or not parts[1]:
        return None
    node = parts[1].split("_")
    if len(node) != 2 or not (node[0].isascii() and node[0].isdigit() and len(node[0]) <= 4):
        return None
    return node[0]


def new_tnt_id(rng: random.Random, cluster: str) -> str:
    return f"{rng.getrandbits(128):032x}.{cluster}_0"


def stable_tnt_id(known_as: str, cluster: str) -> str:
    """The tntId Target keeps for a visitor known only by another id (a profile is per person)."""
    return f"{hashlib.sha256(known_as.encode()).hexdigest()[:32]}.{cluster}_0"


def new_request_id(rng: random.Random) -> str:
    """A version 4 UUID from ``rng`` (the string ``uuid.UUID(int=..., version=4)`` gives)."""
    bits = rng.getrandbits(128)
    bits = (bits & ~(0xF000 << 64)) | (4 << 76)  # version 4
    bits = (bits & ~(0xC000 << 48)) | (0x8000 << 48)  # RFC 4122 variant
    h = f"{bits:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def cluster_from_host(host: str) -> str | None:
    """``mboxedge31.tt.omtrdc.net`` -> ``31`` (a call the SDK routed after a location hint)."""
    match = _EDGE_HOST.match(host.split(":", 1)[0].lower())
    return match.group(1) if match else None


def client_from_host(host: str) -> str | None:
    """``acme.tt.omtrdc.net`` or ``acme.localhost`` -> ``acme``; edge hosts name no client."""
    name = host.rsplit(":", 1)[0].lower() if host.count(":") == 1 else host.lower()
    if _EDGE_HOST.match(name):
        return None
    match = _CLIENT_HOST.match(name)
    return match.group(1) if match else None


def allocation_key(visitor: dict[str, Any]) -> str | None:
    """The id allocation hashes: Marketing Cloud id, else tntId without hint, else 3rd-party id."""
    mcid = visitor.get("marketingCloudVisitorId")
    if isinstance(mcid, str) and mcid:
        return mcid
    tnt = visitor.get("tntId")
    if isinstance(tnt, str) and tnt:
        return tnt.split(".")[0]
    third = visitor.get("thirdPartyId")
    if isinstance(third, str) and third:
        return third
    return None


def allocation(client: str, activity_id: Any, visitor_key: str) -> float:
    """Where a visitor falls in an activity's traffic, 0 <= value < 100 (two decimals).

    The SDKs compute ``round(bucket / 10000 * 100, 2)``; ``bucket / 100`` is the same float
    for every bucket (the one nearest the same decimal) at a third less cost, and this runs for
    every activity of every request."""
    device = f"{client}.{activity_id}.{visitor_key}.{CAMPAIGN_BUCKET_SALT}"
    bucket = abs(mmh3.hash(device.encode("utf-16-le", "surrogatepass"))) % TOTAL_BUCKETS
    return bucket / BUCKETS_PER_PERCENT
