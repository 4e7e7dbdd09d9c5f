"""A sorted index over one property path of one schema's instances.

Entries are ``(sort key, instanceId)`` in a ``SortedList``: a page starting at any cursor costs
O(log n + page). Instances without the property sit apart and always come last, in either
direction, so they form one final run that a page never splits.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sortedcontainers import SortedList

from mockxcore.store.paths import getter
from mockxcore.store.query import SortKey, sort_key
from mockxcore.store.records import Record

_AFTER_ALL_IDS = "\U0010ffff" * 4


def key_of(record: Record, path: str) -> SortKey | None:
    values = getter(path)(record)
    return sort_key(values[0]) if values else None


class SortedIndex:
    def __init__(self, path: str, records: Iterable[Record]) -> None:
        self.path = path
        self._keys: dict[str, SortKey | None] = {}
        pairs: list[tuple[SortKey, str]] = []
        missing: list[str] = []
        for record in records:
            key = key_of(record, path)
            self._keys[record.instance_id] = key
            if key is None:
                missing.append(record.instance_id)
            else:
                pairs.append((key, record.instance_id))
        self._entries: SortedList = SortedList(pairs)
        self._missing: SortedList = SortedList(missing)

    def add(self, record: Record) -> None:
        self.remove(record.instance_id)
        key = key_of(record, self.path)
        self._keys[record.instance_id] = key
        if key is None:
            self._missing.add(record.instance_id)
        else:
            self._entries.add((key, record.instance_id))

    def remove(self, instance_id: str) -> None:
        if instance_id not in self._keys:
            return
        key = self._keys.pop(instance_id)
        if key is None:
            self._missing.discard(instance_id)
        else:
            self._entries.discard((key, instance_id))

    def scan(self, start: SortKey | None, descending: bool) -> Iterator[tuple[Any, str]]:
        """``(key, instanceId)`` strictly after ``start`` in the given direction, then the
        instances without the property (key ``None``)."""
        if descending:
            if start is None:
                yield from reversed(self._entries)
            else:
                yield from self._entries.irange(
                    maximum=(start, ""), inclusive=(False, False), reverse=True
                )
        elif start is None:
            yield from self._entries
        else:
            yield from self._entries.irange(
                minimum=(start, _AFTER_ALL_IDS), inclusive=(False, False)
            )
        for instance_id in self._missing:
            yield None, instance_id

    def count_among(self, ids: set[str], start: SortKey | None, descending: bool) -> int:
        """How many of ``ids`` :meth:`scan` would yield, in O(len(ids))."""
        if start is None:
            return sum(1 for iid in ids if iid in self._keys)
        count = 0
        for iid in ids:
            if iid not in self._keys:
                continue
            key = self._keys[iid]
            if key is None or (key < start if descending else key > start):
                count += 1
        return count

    def count_after(self, start: SortKey | None, descending: bool) -> int:
        """How many entries :meth:`scan` would yield, in O(log n)."""
        if start is None:
            return len(self._entries) + len(self._missing)
        if descending:
            before: int = self._entries.bisect_left((start, ""))
            return before + len(self._missing)
        after: int = len(self._entries) - self._entries.bisect_right((start, _AFTER_ALL_IDS))
        return after + len(self._missing)


def scan_candidates(
    records: Iterable[Record], path: str, start: SortKey | None, descending: bool
) -> Iterator[tuple[Any, str]]:
    """The same order as :meth:`SortedIndex.scan`, for a small candidate set (search, ``id``)."""
    present: list[tuple[SortKey, str]] = []
    missing: list[str] = []
    for record in records:
        key = key_of(record, path)
        if key is None:
            missing.append(record.instance_id)
        elif start is None or (key < start if descending else key > start):
            present.append((key, record.instance_id))
    present.sort(reverse=descending)  # order inside a run of equal keys is settled later
    yield from present
    for instance_id in sorted(missing):
        yield None, instance_id


class ValueIndex:
    """Every scalar value a property path reaches -> the instances holding it.

    Answers ``property=path==value`` filters without a scan. Multi-valued: an instance whose
    path crosses an array is listed under each item, as filters match any item.
    """

    def __init__(self, path: str, records: Iterable[Record]) -> None:
        self.path = path
        self._read = getter(path)
        self._ids: dict[SortKey, set[str]] = {}
        self._keys: dict[str, list[SortKey]] = {}
        for record in records:
            self.add(record)

    def add(self, record: Record) -> None:
        self.remove(record.instance_id)
        keys = [sort_key(v) for v in self._read(record) if isinstance(v, bool | int | float | str)]
        if keys:
            self._keys[record.instance_id] = keys
            for key in keys:
                self._ids.setdefault(key, set()).add(record.instance_id)

    def remove(self, instance_id: str) -> None:
        for key in self._keys.pop(instance_id, []):
            holders = self._ids.get(key)
            if holders is not None:
                holders.discard(instance_id)
                if not holders:
                    del self._ids[key]

    def lookup(self, keys: Iterable[SortKey]) -> set[str]:
        found: set[str] = set()
        for key in keys:
            found |= self._ids.get(key, set())
        return found
