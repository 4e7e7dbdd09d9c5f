"""The decisioning runtime of one mock: decisions, activity offers, diagnostics, profiles.

Pure core (no HTTP): handlers pass the caller, the container and the parsed body; this module
checks the request, loads the profile, decides with :mod:`~mockxcore.decisioning.engine`,
draws down caps and records the decision event unless it is a dry run.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from mockxcore import timestamps
from mockxcore.auth import Caller
from mockxcore.decisioning.catalog import Catalog, compile_catalog
from mockxcore.decisioning.engine import (
    DecisionRequest,
    activity_not_found,
    decide,
    option_document,
)
from mockxcore.decisioning.pql import Profile
from mockxcore.problems import ErrorItem, Problem, bad_request, not_found
from mockxcore.store import Tenant
from mockxcore.xcore.repository import Repository

REQUEST_SCHEMA = "https://ns.adobe.com/experience/offer-management/decision-request"
RESPONSE_SCHEMA = "https://ns.adobe.com/experience/offer-management/decision-response"
PROFILE_SCHEMA = "https://ns.adobe.com/experience/mockxcore/profile"
MAX_ACTIVITIES = 30


def to_profile(doc: dict[str, Any] | None) -> Profile:
    if doc is None:
        return Profile()
    return Profile(
        doc.get("attributes", {}), doc.get("segmentMembership", {}), tuple(doc.get("events", []))
    )


class Decisioning:
    """Decisions over the repository a mock currently holds (``repository()`` may change on
    reset and import, so it is asked for each time)."""

    def __init__(self, repository: Callable[[], Repository], rng: random.Random) -> None:
        self._repository = repository
        self.rng = rng
        self._catalogs: dict[tuple[Tenant, str], tuple[object, int, Catalog]] = {}

    @property
    def repo(self) -> Repository:
        return self._repository()

    def catalog(self, caller: Caller, container_id: str) -> Catalog:
        """The container compiled for deciding, renewed whenever the container changed.

        A revision is the store (an import or reset brings a new one) and the container's
        version in it: versions alone repeat across stores."""
        repo = self.repo
        repo.container(caller, container_id)
        version = repo.store.version(caller.tenant, container_id)
        key = (caller.tenant, container_id)
        cached = self._catalogs.get(key)
        if cached is None or cached[0] is not repo.store or cached[1] != version:
            catalog = compile_catalog(repo.store.records(caller.tenant, container_id))
            self._catalogs[key] = (repo.store, version, catalog)
            if len(self._catalogs) > 256:
                self._catalogs.pop(next(iter(self._catalogs)))
            return catalog
        return cached[2]

    def _check(self, schema: str, body: Any, slug: str) -> None:
        """A 400 naming the first few ways ``body`` breaks ``schema`` (every one in errors)."""
        errors = self.repo.contracts.validate(schema, body)
        if errors:
            summary = "; ".join(f"{e.pointer or '/'}: {e.message}" for e in errors[:3])
            raise Problem(400, slug, summary, errors)

    # -- decisions -------------------------------------------------------------------------
    def parse(self, body: Any) -> DecisionRequest:
        """The request, checked: 400 naming the field for anything malformed."""
        if isinstance(body, dict) and isinstance(body.get("xdm:offerActivities"), list):
            count = len(body["xdm:offerActivities"])
            if count > MAX_ACTIVITIES:
                raise bad_request(
                    "too-many-activities",
                    f"at most {MAX_ACTIVITIES} activities per request, not {count}",
                    pointer="/xdm:offerActivities",
                    rule="limits",
                )
        self._check(REQUEST_SCHEMA, body, "bad-decision-request")
        identities = tuple(
            (namespace, entry["xdm:id"])
            for namespace, entries in body["xdm:identityMap"].items()
            for entry in entries
        )
        context: dict[str, Any] = {}
        for item in body.get("xdm:contextData", []):
            previous = context.get(item["@type"])
            if previous is None:
                context[item["@type"]] = item["xdm:data"]
            elif isinstance(previous, list):
                previous.append(item["xdm:data"])
            else:
                context[item["@type"]] = [previous, item["xdm:data"]]
        if body.get("xdm:validateContextData"):
            self._validate_context(body.get("xdm:contextData", []))
        return DecisionRequest(
            activities=tuple(body["xdm:offerActivities"]),
            identities=identities,
            context=context,
            dry_run=bool(body.get("xdm:dryRun", False)),
            allow_duplicates=bool(
                body.get("xdm:allowDuplicatePropositions", {}).get("xdm:acrossActivities", False)
            ),
            item_count=int(body.get("xdm:itemCount", 1)),
        )

    def _validate_context(self, items: Sequence[dict[str, Any]]) -> None:
        contracts = self.repo.contracts
        errors: list[ErrorItem] = []
        for index, item in enumerate(items):
            where = f"/xdm:contextData/{index}"
            if item["@type"] not in contracts:
                errors.append(
                    ErrorItem(
                        "context-schema",
                        f"no schema {item['@type']} is registered to check it",
                        where + "/@type",
                    )
                )
                continue
            errors += contracts.validate(item["@type"], item["xdm:data"], where + "/xdm:data")
        if errors:
            raise Problem(
                400,
                "invalid-context-data",
                "; ".join(f"{e.pointer}: {e.message}" for e in errors[:3]),
                errors,
            )

    def profile_for(
        self, tenant: Tenant, identities: Sequence[tuple[str, str]]
    ) -> tuple[tuple[str, str] | None, Any]:
        """The first identity with a known profile selects it; else the first identity, with
        an empty profile."""
        store = self.repo.store
        for identity in identities:
            doc = store.get_profile(tenant, identity)
            if doc is not None:
                return identity, doc
        return (identities[0] if identities else None), None

    def decide(self, caller: Caller, container_id: str, body: Any) -> dict[str, Any]:
        request = self.parse(body)
        catalog = self.catalog(caller, container_id)
        repo = self.repo
        store = repo.store
        identity, doc = self.profile_for(caller.tenant, request.identities)
        now = repo.clock.now()
        outcome = decide(
            catalog,
            request,
            to_profile(doc),
            identity,
            lambda key: store.counter(caller.tenant, container_id, key),
            now,
            self.rng,
        )
        decision_id = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        created = timestamps.format(now)
        if not request.dry_run:
            for key, amount in outcome.increments.items():
                store.add_to_counter(caller.tenant, container_id, key, amount)
            store.add_decision(
                caller.tenant,
                {
                    "decisionId": decision_id,
                    "time": created,
                    "containerId": container_id,
                    "profile": {"namespace": identity[0], "id": identity[1]} if identity else None,
                    "propositions": outcome.chosen,
                },
            )
        response: dict[str, Any] = {
            "xdm:decisionId": decision_id,
            "xdm:createDate": created,
            "xdm:dryRun": request.dry_run,
        }
        if identity is not None:
            response["xdm:profile"] = {
                "xdm:namespace": identity[0],
                "xdm:id": identity[1],
                "xdm:known": doc is not None,
            }
        response["xdm:propositions"] = outcome.propositions
        return response

    # -- activity offers and diagnostics ---------------------------------------------------
    def activity_offers(
        self, caller: Caller, container_id: str, activity_ids: Sequence[str]
    ) -> dict[str, Any]:
        """Per activity, the candidates before profile-dependent rules (status, filter and
        placement), best first, and its fallback."""
        if not activity_ids:
            raise bad_request(
                "missing-activity",
                "give at least one ?activityId=",
                pointer="/query/activityId",
                rule="activityId",
            )
        if len(activity_ids) > MAX_ACTIVITIES:
            raise bad_request(
                "too-many-activities",
                f"at most {MAX_ACTIVITIES} activityId parameters",
                pointer="/query/activityId",
                rule="limits",
            )
        catalog = self.catalog(caller, container_id)
        results: list[dict[str, Any]] = []
        for uri in activity_ids:
            activity = catalog.activities.get(uri)
            if activity is None:
                results.append(activity_not_found(uri))
                continue
            fallback = catalog.fallbacks.get(activity.fallback)
            results.append(
                {
                    "xdm:activity": {
                        "xdm:id": activity.uri,
                        "repo:etag": activity.etag,
                        "xdm:status": activity.status,
                    },
                    "xdm:placement": {
                        "xdm:id": activity.placement,
                        "repo:etag": catalog.placements.get(activity.placement),
                    },
                    "xdm:offers": [
                        option_document(option, activity.placement, ranked=True)
                        for _priority, group in catalog.candidates(activity)
                        for option in group
                    ],
                    "xdm:fallback": option_document(fallback, activity.placement, ranked=False)
                    if fallback is not None
                    else {"xdm:id": activity.fallback},
                }
            )
        return {"xdm:activities": results}

    def diagnostics(self, caller: Caller, container_id: str) -> dict[str, Any]:
        catalog = self.catalog(caller, container_id)
        return {
            "containerId": container_id,
            "catalogUpdated": catalog.catalog_updated,
            "activitiesUpdated": catalog.activities_updated,
            "counts": {
                "offers": len(catalog.offers),
                "fallbacks": len(catalog.fallbacks),
                "activities": len(catalog.activities),
                "rules": len(catalog.rules),
                "filters": len(catalog.filters),
                "placements": len(catalog.placements),
            },
            "errors": [error.to_dict() for error in catalog.errors],
        }

    # -- profiles --------------------------------------------------------------------------
    def put_profile(self, tenant: Tenant, namespace: str, ident: str, body: Any) -> dict[str, Any]:
        self._check(PROFILE_SCHEMA, body, "bad-profile")
        doc = {k: v for k, v in body.items() if k not in ("namespace", "id")}
        self.repo.store.put_profile(tenant, (namespace, ident), doc)
        return {"namespace": namespace, "id": ident, **doc}

    def get_profile(self, tenant: Tenant, namespace: str, ident: str) -> dict[str, Any]:
        doc = self.repo.store.get_profile(tenant, (namespace, ident))
        if doc is None:
            raise not_found("profile", f"{namespace}/{ident}")
        return {"namespace": namespace, "id": ident, **doc}

    def delete_profile(self, tenant: Tenant, namespace: str, ident: str) -> dict[str, Any]:
        """Forget a profile; answers what it was (404 when there was none)."""
        profile = self.get_profile(tenant, namespace, ident)
        self.repo.store.delete_profile(tenant, (namespace, ident))
        return profile

    def decisions(self, tenant: Tenant) -> list[dict[str, Any]]:
        """The tenant's decision events (non-dry-run decisions), oldest first."""
        return self.repo.store.decisions(tenant)

    def clear_decisions(self, tenant: Tenant) -> None:
        self.repo.store.clear_decisions(tenant)
