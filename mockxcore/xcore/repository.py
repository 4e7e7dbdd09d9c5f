"""The repository's domain rules: what create, read, update, patch, list and delete do.

Pure core: no HTTP here. Handlers pass in what they parsed (caller, ids, bodies, If-Match
values); this module checks every rule, writes through the store and returns records,
pages and delete outcomes, or raises a :class:`~mockxcore.problems.Problem`.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import replace as with_fields
from datetime import timedelta
from typing import Any

import jsonpatch
import jsonpointer

from mockxcore import timestamps
from mockxcore.auth import Caller
from mockxcore.contracts import (
    CONTAINER_SCHEMA,
    HAL_REQUEST_SCHEMA,
    JSON_PATCH_SCHEMA,
    Contracts,
    SchemaInfo,
    kind,
    references,
    strip_version,
    values_at,
)
from mockxcore.control.clock import Clock
from mockxcore.problems import ErrorItem, Problem, bad_request, not_found, unprocessable
from mockxcore.store import Deletion, MemoryStore, Page, Query, Record, Tenant
from mockxcore.store.fulltext import MAX_TERMS, TextQuery, parse_q
from mockxcore.store.paths import getter
from mockxcore.store.query import cursor_key, parse_limit, parse_order_by, parse_property
from mockxcore.xcore.hal import hal_document

DEFAULT_PRODUCT_CONTEXTS = ("dma_offers", "acp")
MAX_FILTERS = 32
MAX_IDS = 100
MAX_TENANTS = 10_000


@dataclass
class Settings:
    """Repository behaviour a test or ``serve`` may tune."""

    delete_polls: int = 1
    """How many 202 answers a delete gets in total (the DELETE's own included)."""
    delete_after: timedelta | None = None
    """When set, deletes are time-based: the outcome shows this long after the DELETE."""
    auto_container: bool = True
    default_limit: int = 20
    max_limit: int = 1000
    seed: int = 0


@dataclass(frozen=True)
class DeleteFlow:
    """How a delete's outcome is revealed: after ``polls`` 202 answers in total (the DELETE's
    own included), or, when ``after`` is set, once that much of the mock's clock has passed."""

    polls: int = 1
    after: timedelta | None = None


ANY_ETAG = frozenset({-1})


@dataclass(frozen=True)
class RuleContext:
    """What a semantic rule may look at besides the instance being written."""

    store: MemoryStore
    tenant: Tenant
    container_id: str
    instance_id: str
    previous: dict[str, Any] | None
    """The instance before this write (None on create and on snapshot load)."""
    loading: bool = False
    """True while a snapshot is loaded: state restored as it was, not a client's write."""

    def target(self, uri: str) -> Record | None:
        return self.store.get_by_uri(self.tenant, self.container_id, uri)

    def others(self, schema: str) -> list[Record]:
        """Every other instance of ``schema`` in the container."""
        return [
            r
            for r in self.store.records(self.tenant, self.container_id)
            if r.schema == schema and r.instance_id != self.instance_id
        ]


Rule = Callable[[RuleContext, dict[str, Any]], list[ErrorItem]]
"""A semantic rule beyond JSON Schema; its error pointers are relative to ``_instance``."""


def parse_etags(header: str | None) -> frozenset[int] | None:
    """``If-Match``/``If-None-Match`` values: ``"3"``, ``W/"3"``, ``3``, lists, or ``*``.

    An entity-tag this repository never issues (``"abc"``) is kept out: it matches nothing,
    as HTTP says, so ``If-Match: "abc"`` is a mismatch and ``If-None-Match: "abc"`` a read.

    >>> sorted(parse_etags('"2", W/"3", "abc"'))
    [2, 3]
    >>> parse_etags("*") == ANY_ETAG
    True
    """
    if header is None or not header.strip():
        return None
    if header.strip() == "*":
        return ANY_ETAG
    tags: set[int] = set()
    for item in header.split(","):
        tag = item.strip().removeprefix("W/").strip().strip('"')
        if tag.isascii() and tag.isdigit():
            tags.add(int(tag))
    return frozenset(tags)


def etag_matches(tags: frozenset[int], etag: int) -> bool:
    return tags == ANY_ETAG or etag in tags


class Repository:
    """The repository API of one mock, over a store, the contracts, a clock and a seeded RNG."""

    def __init__(
        self,
        store: MemoryStore,
        contracts: Contracts,
        clock: Clock,
        rng: random.Random,
        settings: Settings,
        rules: Mapping[str, Sequence[Rule]] | None = None,
    ) -> None:
        self.rules = dict(rules or {})
        self.store = store
        self.contracts = contracts
        self.clock = clock
        self.rng = rng
        self.settings = settings

    # -- ids and time ----------------------------------------------------------------------
    def now(self) -> str:
        return timestamps.format(self.clock.now())

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def new_uri(self, tenant: Tenant, container_id: str, kind: str) -> str:
        while True:
            uri = f"xcore:{kind}:{self.rng.getrandbits(60):015x}"
            if self.store.get_by_uri(tenant, container_id, uri) is None:
                return uri

    def default_container_id(self, tenant: Tenant) -> str:
        """Stable per seed and tenant, whatever order tenants are first seen in."""
        digest = hashlib.sha256(f"{self.settings.seed}\0{tenant[0]}\0{tenant[1]}".encode())
        return str(uuid.UUID(bytes=digest.digest()[:16], version=4))

    # -- tenants and containers ------------------------------------------------------------
    def ensure_tenant(self, caller: Caller) -> None:
        """First sight of an org + sandbox: give it a container, as the real service has one."""
        tenant = caller.tenant
        if self.store.has_tenant(tenant):
            return
        if len(self.store.tenants()) >= MAX_TENANTS:  # each costs memory; headers cost nothing
            raise Problem(
                507,
                "too-many-tenants",
                f"this mock already holds {MAX_TENANTS} org + sandbox pairs",
                [ErrorItem("limits", "no room for another org + sandbox", "/headers")],
            )
        self.store.add_tenant(tenant)
        if self.settings.auto_container:
            record = self._container_record(
                caller,
                self.default_container_id(tenant),
                {"repo:name": f"{tenant[0]} {tenant[1]} container", "dataCenter": "VA7"},
                {},
                list(DEFAULT_PRODUCT_CONTEXTS),
            )
            self.store.put_container(tenant, record, None)

    def _container_record(
        self,
        caller: Caller,
        instance_id: str,
        instance: dict[str, Any],
        links: dict[str, Any],
        contexts: list[str],
    ) -> Record:
        """A new container, created now by ``caller``."""
        version = self.contracts.info(CONTAINER_SCHEMA).version
        return self._first_revision(
            caller,
            instance_id,
            (CONTAINER_SCHEMA, version),
            instance,
            links,
            {"productContexts": contexts},
        )

    def _first_revision(
        self,
        caller: Caller,
        instance_id: str,
        schema: tuple[str, str],
        instance: dict[str, Any],
        links: dict[str, Any],
        extra: dict[str, Any] | None = None,
    ) -> Record:
        """Etag 1, created and last modified now by ``caller``; ``schema`` is (id, version)."""
        now = self.now()
        return Record(
            instance_id,
            *schema,
            1,
            now,
            now,
            caller.account,
            caller.account,
            caller.client_id,
            caller.client_id,
            instance,
            links,
            extra if extra is not None else {},
        )

    def home(self, caller: Caller, products: Sequence[str]) -> list[Record]:
        """Containers of the caller, those with any of ``products`` when given (a union)."""
        wanted = set(products)
        return [
            c
            for c in self.store.containers(caller.tenant)
            if not wanted or wanted & set(c.extra.get("productContexts", []))
        ]

    def container(self, caller: Caller, container_id: str) -> Record:
        found = self.store.get_container(caller.tenant, container_id)
        if found is None:
            raise not_found("container", container_id)
        return found

    def create_container(self, caller: Caller, body: Any) -> Record:
        instance, links, contexts = self._container_body(body)
        record = self._container_record(
            caller, self.new_id(), instance, links, list(contexts or ["acp"])
        )
        self.store.put_container(caller.tenant, record, None)
        return record

    def replace_container(
        self, caller: Caller, container_id: str, body: Any, if_match: frozenset[int] | None
    ) -> Record:
        current = self.container(caller, container_id)
        self._check_if_match(if_match, current)
        instance, links, contexts = self._container_body(body)
        record = self._revision(current, caller, instance, links)
        if contexts:
            record = _with_extra(record, {"productContexts": contexts})
        self.store.put_container(caller.tenant, record, current.etag)
        return record

    def delete_container(
        self,
        caller: Caller,
        container_id: str,
        flow: DeleteFlow | None = None,
        if_match: frozenset[int] | None = None,
    ) -> Deletion:
        current = self.container(caller, container_id)
        self._check_if_match(if_match, current)
        size = self.store.size(caller.tenant, container_id)
        if size:
            outcome = _rejection(
                current,
                f"container {container_id} still holds {size} instance(s)",
                [ErrorItem("not-empty", f"delete its {size} instance(s) first")],
                [],
            )
            return self._deletion(caller, container_id, container_id, outcome, False, flow)
        self.store.delete_container(caller.tenant, container_id)
        return self._deletion(caller, container_id, container_id, current.receipt(), True, flow)

    def _container_body(self, body: Any) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
        errors = self.contracts.validate(HAL_REQUEST_SCHEMA, body)
        if not errors:
            errors = self.contracts.validate(CONTAINER_SCHEMA, body["_instance"], "/_instance")
        if errors:
            raise unprocessable(errors)
        return body["_instance"], _user_links(body["_links"]), list(body.get("productContexts", []))

    # -- instances -------------------------------------------------------------------------
    def get(self, caller: Caller, container_id: str, instance_id: str) -> Record:
        found = self.store.get(caller.tenant, container_id, instance_id)
        if found is None:
            raise not_found("instance", instance_id)
        return found

    def instance_info(self, schema_id: str, pointer: str = "/headers/Content-Type") -> SchemaInfo:
        """``pointer``: where the request named the schema (a write's Content-Type, a list's
        ``schema`` parameter), for the error if it is unknown or the containers' own."""
        sid = strip_version(schema_id)
        if sid == CONTAINER_SCHEMA:
            raise bad_request(
                "container-schema",
                "containers are managed at /data/core/xcore/containers",
                pointer=pointer,
                rule="schema",
            )
        if sid not in self.contracts.instance_schemas():
            raise bad_request(
                "unknown-schema",
                f"schema {sid!r} is not registered with this repository",
                pointer=pointer,
                rule="schema",
            )
        return self.contracts.info(sid)

    def create(self, caller: Caller, container_id: str, schema_id: str, body: Any) -> Record:
        info = self.instance_info(schema_id)
        self.container(caller, container_id)
        instance, links = self._hal_body(body)
        errors = [
            ErrorItem(
                "usereditable",
                "this property is set by the repository, not by clients",
                "/_instance" + where,
            )
            for pattern in info.locked
            for where, _value in values_at(instance, pattern)
        ]
        if errors:
            raise unprocessable(errors)
        instance = dict(instance)
        if info.has_id:
            instance = {"@id": self.new_uri(caller.tenant, container_id, info.kind), **instance}
        record = self._first_revision(
            caller, self.new_id(), (info.id, info.version), instance, links
        )
        refs = self._validate(caller.tenant, container_id, info, record)
        self.store.insert(caller.tenant, container_id, record, refs)
        return record

    def replace(
        self,
        caller: Caller,
        container_id: str,
        instance_id: str,
        schema_id: str | None,
        body: Any,
        if_match: frozenset[int] | None,
    ) -> Record:
        current = self.get(caller, container_id, instance_id)
        self._check_if_match(if_match, current)
        if schema_id is not None and strip_version(schema_id) != current.schema:
            raise unprocessable(
                [
                    ErrorItem(
                        "schema-change",
                        f"the instance has schema {current.schema}; it cannot become {schema_id}",
                        "/headers/Content-Type",
                    )
                ]
            )
        instance, links = self._hal_body(body)
        if isinstance(body, dict) and body.get("instanceId", instance_id) != instance_id:
            raise unprocessable([ErrorItem("immutable", "instanceId cannot change", "/instanceId")])
        info = self.contracts.info(current.schema)
        instance = dict(instance)
        for pattern in (*info.immutable, *info.locked):
            if len(pattern) == 1 and pattern[0] not in instance and pattern[0] in current.instance:
                instance[pattern[0]] = current.instance[pattern[0]]
        return self._update(caller, container_id, current, info, instance, links)

    def patch(
        self,
        caller: Caller,
        container_id: str,
        instance_id: str,
        operations: Any,
        if_match: frozenset[int] | None,
    ) -> Record:
        current = self.get(caller, container_id, instance_id)
        self._check_if_match(if_match, current)
        errors = self.contracts.validate(JSON_PATCH_SCHEMA, operations)
        if errors:
            raise Problem(
                400,
                "bad-patch",
                "the body is not a valid JSON Patch: "
                + "; ".join(f"{e.pointer or '/'}: {e.message}" for e in errors[:3]),
                [ErrorItem("patch", e.message, e.pointer) for e in errors],
            )
        document = hal_document(current, container_id)
        patched = apply_patch(document, operations)
        if not isinstance(patched, dict):
            raise unprocessable([ErrorItem("patch", "the patched document is not an object", "")])
        changed = [
            key
            for key in set(document) | set(patched)
            if key not in ("_instance", "_links") and document.get(key) != patched.get(key)
        ]
        links = patched.get("_links")
        if isinstance(links, dict) and links.get("self") != document["_links"]["self"]:
            changed.append("_links/self")
        if changed:
            raise unprocessable(
                [
                    ErrorItem(
                        "read-only", "set by the repository; a patch may not change it", "/" + key
                    )
                    for key in sorted(changed)
                ]
            )
        instance, links = self._hal_body(patched)
        info = self.contracts.info(current.schema)
        return self._update(caller, container_id, current, info, instance, links)

    def _update(
        self,
        caller: Caller,
        container_id: str,
        current: Record,
        info: SchemaInfo,
        instance: dict[str, Any],
        links: dict[str, Any],
    ) -> Record:
        errors: list[ErrorItem] = []
        for rule, patterns, why in (
            ("immutable", info.immutable, "this property cannot change once set"),
            ("usereditable", info.locked, "this property is not user-editable"),
        ):
            for pattern in patterns:
                before = dict(values_at(current.instance, pattern))
                after = dict(values_at(instance, pattern))
                for where in sorted(set(before) | set(after)):
                    if before.get(where, _ABSENT) != after.get(where, _ABSENT):
                        errors.append(ErrorItem(rule, why, "/_instance" + where))
        if errors:
            raise unprocessable(errors)
        record = self._revision(current, caller, instance, links)
        refs = self._validate(caller.tenant, container_id, info, record, current.instance)
        self.store.replace(caller.tenant, container_id, record, refs, current.etag)
        return record

    def _revision(
        self, current: Record, caller: Caller, instance: dict[str, Any], links: dict[str, Any]
    ) -> Record:
        return with_fields(
            current,
            etag=current.etag + 1,
            modified=self.now(),
            modified_by=caller.account,
            modified_by_client=caller.client_id,
            instance=instance,
            links=links,
        )

    def touch(self, caller: Caller, container_id: str, instance_id: str) -> Record:
        """A new revision with unchanged content, as if another client had just saved it."""
        current = self.get(caller, container_id, instance_id)
        record = self._revision(current, caller, current.instance, current.links)
        info = self.contracts.info(current.schema)
        refs = references(info, record.instance)
        self.store.replace(caller.tenant, container_id, record, refs, current.etag)
        return record

    def _validate(
        self,
        tenant: Tenant,
        container_id: str,
        info: SchemaInfo,
        record: Record,
        previous: dict[str, Any] | None = None,
    ) -> list[tuple[str, str]]:
        """Schema, referential integrity, then the schema's semantic rules.

        Returns the references to store. Each step assumes the previous ones passed.
        """
        errors = self.contracts.validate(info.id, record.instance, "/_instance")
        if errors:
            raise unprocessable(errors)
        refs = references(info, record.instance)
        errors = reference_errors(self.store, tenant, container_id, info, refs, "/_instance")
        if errors:
            raise unprocessable(errors)
        context = RuleContext(self.store, tenant, container_id, record.instance_id, previous)
        errors = self.semantic_errors(context, info.id, record.instance, "/_instance")
        if errors:
            raise unprocessable(errors)
        return refs

    def semantic_errors(
        self, context: RuleContext, schema: str, instance: dict[str, Any], prefix: str
    ) -> list[ErrorItem]:
        return [
            ErrorItem(e.rule, e.message, prefix + e.pointer)
            for rule in self.rules.get(schema, ())
            for e in rule(context, instance)
        ]

    def _hal_body(self, body: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        errors = self.contracts.validate(HAL_REQUEST_SCHEMA, body)
        if errors:
            raise unprocessable(errors)
        return body["_instance"], _user_links(body["_links"])

    def _check_if_match(self, tags: frozenset[int] | None, current: Record) -> None:
        if tags is not None and not etag_matches(tags, current.etag):
            raise Problem(
                409,
                "etag-mismatch",
                f'If-Match does not match the current etag "{current.etag}": '
                "re-read the instance and retry",
                [ErrorItem("if-match", "stale etag", "/headers/If-Match")],
                headers={"ETag": f'"{current.etag}"'},
            )

    # -- delete ----------------------------------------------------------------------------
    def delete(
        self,
        caller: Caller,
        container_id: str,
        instance_id: str,
        flow: DeleteFlow | None = None,
        if_match: frozenset[int] | None = None,
    ) -> Deletion:
        """Decide the delete now; the outcome is revealed to pollers as ``flow`` says."""
        current = self.get(caller, container_id, instance_id)
        self._check_if_match(if_match, current)
        holders = (
            self.store.referrers(caller.tenant, container_id, current.uri)
            if current.uri is not None
            else []
        )
        holders = [(r, p) for r, p in holders if r.instance_id != instance_id]
        if holders:
            outcome = _rejection(
                current,
                f"{current.uri} is still referenced by {len(holders)} instance(s)",
                [
                    ErrorItem(
                        "referenced",
                        f"referenced by {r.uri or r.instance_id} "
                        f"(instanceId {r.instance_id}) at /_instance{ptr}",
                        "/_instance" + ptr,
                    )
                    for r, ptrs in holders
                    for ptr in ptrs
                ],
                [
                    {
                        "instanceId": r.instance_id,
                        "@id": r.uri,
                        "schema": r.schema,
                        "pointers": ["/_instance" + p for p in ptrs],
                        "href": f"/{container_id}/instances/{r.instance_id}",
                    }
                    for r, ptrs in holders
                ],
            )
            return self._deletion(caller, container_id, instance_id, outcome, False, flow)
        self.store.remove(caller.tenant, container_id, instance_id)
        receipt = self._revision(current, caller, current.instance, current.links).receipt()
        return self._deletion(caller, container_id, instance_id, receipt, True, flow)

    def _deletion(
        self,
        caller: Caller,
        container_id: str,
        instance_id: str,
        outcome: dict[str, Any],
        accepted: bool,
        flow: DeleteFlow | None = None,
    ) -> Deletion:
        flow = flow or DeleteFlow(self.settings.delete_polls, self.settings.delete_after)
        reveal_at = None
        if flow.after is not None:
            reveal_at = timestamps.format(self.clock.now() + flow.after)
        polls_left = 0 if flow.after is not None else max(flow.polls - 1, 0)
        deletion = Deletion(
            self.new_id(), container_id, instance_id, outcome, accepted, polls_left, reveal_at
        )
        self.store.put_deletion(caller.tenant, deletion)
        return deletion

    def poll_deletion(self, caller: Caller, status_id: str) -> tuple[Deletion, bool]:
        """The delete status and whether its outcome is known yet (each poll counts)."""
        deletion = self.store.get_deletion(caller.tenant, status_id)
        if deletion is None:
            raise not_found("delete status", status_id)
        if deletion.reveal_at is not None:
            reveal = timestamps.parse(deletion.reveal_at)
            return deletion, reveal is None or self.clock.now() >= reveal
        if deletion.polls_left > 0:
            deletion = Deletion(
                deletion.status_id,
                deletion.container_id,
                deletion.instance_id,
                deletion.outcome,
                deletion.accepted,
                deletion.polls_left - 1,
            )
            self.store.put_deletion(caller.tenant, deletion)
            return deletion, False
        return deletion, True

    # -- list and search -------------------------------------------------------------------
    def query(
        self, caller: Caller, container_id: str, params: Mapping[str, list[str]], *, search: bool
    ) -> tuple[Query, Page]:
        self.container(caller, container_id)
        query = self.parse_query(params, search=search)
        return query, self.store.query(caller.tenant, container_id, query)

    def parse_query(self, params: Mapping[str, list[str]], *, search: bool) -> Query:
        """Build a :class:`Query` from query-string parameters (each a list of values)."""

        def one(name: str) -> str | None:
            values = params.get(name) or []
            if len(values) > 1:
                raise bad_request("repeated-parameter", f"{name} may be given only once", rule=name)
            return values[0] if values else None

        schema = one("schema")
        if schema is not None:
            schema = schema.strip().strip('"')
            self.instance_info(schema, pointer="/query/schema")
            schema = strip_version(schema)
        elif not search:
            raise bad_request(
                "missing-schema", "listing instances needs ?schema=<schema id>", rule="schema"
            )
        properties = params.get("property") or []
        ids = params.get("id") or []
        if len(properties) > MAX_FILTERS:
            raise bad_request(
                "too-many-filters",
                f"at most {MAX_FILTERS} property filters per request",
                rule="limits",
            )
        if len(ids) > MAX_IDS:
            raise bad_request(
                "too-many-ids", f"at most {MAX_IDS} id filters per request", rule="limits"
            )
        start = one("start")
        text: TextQuery | None = None
        if search:
            q = one("q")
            qop = (one("qop") or "or").lower()
            if qop not in ("and", "or"):
                raise bad_request("bad-qop", f"qop must be 'and' or 'or', not {qop!r}", rule="qop")
            fields = tuple(f.strip() for f in params.get("field") or [])
            if len(fields) > MAX_FILTERS:
                raise bad_request(
                    "too-many-fields", f"at most {MAX_FILTERS} field parameters", rule="limits"
                )
            for field_path in fields:
                getter(field_path)
                if not field_path.startswith("_instance."):
                    # Only payload text is indexed: an envelope or link path would match nothing.
                    raise bad_request(
                        "bad-field",
                        f"field={field_path!r}: search reads the text of _instance properties; "
                        "restrict it with _instance.<property> paths",
                        rule="field",
                    )
            if q is not None and q.strip():
                terms = parse_q(q)
                if len(terms) > MAX_TERMS:
                    raise bad_request(
                        "too-many-terms", f"q may hold at most {MAX_TERMS} terms", rule="limits"
                    )
                text = TextQuery(tuple(terms), fields, qop == "and")
        return Query(
            schema=schema,
            order=parse_order_by(one("orderBy") or one("orderby")),
            start=cursor_key(start) if start is not None and start != "" else None,
            limit=parse_limit(one("limit"), self.settings.default_limit, self.settings.max_limit),
            filters=tuple(parse_property(p) for p in properties),
            ids=tuple(ids),
            text=text,
        )


_ABSENT = object()


def reference_errors(
    store: MemoryStore,
    tenant: Tenant,
    container_id: str,
    info: SchemaInfo,
    refs: list[tuple[str, str]],
    prefix: str,
) -> list[ErrorItem]:
    """Each reference must name an existing instance of a schema the property allows."""
    errors: list[ErrorItem] = []
    targets = dict(info.references)
    for where, uri in refs:
        target = store.get_by_uri(tenant, container_id, uri)
        allowed = _allowed_targets(targets, where)
        if target is None:
            errors.append(
                ErrorItem("reference", f"{uri} does not exist in this container", prefix + where)
            )
        elif allowed and target.schema not in allowed:
            errors.append(
                ErrorItem(
                    "reference",
                    f"{uri} is a {kind(target.schema)}; expected "
                    + " or ".join(sorted(kind(a) for a in allowed)),
                    prefix + where,
                )
            )
    return errors


def _allowed_targets(targets: dict[tuple[str, ...], frozenset[str]], where: str) -> frozenset[str]:
    parts = tuple(p.replace("~1", "/").replace("~0", "~") for p in where.split("/")[1:])
    for pattern, allowed in targets.items():
        if len(pattern) == len(parts) and all(
            a in ("*", b) for a, b in zip(pattern, parts, strict=True)
        ):
            return allowed
    return frozenset()


def _user_links(links: dict[str, Any]) -> dict[str, Any]:
    return {name: link for name, link in links.items() if name != "self"}


def _with_extra(record: Record, extra: dict[str, Any]) -> Record:
    return with_fields(record, extra={**record.extra, **extra})


def _rejection(
    current: Record, detail: str, errors: list[ErrorItem], holders: list[dict[str, Any]]
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "outcome": "rejected",
        "type": "urn:mockxcore:problem:delete-rejected",
        "title": "Delete rejected",
        "detail": detail,
        "instanceId": current.instance_id,
    }
    if current.uri is not None:
        body["@id"] = current.uri
    body["repo:etag"] = current.etag
    body["errors"] = [e.to_dict() for e in errors]
    body["referencedBy"] = holders
    return body


def apply_patch(document: dict[str, Any], operations: list[Any]) -> Any:
    """RFC 6902 through ``jsonpatch``, one operation at a time so a failure names its index.

    ``operations`` has been checked against the json-patch contract already.
    """
    result: Any = document
    for index, operation in enumerate(operations):
        try:
            result = jsonpatch.JsonPatch([operation]).apply(result)
        except jsonpatch.InvalidJsonPatch as exc:
            raise Problem(
                400,
                "bad-patch",
                f"operation {index} is malformed: {exc}",
                [ErrorItem("patch", str(exc), f"/{index}")],
            ) from None
        except (
            jsonpatch.JsonPatchException,
            jsonpointer.JsonPointerException,
            TypeError,
            KeyError,
            IndexError,
            AttributeError,
        ) as exc:
            raise unprocessable(
                [ErrorItem("patch", f"operation {index} cannot be applied: {exc}", f"/{index}")]
            ) from None
    return result
