"""The stored unit: one immutable revision of an instance or a container.

A write never edits a :class:`Record`; it stores a new one with the next etag. That makes
snapshots, indexes and cached renderings safe to share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True, eq=False, weakref_slot=True)
class Record:
    """One revision of a repository object (the envelope, ``_instance`` and user ``_links``).

    Compared by identity: two revisions are never "the same" object, and that lets renderings
    be cached per revision.
    """

    instance_id: str
    schema: str
    version: str
    etag: int
    created: str
    modified: str
    created_by: str
    modified_by: str
    created_by_client: str
    modified_by_client: str
    instance: dict[str, Any]
    links: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    """Envelope properties particular to a kind of object (``productContexts`` of containers)."""

    @property
    def uri(self) -> str | None:
        value = self.instance.get("@id")
        return value if isinstance(value, str) else None

    @property
    def versioned_schema(self) -> str:
        return f"{self.schema};version={self.version}"

    def envelope(self) -> dict[str, Any]:
        """The repository's envelope properties, in the order Adobe prints them."""
        doc: dict[str, Any] = {"instanceId": self.instance_id, "schemas": [self.versioned_schema]}
        doc.update(self.extra)
        doc["repo:etag"] = self.etag
        doc["repo:createdDate"] = self.created
        doc["repo:lastModifiedDate"] = self.modified
        doc["repo:createdBy"] = self.created_by
        doc["repo:lastModifiedBy"] = self.modified_by
        doc["repo:createdByClientId"] = self.created_by_client
        doc["repo:lastModifiedByClientId"] = self.modified_by_client
        return doc

    def receipt(self) -> dict[str, Any]:
        """What create, update, patch and delete answer (``xdm.receipt``)."""
        doc: dict[str, Any] = {"instanceId": self.instance_id}
        if self.uri is not None:
            doc["@id"] = self.uri
        doc["repo:etag"] = self.etag
        doc["repo:createdDate"] = self.created
        doc["repo:lastModifiedDate"] = self.modified
        doc["repo:createdBy"] = self.created_by
        doc["repo:lastModifiedBy"] = self.modified_by
        doc["repo:createdByClientId"] = self.created_by_client
        doc["repo:lastModifiedByClientId"] = self.modified_by_client
        return doc

    def to_snapshot(self) -> dict[str, Any]:
        doc = self.envelope()
        doc["_instance"] = self.instance
        doc["_links"] = self.links
        return doc


@dataclass(frozen=True, slots=True)
class Deletion:
    """The outcome of a DELETE, revealed to pollers once ``polls_left`` reaches zero."""

    status_id: str
    container_id: str
    instance_id: str
    outcome: dict[str, Any]
    accepted: bool
    polls_left: int
    reveal_at: str | None = None
    """With time-based deletes: the clock instant (RFC 3339) from which the outcome shows."""
