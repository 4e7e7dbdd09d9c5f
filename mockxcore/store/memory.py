"""The in-memory store: containers and instances per (org, sandbox), with their indexes.

Only this module knows how data is laid out. Everything else goes through the methods of
:class:`MemoryStore`, which are the store interface (see ``store/__init__.py``).
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any, TypeVar

from mockxcore.problems import ErrorItem, Problem, not_found
from mockxcore.store.fulltext import FullTextIndex
from mockxcore.store.index import SortedIndex, ValueIndex, scan_candidates
from mockxcore.store.paths import getter
from mockxcore.store.query import OrderKey, Page, Query, cursor_text, sort_key
from mockxcore.store.records import Deletion, Record
from mockxcore.store.refs import Reference, ReferenceGraph

T = TypeVar("T")
Tenant = tuple[str, str]
"""``(IMS org id, sandbox name)``: the unit of isolation."""

MAX_INDEXES_PER_SCHEMA = 16
MAX_DELETIONS_PER_TENANT = 10_000
MAX_DECISIONS_PER_TENANT = 1_000
MAX_PROFILES_PER_TENANT = 100_000


@dataclass
class _SchemaData:
    """One schema's instances in one container, with the indexes queries have asked for.

    Indexes are built on first use and then kept current by every write; the least recently
    used are dropped beyond a bound, so odd one-off queries cannot pile up memory.
    """

    members: dict[str, Record] = field(default_factory=dict)
    indexes: OrderedDict[str, SortedIndex] = field(default_factory=OrderedDict)
    values: OrderedDict[str, ValueIndex] = field(default_factory=OrderedDict)
    text: FullTextIndex | None = None

    def index(self, path: str) -> SortedIndex:
        return _cached(self.indexes, path, lambda: SortedIndex(path, self.members.values()))

    def value_index(self, path: str) -> ValueIndex:
        return _cached(self.values, path, lambda: ValueIndex(path, self.members.values()))

    def fulltext(self) -> FullTextIndex:
        if self.text is None:
            self.text = FullTextIndex()
            for record in self.members.values():
                self.text.add(record.instance_id, record.instance)
        return self.text

    def put(self, record: Record) -> None:
        self.members[record.instance_id] = record
        for index in self.indexes.values():
            index.add(record)
        for values in self.values.values():
            values.add(record)
        if self.text is not None:
            self.text.remove(record.instance_id)
            self.text.add(record.instance_id, record.instance)

    def drop(self, instance_id: str) -> None:
        self.members.pop(instance_id, None)
        for index in self.indexes.values():
            index.remove(instance_id)
        for values in self.values.values():
            values.remove(instance_id)
        if self.text is not None:
            self.text.remove(instance_id)


def _cached(cache: OrderedDict[str, T], path: str, build: Callable[[], T]) -> T:
    found = cache.get(path)
    if found is None:
        found = cache[path] = build()
        if len(cache) > MAX_INDEXES_PER_SCHEMA:
            cache.popitem(last=False)
    else:
        cache.move_to_end(path)
    return found


@dataclass
class _ContainerData:
    record: Record
    instances: dict[str, Record] = field(default_factory=dict)
    by_uri: dict[str, str] = field(default_factory=dict)
    schemas: dict[str, _SchemaData] = field(default_factory=dict)
    refs: ReferenceGraph = field(default_factory=ReferenceGraph)
    version: int = 0
    """Moves on every instance write, so derived views (compiled catalogs) know when to renew."""
    counters: dict[str, int] = field(default_factory=dict)


@dataclass
class _TenantData:
    containers: dict[str, _ContainerData] = field(default_factory=dict)
    deletions: OrderedDict[str, Deletion] = field(default_factory=OrderedDict)
    seen: bool = False
    profiles: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    decisions: deque[dict[str, Any]] = field(
        default_factory=lambda: deque(maxlen=MAX_DECISIONS_PER_TENANT)
    )


def _conflict(what: str, current: int, expected: int) -> Problem:
    return Problem(
        409,
        "etag-mismatch",
        f'{what} was modified by another request: its etag is now "{current}", '
        f'the request was based on "{expected}"',
        [ErrorItem("if-match", "stale etag", "")],
        extra={"currentEtag": current},
    )


class MemoryStore:
    """Process-local store. Not thread-safe by design: one event loop owns it."""

    def __init__(self) -> None:
        self._tenants: dict[Tenant, _TenantData] = {}

    # -- tenants ---------------------------------------------------------------------------
    def tenants(self) -> list[Tenant]:
        return list(self._tenants)

    def has_tenant(self, tenant: Tenant) -> bool:
        """Whether the tenant was seen (by an API call or a snapshot), not merely given a
        profile or a delete status through the control plane."""
        data = self._tenants.get(tenant)
        return data is not None and data.seen

    def add_tenant(self, tenant: Tenant) -> None:
        self._tenant(tenant).seen = True

    def _tenant(self, tenant: Tenant) -> _TenantData:
        return self._tenants.setdefault(tenant, _TenantData())

    # -- containers ------------------------------------------------------------------------
    def containers(self, tenant: Tenant) -> list[Record]:
        data = self._tenants.get(tenant)
        return [c.record for c in data.containers.values()] if data else []

    def get_container(self, tenant: Tenant, container_id: str) -> Record | None:
        data = self._tenants.get(tenant)
        found = data.containers.get(container_id) if data else None
        return found.record if found else None

    def put_container(self, tenant: Tenant, record: Record, expected_etag: int | None) -> None:
        """Create (``expected_etag`` None) or replace a container, checking its etag."""
        containers = self._tenant(tenant).containers
        current = containers.get(record.instance_id)
        if expected_etag is None:
            if current is not None:
                raise Problem(409, "exists", f"container {record.instance_id} already exists")
            containers[record.instance_id] = _ContainerData(record)
            return
        if current is None:
            raise Problem(404, "not-found", f"container {record.instance_id!r} does not exist")
        if current.record.etag != expected_etag:
            raise _conflict("the container", current.record.etag, expected_etag)
        current.record = record

    def delete_container(self, tenant: Tenant, container_id: str) -> None:
        self._tenant(tenant).containers.pop(container_id, None)

    def size(self, tenant: Tenant, container_id: str) -> int:
        return len(self._container(tenant, container_id).instances)

    # -- instances -------------------------------------------------------------------------
    def _container(self, tenant: Tenant, container_id: str) -> _ContainerData:
        data = self._tenants.get(tenant)
        found = data.containers.get(container_id) if data else None
        if found is None:
            raise not_found("container", container_id)
        return found

    def get(self, tenant: Tenant, container_id: str, instance_id: str) -> Record | None:
        return self._container(tenant, container_id).instances.get(instance_id)

    def get_by_uri(self, tenant: Tenant, container_id: str, uri: str) -> Record | None:
        data = self._container(tenant, container_id)
        instance_id = data.by_uri.get(uri)
        return data.instances.get(instance_id) if instance_id else None

    def records(self, tenant: Tenant, container_id: str) -> Iterator[Record]:
        return iter(list(self._container(tenant, container_id).instances.values()))

    def insert(
        self, tenant: Tenant, container_id: str, record: Record, refs: list[Reference]
    ) -> None:
        data = self._container(tenant, container_id)
        if record.instance_id in data.instances:
            raise Problem(409, "exists", f"instance {record.instance_id} already exists")
        if record.uri is not None and record.uri in data.by_uri:
            raise Problem(409, "exists", f"an instance with @id {record.uri} already exists")
        self._write(data, record, refs)

    def replace(
        self,
        tenant: Tenant,
        container_id: str,
        record: Record,
        refs: list[Reference],
        expected_etag: int,
    ) -> None:
        """Store a new revision, but only if the current one still has ``expected_etag``."""
        data = self._container(tenant, container_id)
        current = data.instances.get(record.instance_id)
        if current is None:
            raise Problem(404, "not-found", f"instance {record.instance_id!r} does not exist")
        if current.etag != expected_etag:
            raise _conflict("the instance", current.etag, expected_etag)
        if current.uri != record.uri and current.uri is not None:
            data.by_uri.pop(current.uri, None)
        if current.schema != record.schema:
            data.schemas[current.schema].drop(current.instance_id)
        self._write(data, record, refs)

    def _write(self, data: _ContainerData, record: Record, refs: list[Reference]) -> None:
        data.version += 1
        data.instances[record.instance_id] = record
        if record.uri is not None:
            data.by_uri[record.uri] = record.instance_id
        data.schemas.setdefault(record.schema, _SchemaData()).put(record)
        data.refs.set(record.instance_id, refs)

    def remove(self, tenant: Tenant, container_id: str, instance_id: str) -> None:
        data = self._container(tenant, container_id)
        record = data.instances.pop(instance_id, None)
        if record is None:
            return
        data.version += 1
        if record.uri is not None:
            data.by_uri.pop(record.uri, None)
        data.schemas[record.schema].drop(instance_id)
        data.refs.remove(instance_id)

    def referrers(
        self, tenant: Tenant, container_id: str, uri: str
    ) -> list[tuple[Record, list[str]]]:
        """The instances that reference ``uri``, each with the pointers it does so from."""
        data = self._container(tenant, container_id)
        return [
            (data.instances[iid], pointers)
            for iid, pointers in sorted(data.refs.referrers(uri).items())
            if iid in data.instances
        ]

    def version(self, tenant: Tenant, container_id: str) -> int:
        """A number that changes whenever an instance of the container is written or removed."""
        return self._container(tenant, container_id).version

    # -- counters (offer caps) -------------------------------------------------------------
    def counter(self, tenant: Tenant, container_id: str, key: str) -> int:
        return self._container(tenant, container_id).counters.get(key, 0)

    def add_to_counter(self, tenant: Tenant, container_id: str, key: str, amount: int) -> int:
        counters = self._container(tenant, container_id).counters
        counters[key] = counters.get(key, 0) + amount
        return counters[key]

    def counters(self, tenant: Tenant, container_id: str) -> dict[str, int]:
        return dict(self._container(tenant, container_id).counters)

    # -- profiles and decision events ------------------------------------------------------
    def put_profile(self, tenant: Tenant, identity: tuple[str, str], doc: dict[str, Any]) -> None:
        profiles = self._tenant(tenant).profiles
        if identity not in profiles and len(profiles) >= MAX_PROFILES_PER_TENANT:
            raise Problem(
                413,
                "too-many-profiles",
                f"at most {MAX_PROFILES_PER_TENANT} profiles per org and sandbox",
            )
        profiles[identity] = doc

    def get_profile(self, tenant: Tenant, identity: tuple[str, str]) -> dict[str, Any] | None:
        data = self._tenants.get(tenant)
        return data.profiles.get(identity) if data else None

    def delete_profile(self, tenant: Tenant, identity: tuple[str, str]) -> bool:
        data = self._tenants.get(tenant)
        return data is not None and data.profiles.pop(identity, None) is not None

    def profiles(self, tenant: Tenant) -> dict[tuple[str, str], dict[str, Any]]:
        data = self._tenants.get(tenant)
        return dict(data.profiles) if data else {}

    def add_decision(self, tenant: Tenant, event: dict[str, Any]) -> None:
        self._tenant(tenant).decisions.append(event)

    def decisions(self, tenant: Tenant) -> list[dict[str, Any]]:
        data = self._tenants.get(tenant)
        return list(data.decisions) if data else []

    def clear_decisions(self, tenant: Tenant) -> None:
        data = self._tenants.get(tenant)
        if data is not None:
            data.decisions.clear()

    # -- deletions -------------------------------------------------------------------------
    def put_deletion(self, tenant: Tenant, deletion: Deletion) -> None:
        deletions = self._tenant(tenant).deletions
        deletions[deletion.status_id] = deletion
        deletions.move_to_end(deletion.status_id)
        while len(deletions) > MAX_DELETIONS_PER_TENANT:
            deletions.popitem(last=False)

    def get_deletion(self, tenant: Tenant, status_id: str) -> Deletion | None:
        data = self._tenants.get(tenant)
        return data.deletions.get(status_id) if data else None

    def deletions(self, tenant: Tenant) -> list[Deletion]:
        data = self._tenants.get(tenant)
        return list(data.deletions.values()) if data else []

    # -- queries ---------------------------------------------------------------------------
    def query(self, tenant: Tenant, container_id: str, query: Query) -> Page:
        """One page of a list or search, ordered and filtered as ``query`` says.

        Candidates are narrowed first by what indexes answer (``id``, full-text terms, ``==``
        filters); the page is then read from the sorted index of the first ``orderBy``
        property, from the cursor on, so its cost does not grow with depth.
        """
        data = self._container(tenant, container_id)
        if query.schema is not None:
            pools = [data.schemas[query.schema]] if query.schema in data.schemas else []
        else:
            pools = list(data.schemas.values())
        candidates: set[str] | None = None
        if query.ids:
            candidates = {data.by_uri[u] for u in query.ids if u in data.by_uri}
        if query.text is not None:
            hits: set[str] = set()
            for pool in pools:
                hits |= pool.fulltext().search(query.text)
            candidates = hits if candidates is None else candidates & hits
        filters = list(query.filters)
        if len(pools) == 1:
            for flt in [f for f in filters if f.equal_keys]:
                found = pools[0].value_index(flt.path).lookup(flt.equal_keys)
                candidates = found if candidates is None else candidates & found
                filters.remove(flt)

        first = query.order[0]
        members = sum(len(pool.members) for pool in pools)
        index = pools[0].index(first.path) if len(pools) == 1 else None
        entries: Iterable[tuple[Any, str]]
        if index is not None and (candidates is None or len(candidates) * 16 > members):
            entries = index.scan(query.start, first.descending)
            if candidates is not None:
                wanted = candidates
                entries = ((key, iid) for key, iid in entries if iid in wanted)
        else:
            chosen = [
                record
                for pool in pools
                for iid, record in pool.members.items()
                if candidates is None or iid in candidates
            ]
            entries = list(scan_candidates(chosen, first.path, query.start, first.descending))

        instances = data.instances
        stream = ((key, instances[iid]) for key, iid in entries)
        if filters:
            tests = [f.matches for f in filters]
            stream = ((k, r) for k, r in stream if all(t(r) for t in tests))
        runs = groupby(stream, key=lambda pair: pair[0])

        page: list[Record] = []
        last_key: Any = None
        leftover = 0
        for key, group in runs:
            run = [record for _key, record in group]
            if page and len(page) + len(run) > query.limit:
                leftover = len(run)
                break
            page.extend(_order_run(run, query.order[1:]))
            last_key = key
            if len(page) >= query.limit:
                break

        if filters:
            total = len(page) + leftover + sum(len(list(group)) for _key, group in runs)
        elif isinstance(entries, list):
            total = len(entries)
        elif candidates is not None and index is not None:
            total = index.count_among(candidates, query.start, first.descending)
        elif index is not None:
            total = index.count_after(query.start, first.descending)
        else:
            total = members
        has_more = total > len(page)
        next_start = cursor_text(last_key) if has_more and last_key is not None else None
        return Page(page, total, next_start)


def _order_run(records: list[Record], keys: tuple[OrderKey, ...]) -> list[Record]:
    """Order a run of equal first keys by the remaining keys, then by instanceId."""
    ordered = sorted(records, key=lambda r: r.instance_id)
    if len(ordered) < 2:
        return ordered
    for key in reversed(keys):
        read = getter(key.path)
        present: list[tuple[Any, Record]] = []
        missing: list[Record] = []
        for record in ordered:
            values = read(record)
            if values:
                present.append((sort_key(values[0]), record))
            else:
                missing.append(record)
        present.sort(key=lambda pair: pair[0], reverse=key.descending)
        ordered = [record for _k, record in present] + missing
    return ordered
