"""Property paths: the one syntax ``orderBy``, ``property`` and ``field`` share.

``_instance.xdm:rank.xdm:priority`` reads a payload property, ``_links.self.href`` a link, and a
bare envelope name (``instanceId``, ``repo:lastModifiedDate``, ``repo:etag``...) the envelope.
A path that crosses an array reaches every item, so ``_instance.xdm:tags`` yields each tag.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from mockxcore.problems import bad_request
from mockxcore.store.records import Record

Getter = Callable[[Record], list[Any]]

_ENVELOPE: dict[str, Callable[[Record], Any]] = {
    "instanceId": lambda r: r.instance_id,
    "schemas": lambda r: r.versioned_schema,
    "repo:etag": lambda r: r.etag,
    "repo:createdDate": lambda r: r.created,
    "repo:lastModifiedDate": lambda r: r.modified,
    "repo:createdBy": lambda r: r.created_by,
    "repo:lastModifiedBy": lambda r: r.modified_by,
    "repo:createdByClientId": lambda r: r.created_by_client,
    "repo:lastModifiedByClientId": lambda r: r.modified_by_client,
    "productContexts": lambda r: r.extra.get("productContexts"),
}

ENVELOPE_PATHS = frozenset(_ENVELOPE)


def _descend(values: list[Any], key: str) -> list[Any]:
    found: list[Any] = []
    for value in values:
        if isinstance(value, dict):
            if key in value:
                found.append(value[key])
        elif isinstance(value, list):
            found.extend(_descend(value, key))
    return found


def _leaves(values: list[Any]) -> list[Any]:
    flat: list[Any] = []
    for value in values:
        if isinstance(value, list):
            flat.extend(_leaves(value))
        elif value is not None:
            flat.append(value)
    return flat


@lru_cache(maxsize=4096)
def getter(path: str) -> Getter:
    """Compile ``path`` into a function returning the values it reaches in a record.

    >>> from mockxcore.store.records import Record
    >>> r = Record("i1", "s", "0.1", 1, "", "", "", "", "", "", {"xdm:tags": ["a", "b"]})
    >>> getter("_instance.xdm:tags")(r)
    ['a', 'b']
    """
    if not path or len(path) > 512:
        raise bad_request("bad-path", "a property path must be 1 to 512 characters")
    head, _, rest = path.partition(".")
    if head in _ENVELOPE and not rest:
        envelope = _ENVELOPE[head]
        return lambda record: _leaves([envelope(record)])
    if head not in ("_instance", "_links") or not rest:
        raise bad_request(
            "bad-path",
            f"unknown property path {path!r}: use _instance.<property>, _links.<name> or one of "
            + ", ".join(sorted(_ENVELOPE)),
        )
    keys = rest.split(".")
    if any(not k for k in keys):
        raise bad_request("bad-path", f"property path {path!r} has an empty segment")
    attribute = "instance" if head == "_instance" else "links"

    def read(record: Record) -> list[Any]:
        values: list[Any] = [getattr(record, attribute)]
        for key in keys:
            values = _descend(values, key)
            if not values:
                return values
        return _leaves(values)

    return read
