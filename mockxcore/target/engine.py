"""Decisions from the rules artifact: the server-side twin of the SDKs' on-device engine.

For each requested location the engine walks the artifact's rules in order (the order is the
priority) and evaluates each rule's json-logic ``condition`` over the request's context:

* a regional mbox answers with the first rule that matches (nothing matches: the mbox comes
  back without options, as Target answers an unknown mbox);
* the global mbox (``pageLoad``) and views collect every matching rule, one per ``ruleKey``
  (one experience per activity), views grouped by name;
* ``execute`` answers drop event tokens and empty options and keep click metrics; ``prefetch``
  answers keep (or take from display metrics) the event tokens the client sends back in its
  display notifications;
* every option gets the response tokens the artifact lists, campaign macros (``${campaign.id}``,
  ``${mbox.param}``...) are replaced in HTML and action content, and ``analytics`` and
  ``trace`` are added when the request asks for them.

Remote (server-side only) mboxes and views and decision-scope mboxes are answered from the
content the caller passes in. Pure: no I/O, no clock, no randomness of its own.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mockxcore.target import ids, macros
from mockxcore.target.artifact import Artifact, Rule
from mockxcore.target.context import base_context, mbox_context, url_context

DECISIONING_METHOD = "server-side"
META_TOKENS = (
    "activity.id",
    "activity.name",
    "activity.type",
    "experience.id",
    "experience.name",
    "location.id",
    "location.name",
    "location.type",
    "offer.id",
    "offer.name",
    "option.id",
    "option.name",
)
GEO_TOKENS = (
    ("geo.city", "city"),
    ("geo.country", "country"),
    ("geo.state", "region"),
    ("geo.latitude", "latitude"),
    ("geo.longitude", "longitude"),
)

ScopeResolver = Callable[[str], list[dict[str, Any]] | None]
"""Options for a decision-scope mbox name, or None when the name is not a decision scope."""


@dataclass(slots=True)
class Inputs:
    """Everything besides the artifact and the request that a decision depends on."""

    client: str
    now: datetime
    visitor_key: str
    geo: dict[str, Any] | None = None
    property_token: str | None = None
    remote_mboxes: Mapping[str, list[dict[str, Any]]] = field(default_factory=dict)
    remote_views: Mapping[str, list[dict[str, Any]]] = field(default_factory=dict)
    scope: ScopeResolver | None = None
    analytics: bool = False
    trace: dict[str, Any] | None = None
    """Request-wide trace header (client, artifact, profile, session) when tracing."""


def event_token(*parts: Any) -> str:
    """A stable event token for content that has none (remote content, decision scopes)."""
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return base64.b64encode(digest).decode()


class _Tracer:
    """Trace of one location: which campaigns were evaluated, matched, and on what context."""

    def __init__(self, header: dict[str, Any], kind: str, mode: str, detail: dict[str, Any]):
        self.header = header
        self.request = {kind: {**detail, "type": mode}}
        self.campaigns: dict[Any, dict[str, Any]] = {}
        self.targets: dict[Any, dict[str, Any]] = {}

    def evaluated(self, rule: Rule, context: dict[str, Any], matched: bool) -> None:
        meta = rule.meta
        aid = rule.activity_id
        if matched and aid not in self.campaigns:
            self.campaigns[aid] = {
                "id": aid,
                "campaignType": meta.get("activity.type"),
                "branchId": meta.get("experience.id"),
                "offers": [meta["offer.id"]] if meta.get("offer.id") is not None else [],
                "environment": self.header.get("artifact", {}).get("environment"),
            }
        target = self.targets.setdefault(
            aid,
            {
                "context": context,
                "campaignId": aid,
                "campaignType": meta.get("activity.type"),
                "matchedSegmentIds": [],
                "unmatchedSegmentIds": [],
                "matchedRuleConditions": [],
                "unmatchedRuleConditions": [],
            },
        )
        which = "matched" if matched else "unmatched"
        segments = target[f"{which}SegmentIds"]
        for audience in meta.get("audience.ids") or []:
            if audience not in segments:
                segments.append(audience)
        target[f"{which}RuleConditions"].append(rule.condition)

    def result(self, page: dict[str, Any]) -> dict[str, Any]:
        request = {
            "sessionId": self.header.get("sessionId"),
            "pageURL": page.get("url"),
            "host": page.get("domain"),
            **self.request,
        }
        for target in self.targets.values():
            target["matchedSegmentIds"].sort(key=str)
            target["unmatchedSegmentIds"].sort(key=str)
        return {
            "clientCode": self.header.get("clientCode"),
            "artifact": self.header.get("artifact"),
            "profile": self.header.get("profile"),
            "request": request,
            "campaigns": list(self.campaigns.values()),
            "evaluatedCampaignTargets": list(self.targets.values()),
        }


class _Decider:
    def __init__(self, artifact: Artifact | None, request: dict[str, Any], inputs: Inputs):
        self.artifact = artifact
        self.request = request
        self.inputs = inputs
        self.base = base_context(request, inputs.now, inputs.geo)
        self.allocations: dict[Any, float] = {}
        extra: dict[str, Any] = {"activity.decisioningMethod": DECISIONING_METHOD}
        listed = artifact.response_tokens if artifact else frozenset()
        geo = self.base["geo"]
        for token, key in GEO_TOKENS:
            if token in listed and geo.get(key):
                extra[token] = geo[key]
        self.token_extras = extra
        self.listed_tokens = listed
        self.shareable = artifact is not None and len(extra) <= 1
        """Whether consequences without macros may be shaped once per artifact (no geo
        tokens: the answer then only depends on the rule)."""

    # -- evaluation ----------------------------------------------------------------------
    def context_for(self, detail: dict[str, Any]) -> dict[str, Any]:
        context = dict(self.base)
        context["mbox"] = mbox_context(detail.get("parameters"))
        address = detail.get("address")
        if isinstance(address, dict):
            context["page"] = url_context(address.get("url"))
            context["referring"] = url_context(address.get("referringUrl"))
        return context

    def allocation(self, activity_id: Any) -> float:
        found = self.allocations.get(activity_id)
        if found is None:
            found = ids.allocation(self.inputs.client, activity_id, self.inputs.visitor_key)
            self.allocations[activity_id] = found
        return found

    def matches(self, rule: Rule, context: dict[str, Any], tracer: _Tracer | None) -> bool:
        context["allocation"] = self.allocation(rule.activity_id)
        try:
            matched = bool(rule.check(context))
        except Exception:  # a condition that cannot be evaluated (1/0, substr of a number...)
            matched = False
        if tracer is not None:
            tracer.evaluated(rule, dict(context), matched)
        return matched

    def first_match(
        self, rules: tuple[Rule, ...] | list[Rule], context: dict[str, Any], tracer: _Tracer | None
    ) -> Rule | None:
        """The first rule that :meth:`matches` (a regional mbox's answer), inlined: this loop
        is the hot path of every request."""
        allocations = self.allocations
        for rule in rules:
            activity_id = rule.activity_id
            allocation = allocations.get(activity_id)
            if allocation is None:
                inputs = self.inputs
                allocation = ids.allocation(inputs.client, activity_id, inputs.visitor_key)
                allocations[activity_id] = allocation
            context["allocation"] = allocation
            try:
                matched = bool(rule.check(context))
            except Exception:  # as in matches()
                matched = False
            if tracer is not None:
                tracer.evaluated(rule, dict(context), matched)
            if matched:
                return rule
        return None

    def rules(self, listed: tuple[Rule, ...]) -> tuple[Rule, ...] | list[Rule]:
        if self.artifact is None or not self.artifact.scoped:
            return listed
        token = self.inputs.property_token
        return [rule for rule in listed if rule.allowed_for(token)]

    # -- shaping -------------------------------------------------------------------------
    def tokens_for(self, meta: dict[str, Any]) -> dict[str, Any]:
        tokens = {t: meta[t] for t in META_TOKENS if t in self.listed_tokens and t in meta}
        tokens.update(self.token_extras)
        return tokens

    def with_macros(
        self, option: dict[str, Any], meta: dict[str, Any], detail: dict[str, Any], name: str | None
    ) -> dict[str, Any]:
        content = option.get("content")
        kind = option.get("type")
        if kind not in ("html", "actions") or "${" not in str(content):
            return option
        attributes = {"name": name, "index": detail.get("index"), "key": detail.get("key")}
        parameters = detail.get("parameters") or {}
        if kind == "html" and isinstance(content, str):
            option["content"] = macros.expand(content, meta, attributes, parameters)
        elif kind == "actions" and isinstance(content, list):
            actions = []
            for action in content:
                if isinstance(action, dict) and isinstance(action.get("content"), str):
                    text = macros.expand(action["content"], meta, attributes, parameters)
                    action = {**action, "content": text}
                actions.append(action)
            option["content"] = actions
        return option

    def consequence(
        self, rule: Rule, mode: str, kind: str, detail: dict[str, Any], name: str | None
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]] | None]:
        """The options and metrics a matched rule contributes, shaped for execute/prefetch.

        Without macros or geo tokens the answer only depends on the rule, so it is shaped once
        per artifact and shared (answers are serialized, never changed)."""
        if rule.macros or not self.shareable or self.artifact is None:
            return self.shape(rule, mode, kind, detail, name)
        key = (id(rule), mode, kind)
        shared = self.artifact.shaped
        found = shared.get(key)
        if found is None:
            found = shared[key] = self.shape(rule, mode, kind, detail, name)
        shaped: tuple[list[dict[str, Any]], list[dict[str, Any]] | None] = found
        return shaped

    def shape(
        self, rule: Rule, mode: str, kind: str, detail: dict[str, Any], name: str | None
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]] | None]:
        consequence = rule.consequence
        options = [dict(o) for o in consequence.get("options") or [] if isinstance(o, dict)]
        metrics: list[dict[str, Any]] | None = [
            dict(m) for m in consequence.get("metrics") or [] if isinstance(m, dict)
        ]
        assert metrics is not None
        if mode == "execute":
            options = [o for o in options if o.get("type") and o.get("content")]
            for option in options:
                option.pop("eventToken", None)
            clicks = [m for m in metrics if m.get("type") == "click"]
            metrics = clicks or metrics
        else:
            for index, option in enumerate(options):
                if not option.get("eventToken") and index < len(metrics):
                    metric = metrics[index]
                    if metric.get("type") == "display" and metric.get("eventToken"):
                        option["eventToken"] = metric["eventToken"]
            if kind != "view":
                metrics = None
        tokens = self.tokens_for(rule.meta)
        shaped = []
        for option in options:
            option["responseTokens"] = dict(tokens)
            shaped.append(self.with_macros(option, rule.meta, detail, name))
        return shaped, metrics

    def analytics(self, matched: list[Rule], mode: str) -> dict[str, Any] | None:
        if not self.inputs.analytics or not matched:
            return None
        entries = []
        for rule in matched:
            head = f"{rule.activity_id}:{rule.meta.get('experience.id', 0)}:0"
            entries.append(f"{head}|2,{head}|1" if mode == "execute" else f"{head}|2")
        return {"payload": {"pe": "tnt", "tnta": ",".join(entries)}}

    def tracer(self, kind: str, mode: str, detail: dict[str, Any]) -> _Tracer | None:
        header = self.inputs.trace
        return _Tracer(header, kind, mode, detail) if header is not None else None

    def remote_options(
        self, options: list[dict[str, Any]], mode: str, *token_parts: Any
    ) -> list[dict[str, Any]]:
        shaped = []
        for index, given in enumerate(options):
            option = dict(given)
            option["responseTokens"] = {**(given.get("responseTokens") or {}), **self.token_extras}
            if mode == "execute":
                option.pop("eventToken", None)
            elif not option.get("eventToken"):
                option["eventToken"] = event_token(self.inputs.client, *token_parts, index)
            shaped.append(option)
        return shaped

    # -- locations -----------------------------------------------------------------------
    def mbox(self, mode: str, detail: dict[str, Any]) -> dict[str, Any]:
        name = str(detail.get("name", ""))
        entry: dict[str, Any] = {"index": detail.get("index"), "name": name}
        remote = self.inputs.remote_mboxes.get(name)
        if remote is not None:
            _put(entry, "options", self.remote_options(remote, mode, "mbox", name))
            return entry
        scope = self.inputs.scope(name) if self.inputs.scope is not None else None
        if scope is not None:
            _put(entry, "options", self.remote_options(scope, mode, "scope", name))
            return entry
        artifact = self.artifact
        if artifact is None:
            return entry
        if name == artifact.global_mbox:
            page = self.page_load(mode, detail)
            entry.update({k: v for k, v in page.items() if k != "state"})
            return entry
        tracer = self.tracer("mbox", mode, detail) if self.inputs.trace is not None else None
        context = self.context_for(detail)
        listed = artifact.mboxes.get(name, ())
        rules = self.rules(listed) if artifact.scoped else listed
        rule = self.first_match(rules, context, tracer)
        if rule is not None:
            options, metrics = self.consequence(rule, mode, "mbox", detail, name)
            if options:
                entry["options"] = options
            if metrics:
                entry["metrics"] = metrics
            if self.inputs.analytics:
                _put(entry, "analytics", self.analytics([rule], mode))
        if tracer is not None:
            entry["trace"] = tracer.result(context["page"])
        return entry

    def collect(
        self,
        rules: tuple[Rule, ...] | list[Rule],
        mode: str,
        kind: str,
        detail: dict[str, Any],
        name: str | None,
    ) -> tuple[
        list[dict[str, Any]], list[dict[str, Any]], list[Rule], _Tracer | None, dict[str, Any]
    ]:
        """Every matching rule, one per ruleKey (global mbox and views)."""
        tracer = self.tracer(kind, mode, detail)
        context = self.context_for(detail)
        seen: set[Any] = set()
        options: list[dict[str, Any]] = []
        metrics: list[dict[str, Any]] = []
        matched: list[Rule] = []
        for rule in rules:
            if rule.key in seen:
                continue
            if self.matches(rule, context, tracer):
                seen.add(rule.key)
                matched.append(rule)
                found, found_metrics = self.consequence(rule, mode, kind, detail, name)
                options.extend(found)
                metrics.extend(found_metrics or [])
        return options, metrics, matched, tracer, context

    def page_load(self, mode: str, detail: dict[str, Any]) -> dict[str, Any]:
        artifact = self.artifact
        entry: dict[str, Any] = {}
        if artifact is None:
            return entry
        name = artifact.global_mbox
        options, metrics, matched, tracer, context = self.collect(
            self.rules(artifact.mboxes.get(name, ())), mode, "pageLoad", detail, name
        )
        _put(entry, "options", options)
        by_token = {m.get("eventToken"): m for m in metrics}
        _put(entry, "metrics", [by_token[t] for t in sorted(by_token, key=str)])
        _put(entry, "analytics", self.analytics(matched, mode))
        if tracer is not None:
            entry["trace"] = tracer.result(context["page"])
        return entry

    def views(self, detail: dict[str, Any]) -> list[dict[str, Any]]:
        wanted = detail.get("name")
        if isinstance(wanted, str) and wanted in self.inputs.remote_views:
            options = self.remote_options(
                self.inputs.remote_views[wanted], "prefetch", "view", wanted
            )
            return [{"name": wanted, "options": options}]
        artifact = self.artifact
        if artifact is None:
            return []
        names = [wanted] if isinstance(wanted, str) and wanted else list(artifact.views)
        answers: dict[str, dict[str, Any]] = {}
        for name in names:
            # macros read the view name as requested (none when all views were asked for)
            options, metrics, matched, tracer, context = self.collect(
                self.rules(artifact.views.get(name, ())),
                "prefetch",
                "view",
                detail,
                detail.get("name"),
            )
            if not matched:
                continue
            view: dict[str, Any] = {"name": name}
            if detail.get("key") is not None:
                view["key"] = detail["key"]
            _put(view, "options", options)
            _put(view, "metrics", metrics)
            _put(view, "analytics", self.analytics(matched, "prefetch"))
            if tracer is not None:
                view["trace"] = tracer.result(context["page"])
            answers[name] = view
        return [answers[name] for name in sorted(answers)]

    # -- the whole request ---------------------------------------------------------------
    def run(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for mode in ("execute", "prefetch"):
            asked = self.request.get(mode)
            if not isinstance(asked, dict):
                continue
            answer: dict[str, Any] = {}
            if "pageLoad" in asked:
                answer["pageLoad"] = self.page_load(mode, asked.get("pageLoad") or {})
            if mode == "prefetch" and asked.get("views"):
                views = []
                for detail in asked["views"]:
                    views.extend(self.views(detail))
                answer["views"] = views
            if asked.get("mboxes"):
                answer["mboxes"] = [self.mbox(mode, detail) for detail in asked["mboxes"]]
            result[mode] = answer
        return result


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value:
        target[key] = value


def decide(artifact: Artifact | None, request: dict[str, Any], inputs: Inputs) -> dict[str, Any]:
    """``{"execute": {...}, "prefetch": {...}}`` for the parts of ``request`` that ask."""
    return _Decider(artifact, request, inputs).run()
