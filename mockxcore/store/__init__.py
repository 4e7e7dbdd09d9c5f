"""The repository's storage: one narrow interface, an in-memory implementation behind it.

Handlers and domain rules talk to the store only through these methods, so another backend
(shared by several ``serve`` workers) can replace :class:`MemoryStore` without touching them:

* tenants -- ``tenants``, ``has_tenant``, ``add_tenant``;
* containers -- ``containers``, ``get_container``, ``put_container`` (etag-checked),
  ``delete_container``, ``size``;
* instances -- ``get``, ``get_by_uri``, ``records``, ``insert``, ``replace`` (etag-checked),
  ``remove``, ``referrers``, ``query``;
* delete outcomes -- ``put_deletion``, ``get_deletion``, ``deletions``;
* decisioning -- ``version`` (of a container's content), ``counter``, ``add_to_counter``,
  ``counters`` (offer caps), ``put_profile``, ``get_profile``, ``delete_profile``,
  ``profiles``, ``add_decision``, ``decisions``, ``clear_decisions``.
"""

from mockxcore.store.memory import MemoryStore, Tenant
from mockxcore.store.query import Filter, OrderKey, Page, Query
from mockxcore.store.records import Deletion, Record

__all__ = [
    "Deletion",
    "Filter",
    "MemoryStore",
    "OrderKey",
    "Page",
    "Query",
    "Record",
    "Tenant",
]
