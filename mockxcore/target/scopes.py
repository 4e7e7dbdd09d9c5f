"""Decision scopes: an mbox named by base64 JSON asks Offer Decisioning, not Target's rules.

``eyJhY3Rpdml0eUlkIjoieGNvcmU6b2ZmZXItYWN0aXZpdHk6...`` decodes to ``{"activityId": ...,
"placementId": ..., "itemCount": 2}``. Such an mbox is answered with the activity's offers
for that placement, one ``json`` option per proposed offer.

:func:`propose` is a deliberately simple stand-in for the decisioning runtime (approved
personalized offers of the activity's filter that have a representation for the placement,
highest ``xdm:rank.xdm:priority`` first, else the activity's fallback); it is the one function
to swap for the real engine.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any, Protocol

import orjson

from mockxcore.store import Record, Tenant

OM = "https://ns.adobe.com/experience/offer-management/"
OFFER = OM + "personalized-offer"
FALLBACK = OM + "fallback-offer"
FILTER = OM + "offer-filter"
ACTIVITY = OM + "offer-activity"
MAX_ITEMS = 30


@dataclass(frozen=True)
class Scope:
    activity_id: str
    placement_id: str
    item_count: int = 1


class Store(Protocol):
    def tenants(self) -> list[Tenant]: ...
    def containers(self, tenant: Tenant) -> list[Record]: ...
    def get_by_uri(self, tenant: Tenant, container_id: str, uri: str) -> Record | None: ...
    def records(self, tenant: Tenant, container_id: str) -> Any: ...


def parse_scope(name: str) -> Scope | None:
    """The decision scope an mbox name encodes, or None for an ordinary mbox name."""
    if len(name) < 16 or len(name) > 4096 or not name.startswith("ey"):
        return None
    padded = name + "=" * (-len(name) % 4)
    try:
        decoded = orjson.loads(base64.b64decode(padded.replace("-", "+").replace("_", "/")))
    except (binascii.Error, ValueError, orjson.JSONDecodeError):
        return None
    if not isinstance(decoded, dict):
        return None
    activity = decoded.get("activityId", decoded.get("xdm:activityId"))
    placement = decoded.get("placementId", decoded.get("xdm:placementId"))
    count = decoded.get("itemCount", 1)
    if not isinstance(activity, str) or not isinstance(placement, str):
        return None
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_ITEMS:
        count = 1
    return Scope(activity, placement, count)


def encode_scope(activity_id: str, placement_id: str, item_count: int | None = None) -> str:
    body: dict[str, Any] = {"activityId": activity_id, "placementId": placement_id}
    if item_count is not None:
        body["itemCount"] = item_count
    return base64.b64encode(orjson.dumps(body)).decode()


def _representation(record: Record, placement_id: str) -> dict[str, Any] | None:
    for representation in record.instance.get("xdm:representations") or []:
        if representation.get("xdm:placement") == placement_id:
            found: dict[str, Any] = representation
            return found
    return None


def _in_filter(offer: Record, flt: Record) -> bool:
    kind = flt.instance.get("xdm:filterType")
    ids = set(flt.instance.get("ids") or [])
    tags = set(offer.instance.get("xdm:tags") or [])
    if kind == "offers":
        return offer.uri in ids
    if kind == "anyTags":
        return bool(tags & ids)
    if kind == "allTags":
        return ids <= tags
    return False


def _priority(record: Record) -> int:
    value = (record.instance.get("xdm:rank") or {}).get("xdm:priority", 0)
    return value if isinstance(value, int) else 0


def propose(store: Store, scope: Scope, org: str | None) -> list[tuple[Record, dict[str, Any]]]:
    """(offer or fallback, its representation for the placement), best first."""
    for tenant in store.tenants():
        if org is not None and tenant[0] != org:
            continue
        for container in store.containers(tenant):
            cid = container.instance_id
            activity = store.get_by_uri(tenant, cid, scope.activity_id)
            if activity is None or activity.schema != ACTIVITY:
                continue
            if activity.instance.get("xdm:status") != "live":
                return []
            flt = store.get_by_uri(tenant, cid, str(activity.instance.get("xdm:filter")))
            offers = [
                record
                for record in store.records(tenant, cid)
                if record.schema == OFFER
                and record.instance.get("xdm:status") == "approved"
                and flt is not None
                and _in_filter(record, flt)
                and _representation(record, scope.placement_id) is not None
            ]
            offers.sort(key=lambda r: (-_priority(r), r.uri or ""))
            chosen = [(r, _representation(r, scope.placement_id) or {}) for r in offers]
            if chosen:
                return chosen[: scope.item_count]
            fallback = store.get_by_uri(tenant, cid, str(activity.instance.get("xdm:fallback")))
            representation = _representation(fallback, scope.placement_id) if fallback else None
            if fallback is not None and representation is not None:
                return [(fallback, representation)]
            return []
    return []


def render(record: Record, representation: dict[str, Any], scope: Scope) -> dict[str, Any]:
    """One proposition as a Target ``json`` option's content."""
    component = (representation.get("xdm:components") or [{}])[0]
    content: dict[str, Any] = {
        "id": record.uri,
        "name": record.instance.get("xdm:name"),
        "schema": component.get("@type"),
        "activityId": scope.activity_id,
        "placementId": scope.placement_id,
        "format": component.get("dc:format"),
        "language": component.get("dc:language"),
    }
    for source, target in (
        ("xdm:copyline", "content"),
        ("xdm:content", "content"),
        ("repo:resolveURL", "deliveryURL"),
        ("xdm:linkURL", "linkURL"),
    ):
        if source in component:
            content[target] = component[source]
    if record.instance.get("xdm:characteristics"):
        content["characteristics"] = record.instance["xdm:characteristics"]
    return {k: v for k, v in content.items() if v is not None}


def options(store: Store, name: str, org: str | None) -> list[dict[str, Any]] | None:
    """Target options for a decision-scope mbox; None when ``name`` is not a decision scope."""
    scope = parse_scope(name)
    if scope is None:
        return None
    return [
        {"type": "json", "content": render(record, representation, scope)}
        for record, representation in propose(store, scope, org)
    ]
