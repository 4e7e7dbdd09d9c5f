"""State snapshots: the JSON that ``serve --data`` loads and ``/__admin/state`` exports/imports.

Format (validated by ``contracts/schemas/mockxcore/snapshot.json``)::

    {"mockxcore": "snapshot/1",
     "tenants": [{"org": "demo@AdobeOrg", "sandbox": "prod",
                  "containers": [{"instanceId": "…", "productContexts": ["dma_offers", "acp"],
                                  "_instance": {"repo:name": "…"},
                                  "instances": [{"schema": "https://…/offer-placement",
                                                 "_instance": {"@id": "xcore:…", …}}]}]}]}

An exported snapshot carries every envelope property, so export then import is lossless; a
hand-written one may leave the envelope out and gets ids, etag 1 and the clock's "now".
Loading is all or nothing: it builds a new store and only swaps it in when everything is valid.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

from mockxcore.contracts import CONTAINER_SCHEMA, Contracts, references, strip_version
from mockxcore.data import data_dir
from mockxcore.problems import ErrorItem, Problem
from mockxcore.store import Deletion, MemoryStore, Record
from mockxcore.xcore.repository import Repository, RuleContext, reference_errors

FORMAT = "snapshot/1"
SCHEMA = "https://ns.adobe.com/experience/mockxcore/snapshot"
LOADER = "mockxcore"


def empty() -> dict[str, Any]:
    return {"mockxcore": FORMAT, "tenants": []}


def demo() -> dict[str, Any]:
    """The embedded demo data set: the repository's (``fixtures/demo.json``) and Target's
    (``fixtures/target-demo.json``, the client ``demo``)."""
    folder = data_dir("fixtures")
    return {**read(folder / "demo.json"), "target": read(folder / "target-demo.json")}


def read(path: str | Path | dict[str, Any]) -> dict[str, Any]:
    """A snapshot file (a dict passes through); ``"demo"`` names the embedded demo data."""
    if isinstance(path, dict):
        return path
    if str(path) == "demo":
        return demo()
    try:
        data = orjson.loads(Path(path).read_bytes())
    except OSError as exc:
        raise Problem(400, "bad-snapshot", f"cannot read snapshot {path}: {exc.strerror}") from None
    except orjson.JSONDecodeError as exc:
        raise Problem(400, "bad-snapshot", f"snapshot {path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise Problem(400, "bad-snapshot", f"snapshot {path} must be a JSON object")
    return data


def merge(snapshots: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Combine snapshots (several ``--data`` files): tenants are joined, containers appended."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    settings: dict[str, Any] = {}
    for snap in snapshots:
        for tenant in snap.get("tenants", []):
            if not isinstance(tenant, dict):
                raise Problem(400, "bad-snapshot", "each tenant must be an object")
            key = (str(tenant.get("org")), str(tenant.get("sandbox")))
            into = merged.setdefault(
                key, {**tenant, "containers": [], "deletions": [], "profiles": [], "decisions": []}
            )
            for part in ("containers", "deletions", "profiles", "decisions"):
                into[part] = into[part] + list(tenant.get(part, []))
        if isinstance(snap.get("target"), dict) and isinstance(settings.get("target"), dict):
            snap = {**snap, "target": _merge_target(settings["target"], snap["target"])}
        # Other sections (clock, faults, latency, ...): a later file's replace an earlier's.
        settings.update({k: v for k, v in snap.items() if k not in ("tenants", "mockxcore")})
    return {**settings, "mockxcore": FORMAT, "tenants": list(merged.values())}


def _merge_target(earlier: dict[str, Any], later: dict[str, Any]) -> dict[str, Any]:
    """Target clients joined by client code (a later file's client replaces an earlier's)."""
    clients = {
        str(c.get("client")): c
        for part in (earlier, later)
        for c in part.get("clients", [])
        if isinstance(c, dict)
    }
    geo = {**earlier.get("geo", {}), **later.get("geo", {})}
    merged = {**earlier, **later, "clients": list(clients.values())}
    if geo:
        merged["geo"] = geo
    return merged


def dump(repo: Repository) -> dict[str, Any]:
    store = repo.store
    tenants = []
    for tenant in store.tenants():
        containers = []
        for container in store.containers(tenant):
            doc = container.to_snapshot()
            doc["instances"] = [
                r.to_snapshot() for r in store.records(tenant, container.instance_id)
            ]
            counters = store.counters(tenant, container.instance_id)
            if counters:
                doc["counters"] = counters
            containers.append(doc)
        deletions = [
            {
                "statusId": d.status_id,
                "containerId": d.container_id,
                "instanceId": d.instance_id,
                "accepted": d.accepted,
                "pollsLeft": d.polls_left,
                **({"revealAt": d.reveal_at} if d.reveal_at else {}),
                "outcome": d.outcome,
            }
            for d in store.deletions(tenant)
        ]
        tenants.append(
            {
                "org": tenant[0],
                "sandbox": tenant[1],
                "containers": containers,
                "deletions": deletions,
                "profiles": [
                    {"namespace": ns, "id": ident, **profile}
                    for (ns, ident), profile in store.profiles(tenant).items()
                ],
                "decisions": store.decisions(tenant),
            }
        )
    return {"mockxcore": FORMAT, "tenants": tenants}


def check(contracts: Contracts, data: Any) -> None:
    """Raise a 400 naming every way ``data`` breaks the snapshot schema."""
    errors = contracts.validate(SCHEMA, data)
    if errors:
        raise _invalid(errors)


def load(repo: Repository, data: Any, now: str | None = None) -> None:
    """Replace the repository's content with ``data``, or raise a 400 naming every problem
    (and leave the repository, its id sequence included, as it was).

    ``now`` dates what the snapshot leaves undated (default: the repository's clock).
    """
    rng = repo.rng.getstate()
    try:
        _load(repo, data, now or repo.now())
    except BaseException:
        repo.rng.setstate(rng)
        raise


def _load(repo: Repository, data: Any, now: str) -> None:
    check(repo.contracts, data)
    errors: list[ErrorItem] = []
    store = MemoryStore()
    pending: list[tuple[tuple[str, str], str, Any, list[tuple[str, str]], str, Record]] = []
    for t_index, tenant_doc in enumerate(data["tenants"]):
        tenant = (tenant_doc["org"], tenant_doc["sandbox"])
        store.add_tenant(tenant)
        for c_index, container_doc in enumerate(tenant_doc.get("containers", [])):
            at = f"/tenants/{t_index}/containers/{c_index}"
            container = _record(repo, container_doc, CONTAINER_SCHEMA, now)
            errors += repo.contracts.validate(
                CONTAINER_SCHEMA, container.instance, at + "/_instance"
            )
            try:
                store.put_container(tenant, container, None)
            except Problem as problem:
                errors.append(ErrorItem("duplicate", problem.detail, at + "/instanceId"))
                continue
            for key, count in container_doc.get("counters", {}).items():
                store.add_to_counter(tenant, container.instance_id, key, count)
            for i_index, doc in enumerate(container_doc.get("instances", [])):
                where = f"{at}/instances/{i_index}"
                schema = doc.get("schema") or doc["schemas"][0]
                try:
                    info = repo.instance_info(schema)
                except Problem as problem:
                    errors.append(ErrorItem("schema", problem.detail, where + "/schema"))
                    continue
                record = _record(repo, doc, info.id, now)
                if info.has_id and record.uri is None:
                    uri = f"xcore:{info.kind}:{repo.rng.getrandbits(60):015x}"
                    record = _record(
                        repo,
                        {
                            **doc,
                            "_instance": {"@id": uri, **doc["_instance"]},
                            "instanceId": record.instance_id,
                        },
                        info.id,
                        now,
                    )
                found = repo.contracts.validate(info.id, record.instance, where + "/_instance")
                if found:
                    errors += found
                    continue
                refs = references(info, record.instance)
                try:
                    store.insert(tenant, container.instance_id, record, refs)
                except Problem as problem:
                    errors.append(ErrorItem("duplicate", problem.detail, where))
                    continue
                # Targets may come later in the file: check references once all are in.
                pending.append((tenant, container.instance_id, info, refs, where, record))
        for profile in tenant_doc.get("profiles", []):
            body = {k: v for k, v in profile.items() if k not in ("namespace", "id")}
            store.put_profile(tenant, (profile["namespace"], profile["id"]), body)
        for event in tenant_doc.get("decisions", []):
            store.add_decision(tenant, event)
        for d in tenant_doc.get("deletions", []):
            store.put_deletion(
                tenant,
                Deletion(
                    d["statusId"],
                    d["containerId"],
                    d["instanceId"],
                    d["outcome"],
                    d["accepted"],
                    d["pollsLeft"],
                    d.get("revealAt"),
                ),
            )
    for tenant, container_id, info, refs, where, _ in pending:
        errors += reference_errors(store, tenant, container_id, info, refs, where + "/_instance")
    if errors:
        raise _invalid(errors)
    for tenant, container_id, info, _refs, where, record in pending:
        context = RuleContext(store, tenant, container_id, record.instance_id, None, loading=True)
        errors += repo.semantic_errors(context, info.id, record.instance, where + "/_instance")
    if errors:
        raise _invalid(errors)
    repo.store = store


def _record(repo: Repository, doc: dict[str, Any], schema: str, now: str) -> Record:
    version = (
        doc["schemas"][0].split("version=", 1)[1]
        if doc.get("schemas") and "version=" in doc["schemas"][0]
        else repo.contracts.info(strip_version(schema)).version
    )
    extra = (
        {"productContexts": list(doc.get("productContexts", ["dma_offers", "acp"]))}
        if schema == CONTAINER_SCHEMA
        else {}
    )
    return Record(
        doc.get("instanceId") or repo.new_id(),
        strip_version(schema),
        version,
        doc.get("repo:etag", 1),
        doc.get("repo:createdDate", now),
        doc.get("repo:lastModifiedDate", doc.get("repo:createdDate", now)),
        doc.get("repo:createdBy", LOADER),
        doc.get("repo:lastModifiedBy", doc.get("repo:createdBy", LOADER)),
        doc.get("repo:createdByClientId", LOADER),
        doc.get("repo:lastModifiedByClientId", doc.get("repo:createdByClientId", LOADER)),
        doc["_instance"],
        {k: v for k, v in doc.get("_links", {}).items() if k != "self"},
        extra,
    )


def _invalid(errors: list[ErrorItem]) -> Problem:
    shown = "; ".join(f"{e.pointer or '/'}: {e.message}" for e in errors[:5])
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return Problem(400, "bad-snapshot", f"the snapshot is invalid: {shown}{more}", errors)
