"""Decision scopes: an mbox named by base64 JSON asks Offer Decisioning, not Target's rules.

``eyJhY3Rpdml0eUlkIjoieGNvcmU6b2ZmZXItYWN0aXZpdHk6...`` decodes to ``{"activityId": ...,
"placementId": ..., "itemCount": 2}``. Such an mbox is answered with the activity's offers
for that placement, one ``json`` option per proposed offer.

The decision is the decisioning runtime's (``mockxcore.decisioning``), for the visitor as the
profile: the same filters, calendar, rules, caps, priorities and arbitration as
``POST /data/core/ode/{containerId}/decisions``.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any, Protocol

import orjson

from mockxcore.auth import Caller
from mockxcore.decisioning.service import Decisioning
from mockxcore.offers.schemas import ACTIVITY
from mockxcore.store import Record, Tenant

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


def locate(store: Store, activity_id: str, org: str) -> tuple[Tenant, str] | None:
    """The sandbox and container of ``org`` holding an activity.

    Only ``org``'s sandboxes are searched (in the store's order, as Target names no sandbox):
    a Target client reaches its own organization's repository and no other."""
    for tenant in store.tenants():
        if tenant[0] != org:
            continue
        for container in store.containers(tenant):
            found = store.get_by_uri(tenant, container.instance_id, activity_id)
            if found is not None and found.schema == ACTIVITY:
                return tenant, container.instance_id
    return None


def identities(visitor: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    """The Delivery API's visitor ids as a decision request's identity map."""
    names = (
        ("marketingCloudVisitorId", "ECID"),
        ("tntId", "tntId"),
        ("thirdPartyId", "thirdPartyId"),
    )
    found = {
        namespace: [{"xdm:id": str(visitor[key])}] for key, namespace in names if visitor.get(key)
    }
    for customer in visitor.get("customerIds") or []:
        if isinstance(customer, dict) and customer.get("id") and customer.get("integrationCode"):
            found.setdefault(str(customer["integrationCode"]), []).append(
                {"xdm:id": str(customer["id"])}
            )
    return found or {"tntId": [{"xdm:id": "anonymous"}]}


def render(option: dict[str, Any], scope: Scope) -> dict[str, Any]:
    """One proposed offer as a Target ``json`` option's content."""
    representation = option.get("xdm:representation") or {}
    component = (representation.get("xdm:components") or [{}])[0]
    content: dict[str, Any] = {
        "id": option.get("xdm:id"),
        "name": option.get("xdm:name"),
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
    if option.get("xdm:characteristics"):
        content["characteristics"] = option["xdm:characteristics"]
    return {k: v for k, v in content.items() if v is not None}


def options(
    store: Store, decisioning: Decisioning, name: str, org: str | None, visitor: dict[str, Any]
) -> list[dict[str, Any]] | None:
    """Target options for a decision-scope mbox, decided by the decisioning runtime (caps drawn
    down, a decision event recorded); None when ``name`` is not a decision scope.

    ``org`` is the Target client's organization; a client without one has no repository to
    ask, so its decision scopes answer no options."""
    if not name.startswith("ey"):  # no decision scope (parse_scope's first test, inlined)
        return None
    scope = parse_scope(name)
    if scope is None:
        return None
    located = locate(store, scope.activity_id, org) if org is not None else None
    if located is None:
        return []
    (org_id, sandbox), container_id = located
    caller = Caller(org_id, sandbox, "target-delivery@techacct.adobe.com", "mockxcore-target")
    decision = decisioning.decide(
        caller,
        container_id,
        {
            "xdm:offerActivities": [scope.activity_id],
            "xdm:identityMap": identities(visitor),
            "xdm:itemCount": scope.item_count,
        },
    )
    [proposition] = decision["xdm:propositions"]
    if "xdm:error" in proposition or proposition["xdm:placement"]["xdm:id"] != scope.placement_id:
        return []
    chosen = proposition["xdm:options"] or [proposition["xdm:fallback"]]
    return [
        {"type": "json", "content": render(option, scope)}
        for option in chosen
        if option.get("xdm:representation") is not None
    ]
