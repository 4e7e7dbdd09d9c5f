"""What the Target side of one mock holds: clients, their artifacts, remote content, geo, and
the notifications clients sent.

A client (a Target client code) has at most one artifact, loaded as is or compiled from a
decision table; its served form (remote content listed as remote, per-property variants) and
ETag are computed once per change. Every id the Target side generates comes from its own
seeded RNG, so runs repeat. ``export``/``load`` round-trip everything but the notifications,
which are a record of traffic, not configuration.
"""

from __future__ import annotations

import hashlib
import ipaddress
import random
import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import orjson

from mockxcore.config import Config
from mockxcore.contracts import Contracts
from mockxcore.problems import ErrorItem, Problem, not_found
from mockxcore.target import artifact as artifacts
from mockxcore.target import ids
from mockxcore.target.artifact import Artifact
from mockxcore.target.table import compile_table

REQUEST_SCHEMA = "https://ns.adobe.com/experience/target/delivery-request"
STATE_SCHEMA = "https://ns.adobe.com/experience/mockxcore/target/state"
CLIENT_SCHEMA = "https://ns.adobe.com/experience/mockxcore/target/client"
REMOTE_SCHEMA = "https://ns.adobe.com/experience/mockxcore/target/remote-content"
GEO_SCHEMA = "https://ns.adobe.com/experience/mockxcore/target/geo-entry"
FORMAT = "target/1"
MAX_NOTIFICATIONS = 1000
MAX_CLIENTS = 1000
MAX_REMOTE = 1000
MAX_GEO = 100_000
GEO_FIELDS = ("latitude", "longitude", "countryCode", "stateCode", "city", "zip")
CLIENT_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")


class TargetError(Exception):
    """A Delivery API error, answered in Target's shape ``{"status": ..., "message": ...}``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Client:
    code: str
    organization_id: str | None = None
    cluster: str = ids.DEFAULT_CLUSTER
    table: dict[str, Any] | None = None
    artifact: Artifact | None = None
    remote_mboxes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    remote_views: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _served: dict[str | None, tuple[bytes, str]] = field(default_factory=dict, repr=False)

    def changed(self) -> None:
        self._served.clear()

    def served(self, property_token: str | None = None) -> tuple[bytes, str] | None:
        """The artifact's bytes as the CDN serves them, and their ETag."""
        if self.artifact is None:
            return None
        found = self._served.get(property_token)
        if found is None:
            raw = artifacts.served(
                self.artifact, self.remote_mboxes, self.remote_views, property_token
            )
            body = orjson.dumps(raw)
            found = (body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')
            self._served[property_token] = found
        return found

    @property
    def environment(self) -> str:
        return self.artifact.environment if self.artifact else artifacts.DEFAULT_ENVIRONMENT

    def summary(self) -> dict[str, Any]:
        served = self.served()
        return {
            "client": self.code,
            "organizationId": self.organization_id,
            "cluster": self.cluster,
            "environment": self.environment,
            "source": "table" if self.table is not None else "artifact" if self.artifact else None,
            "etag": served[1] if served else None,
            "artifactPath": f"/{self.code}/{self.environment}/v1/rules.json"
            if self.artifact
            else None,
            "remoteMboxes": sorted(self.remote_mboxes),
            "remoteViews": sorted(self.remote_views),
        }

    def export(self) -> dict[str, Any]:
        out: dict[str, Any] = {"client": self.code, "cluster": self.cluster}
        if self.organization_id is not None:
            out["organizationId"] = self.organization_id
        if self.table is not None:
            out["table"] = self.table
        elif self.artifact is not None:
            out["artifact"] = self.artifact.raw
        if self.remote_mboxes:
            out["mboxes"] = {k: {"options": v} for k, v in self.remote_mboxes.items()}
        if self.remote_views:
            out["views"] = {k: {"options": v} for k, v in self.remote_views.items()}
        return out


def normalize_ip(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip().split("%")[0]))
    except ValueError:
        return None


def _unprocessable(errors: list[ErrorItem], what: str) -> Problem:
    summary = "; ".join(f"{e.pointer or '/'}: {e.message}" for e in errors[:5])
    return Problem(422, "validation-failed", f"{what} is not valid: {summary}", errors)


class TargetState:
    def __init__(self, config: Config, contracts: Contracts) -> None:
        self.contracts = contracts
        # its own stream of the seed: Target ids do not shift when the repository draws more
        self.rng = random.Random(f"{config.seed}:target")
        self.default_client: str | None = getattr(config, "target_client", None)
        self.clients: dict[str, Client] = {}
        self.geo: dict[str, dict[str, Any]] = {}
        self.notifications: deque[dict[str, Any]] = deque(maxlen=MAX_NOTIFICATIONS)
        self.notification_count = 0

    # -- clients ---------------------------------------------------------------------------
    def client(self, code: str) -> Client:
        found = self.clients.get(code)
        if found is None:
            raise not_found("Target client", code)
        return found

    def _ensure(self, code: str) -> Client:
        found = self.clients.get(code)
        if found is None:
            if not CLIENT_CODE.match(code):
                raise Problem(
                    400,
                    "bad-client-code",
                    f"{code!r} is not a client code (letters, digits, '-' and '_', up to 100)",
                )
            if len(self.clients) >= MAX_CLIENTS:
                raise Problem(409, "too-many-clients", f"at most {MAX_CLIENTS} clients")
            found = self.clients[code] = Client(code)
        return found

    def register(self, code: str, body: Any) -> Client:
        errors = self.contracts.validate(CLIENT_SCHEMA, body)
        if errors:
            raise _unprocessable(errors, "the client")
        client = self._ensure(code)
        if "organizationId" in body:
            client.organization_id = body["organizationId"]
        if "cluster" in body:
            client.cluster = str(body["cluster"])
        client.changed()
        return client

    def remove(self, code: str) -> None:
        self.client(code)
        del self.clients[code]

    def load_artifact(self, code: str, raw: Any) -> Client:
        """Validate, then replace; a refused artifact leaves the previous one in place."""
        parsed = artifacts.parse(self.contracts, raw)
        client = self._ensure(code)
        client.artifact, client.table = parsed, None
        client.changed()
        return client

    def load_table(self, code: str, table: Any) -> Client:
        parsed = artifacts.parse(self.contracts, compile_table(self.contracts, table, code))
        client = self._ensure(code)
        client.artifact, client.table = parsed, table
        client.changed()
        return client

    def set_remote(self, code: str, kind: str, name: str, body: Any) -> Client:
        errors = self.contracts.validate(REMOTE_SCHEMA, body)
        if errors:
            raise _unprocessable(errors, "the remote content")
        client = self._ensure(code)
        target = client.remote_mboxes if kind == "mboxes" else client.remote_views
        if name not in target and len(target) >= MAX_REMOTE:
            raise Problem(409, "too-many", f"at most {MAX_REMOTE} remote {kind} per client")
        target[name] = [dict(option) for option in body["options"]]
        client.changed()
        return client

    def delete_remote(self, code: str, kind: str, name: str) -> None:
        client = self.client(code)
        target = client.remote_mboxes if kind == "mboxes" else client.remote_views
        if target.pop(name, None) is None:
            raise not_found(f"remote {kind[:-2]}", name)
        client.changed()

    # -- which client a delivery call is for ------------------------------------------------
    def resolve(self, named: str | None, host: str, org: str | None) -> Client:
        """The client a delivery call is for (see :meth:`_find`); an ``imsOrgId`` that is not
        the client's organization is refused, as Target refuses it.

        A client registered without an organization accepts any ``imsOrgId`` (the SDK always
        sends one), but reaches no organization's repository with it."""
        client = self._find(named, host, org)
        if org and client.organization_id is not None and org != client.organization_id:
            raise TargetError(
                400,
                f"imsOrgId {org!r} is not the organization of client {client.code!r} "
                f"({client.organization_id!r})",
            )
        return client

    def _find(self, named: str | None, host: str, org: str | None) -> Client:
        """``client`` parameter, else the Host, else the organization, else the only one."""
        for source in ("client parameter", "host"):
            code = named if source == "client parameter" else ids.client_from_host(host)
            if code:
                found = self.clients.get(code)
                if found is None:
                    raise TargetError(400, f"unknown client code {code!r} (from the {source})")
                return found
        if org:
            for client in self.clients.values():
                if client.organization_id == org:
                    return client
        if self.default_client is not None:
            found = self.clients.get(self.default_client)
            if found is not None:
                return found
        if len(self.clients) == 1:
            return next(iter(self.clients.values()))
        if not self.clients:
            raise TargetError(400, "no Target client is configured")
        raise TargetError(
            400,
            "cannot tell which client this call is for: name it with the 'client' query "
            "parameter, register the client with the organization sent as 'imsOrgId', or start "
            "the mock with --target-client",
        )

    # -- geo -------------------------------------------------------------------------------
    def set_geo(self, ip: str, body: Any) -> dict[str, Any]:
        address = normalize_ip(ip)
        if address is None:
            raise Problem(400, "bad-ip", f"{ip!r} is not an IPv4 or IPv6 address")
        errors = self.contracts.validate(GEO_SCHEMA, body)
        if errors:
            raise _unprocessable(errors, "the geo")
        if address not in self.geo and len(self.geo) >= MAX_GEO:
            raise Problem(409, "too-many", f"at most {MAX_GEO} geo entries")
        entry = {k: body[k] for k in GEO_FIELDS if k in body}
        self.geo[address] = entry
        return entry

    def delete_geo(self, ip: str) -> None:
        address = normalize_ip(ip) or ip
        if self.geo.pop(address, None) is None:
            raise not_found("geo entry", ip)

    def geo_for(self, ip: str | None) -> dict[str, Any]:
        address = normalize_ip(ip) if ip else None
        return dict(self.geo.get(address, {})) if address else {}

    def resolve_geo(
        self, given: dict[str, Any] | None, caller_ip: str | None, enabled: bool
    ) -> dict[str, Any]:
        """The request's geo; looked up by its ``ipAddress`` (or, when the client has geo
        targeting, by the caller's address) when it carries no location of its own."""
        geo = dict(given) if given else {}
        if geo and (
            geo.get("latitude")
            or geo.get("longitude")
            or geo.get("countryCode")
            or geo.get("stateCode")
            or geo.get("city")
        ):
            return geo
        ip = geo.get("ipAddress") or (caller_ip if enabled else None)
        if ip:
            geo.update(self.geo_for(ip))
        return geo

    # -- notifications ---------------------------------------------------------------------
    def record(self, entries: list[dict[str, Any]]) -> None:
        for entry in entries:
            self.notifications.append(entry)
            self.notification_count += 1

    def clear_notifications(self) -> None:
        self.notifications.clear()

    def find_notifications(self, mbox: str | None = None, **exact: str) -> list[dict[str, Any]]:
        """Notifications received, oldest first, with exactly these ``client``, ``type`` and
        ``sessionId`` values, for ``mbox`` when given."""
        return [
            n
            for n in self.notifications
            if all(n.get(k) == v for k, v in exact.items())
            and (mbox is None or (n.get("mbox") or {}).get("name") == mbox)
        ]

    # -- snapshot --------------------------------------------------------------------------
    def export(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "mockxcore": FORMAT,
            "clients": [client.export() for client in self.clients.values()],
            "geo": {ip: dict(entry) for ip, entry in self.geo.items()},
        }
        if self.default_client is not None:
            out["defaultClient"] = self.default_client
        return out

    def load(self, data: Any) -> None:
        """Replace clients and geo with ``data``; on any error nothing changes."""
        errors = self.contracts.validate(STATE_SCHEMA, data)
        if errors:
            raise _unprocessable(errors, "the Target state")
        clients: dict[str, Client] = {}
        for index, entry in enumerate(data.get("clients", [])):
            at = f"/clients/{index}"
            code = entry["client"]
            if code in clients:
                errors.append(ErrorItem("unique-client", f"client {code!r} twice", at + "/client"))
                continue
            client = Client(code, entry.get("organizationId"), str(entry.get("cluster", "35")))
            try:
                if "table" in entry:
                    client.table = entry["table"]
                    compiled = compile_table(self.contracts, entry["table"], code)
                    client.artifact = artifacts.parse(self.contracts, compiled)
                elif "artifact" in entry:
                    client.artifact = artifacts.parse(self.contracts, entry["artifact"])
            except Problem as problem:
                where = at + ("/table" if "table" in entry else "/artifact")
                errors.extend(
                    ErrorItem(e.rule, e.message, where + e.pointer) for e in problem.errors
                )
            for kind, target in (("mboxes", client.remote_mboxes), ("views", client.remote_views)):
                for name, body in (entry.get(kind) or {}).items():
                    target[name] = [dict(option) for option in body["options"]]
            clients[code] = client
        geo: dict[str, dict[str, Any]] = {}
        for ip, entry in (data.get("geo") or {}).items():
            address = normalize_ip(ip)
            if address is None:
                errors.append(ErrorItem("bad-ip", f"{ip!r} is not an IP address", f"/geo/{ip}"))
                continue
            geo[address] = {k: entry[k] for k in GEO_FIELDS if k in entry}
        if errors:
            raise _unprocessable(errors, "the Target state")
        self.clients = clients
        self.geo = geo
        self.default_client = data.get("defaultClient", self.default_client)
        self.notifications.clear()
