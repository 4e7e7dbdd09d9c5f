"""Decision tables: the short way to say what Target should answer, compiled into an artifact.

Writing a rules artifact by hand means json-logic, allocation ranges and event tokens. A
decision table says the same thing the way a Target user thinks of it: activities on an mbox,
a view or the page load, each with experiences (content), a traffic split (A/B) or audiences
(experience targeting), an optional activity audience, dates and priority. ``compile_table``
turns it into the artifact the SDKs download, and that artifact is what the mock decides from,
so a table means exactly the same on-device and server-side. The format is described in
``docs/target.md`` and checked by the ``decision-table`` schema.

Ordering is priority: per location, activities by ``priority`` (highest first), then
experience targeting before A/B at equal priority, then table order.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import orjson

from mockxcore import timestamps
from mockxcore.contracts import Contracts
from mockxcore.problems import ErrorItem, Problem
from mockxcore.target.artifact import DEFAULT_ENVIRONMENT, DEFAULT_GLOBAL_MBOX, condition_errors

SCHEMA = "https://ns.adobe.com/experience/mockxcore/target/decision-table"
DEFAULT_RESPONSE_TOKENS = [
    "activity.id",
    "activity.name",
    "experience.id",
    "experience.name",
    "geo.city",
    "geo.country",
    "geo.state",
    "offer.id",
    "offer.name",
    "option.id",
    "option.name",
]
CONTEXT_ROOTS = ("mbox", "page", "referring", "user", "geo")
CONTEXT_NAMES = ("current_timestamp", "current_time", "current_day", "allocation")
NUMERIC_ATTRIBUTES = frozenset(
    {
        "user.browserVersion",
        "geo.latitude",
        "geo.longitude",
        "current_timestamp",
        "current_day",
        "allocation",
    }
)
TYPE_NAMES = {"ab": "ab", "xt": "landing"}
"""Target's artifacts call experience targeting ``landing``."""
FIRST_ACTIVITY_ID = 100001


def token(*parts: Any, size: int = 32) -> str:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return base64.b64encode(digest[:size]).decode()


def audience_id(condition: Any) -> int:
    digest = hashlib.sha256(orjson.dumps(condition, option=orjson.OPT_SORT_KEYS)).hexdigest()
    return 1_000_000 + int(digest[:8], 16) % 9_000_000


class _Compiler:
    def __init__(self, table: dict[str, Any], client: str) -> None:
        self.table = table
        self.client = client
        self.errors: list[ErrorItem] = []
        self.uses_geo = False

    def error(self, rule: str, message: str, at: str) -> None:
        self.errors.append(ErrorItem(rule, message, at))

    # -- audiences -----------------------------------------------------------------------
    def attribute(self, node: dict[str, Any], at: str) -> Any:
        path = node["attribute"]
        root = path.split(".")[0]
        if not (
            (root in CONTEXT_ROOTS and "." in path and not path.endswith("."))
            or path in CONTEXT_NAMES
        ):
            self.error(
                "audience-attribute",
                f"{path!r} is not a context attribute (use mbox.*, page.*, referring.*, "
                f"user.*, geo.* or {', '.join(CONTEXT_NAMES)})",
                at + "/attribute",
            )
            return False
        if root == "geo":
            self.uses_geo = True
        ops = [k for k in node if k not in ("attribute", "ignoreCase")]
        op = ops[0]
        value = node[op]
        lower = bool(node.get("ignoreCase"))
        if lower and path not in NUMERIC_ATTRIBUTES:
            path += "_lc"
            if isinstance(value, str):
                value = value.lower()
            elif isinstance(value, list):
                value = [v.lower() if isinstance(v, str) else v for v in value]
        var = {"var": path}
        if op in ("startsWith", "endsWith") and node["attribute"] in NUMERIC_ATTRIBUTES:
            self.error("audience-operator", f"{op} needs a text attribute", f"{at}/{op}")
            return False
        match op:
            case "equals":
                return {"==": [value, var]}
            case "notEquals":
                return {"!=": [value, var]}
            case "contains":
                return {"in": [value, var]}
            case "notContains":
                return {"!": [{"in": [value, var]}]}
            case "startsWith":
                return {"and": [var, {"==": [{"substr": [var, 0, len(value)]}, value]}]}
            case "endsWith":
                return {"and": [var, {"==": [{"substr": [var, -len(value)]}, value]}]}
            case "in":
                return {"in": [var, value]}
            case "lessThan":
                return {"<": [var, value]}
            case "lessThanOrEqual":
                return {"<=": [var, value]}
            case "greaterThan":
                return {">": [var, value]}
            case "greaterThanOrEqual":
                return {">=": [var, value]}
            case "exists":
                return {"!!": [var]} if value else {"!": [var]}
        self.error("audience-operator", f"unknown operator {op!r}", f"{at}/{op}")
        return False

    def audience(self, node: Any, at: str) -> Any:
        if "all" in node:
            return {"and": [self.audience(c, f"{at}/all/{i}") for i, c in enumerate(node["all"])]}
        if "any" in node:
            return {"or": [self.audience(c, f"{at}/any/{i}") for i, c in enumerate(node["any"])]}
        if "not" in node:
            return {"!": [self.audience(node["not"], f"{at}/not")]}
        if "attribute" in node:
            return self.attribute(node, at)
        if "days" in node:
            return {"or": [{"==": [{"var": "current_day"}, str(d)]} for d in node["days"]]}
        if "time" in node:
            start, end = node["time"]["from"], node["time"]["to"]
            now = {"var": "current_time"}
            if start <= end:
                return {"<=": [start, now, end]}
            return {"or": [{"<=": [start, now]}, {"<=": [now, end]}]}
        if "between" in node:
            return self.window(node["between"], f"{at}/between") or True
        if "jsonLogic" in node:
            self.errors.extend(condition_errors(node["jsonLogic"], f"{at}/jsonLogic"))
            if "geo." in orjson.dumps(node["jsonLogic"]).decode():
                self.uses_geo = True
            return node["jsonLogic"]
        self.error("audience", "an audience needs one of all, any, not, attribute, ...", at)
        return False

    def window(self, node: dict[str, Any], at: str) -> Any:
        """A calendar window as a condition on ``current_timestamp``; None when open-ended."""
        bounds = []
        for key in ("start", "end"):
            text = node.get(key)
            moment = timestamps.parse(text) if isinstance(text, str) else None
            if text is not None and moment is None:
                self.error("date", f"{text!r} is not an RFC 3339 date-time", f"{at}/{key}")
                return None
            bounds.append(int(moment.timestamp() * 1000) if moment else None)
        start, end = bounds
        now = {"var": "current_timestamp"}
        if start is not None and end is not None:
            if end < start:
                self.error("date-order", "the window ends before it starts", f"{at}/end")
            return {"<=": [start, now, end]}
        if start is not None:
            return {"<=": [start, now]}
        if end is not None:
            return {">=": [end, now]}
        return None

    # -- activities ----------------------------------------------------------------------
    def location(self, activity: dict[str, Any], global_mbox: str, at: str) -> tuple[str, str]:
        if activity.get("pageLoad"):
            return "mboxes", global_mbox
        if "view" in activity:
            return "views", str(activity["view"])
        mbox = str(activity["mbox"])
        if mbox == global_mbox:
            self.error("location", 'use "pageLoad": true for the global mbox', at + "/mbox")
        return "mboxes", mbox

    def splits(self, activity: dict[str, Any], at: str) -> list[tuple[float, float]]:
        experiences = activity["experiences"]
        given = [e.get("split") for e in experiences]
        if all(s is None for s in given):
            share = 100 / len(experiences)
            given = [round(share * (i + 1), 2) - round(share * i, 2) for i in range(len(given))]
        elif any(s is None for s in given):
            self.error("split", "give every experience a split, or none", at + "/experiences")
            return []
        total = 0.0
        ranges = []
        for split in given:
            assert split is not None
            low, total = total, round(total + float(split), 2)
            ranges.append((low, total))
        if total > 100.0001:
            self.error("split", f"splits add up to {total}, more than 100", at + "/experiences")
        return ranges

    def activity(
        self, activity: dict[str, Any], aid: int, global_mbox: str, at: str
    ) -> tuple[str, str, list[dict[str, Any]]]:
        kind, where = self.location(activity, global_mbox, at)
        type_ = activity.get("type", "ab")
        name = activity.get("name") or f"Activity {aid}"
        base: list[Any] = []
        audience_ids: list[int] = []
        if "audience" in activity:
            compiled = self.audience(activity["audience"], at + "/audience")
            base.append(compiled)
            audience_ids.append(audience_id(compiled))
        window = self.window(activity, at)
        if window is not None:
            base.append(window)
        ranges = self.splits(activity, at) if type_ == "ab" else []
        clicks = [
            {
                "type": "click",
                "selector": s,
                "eventToken": token(self.client, aid, "click", s, size=16),
            }
            for s in activity.get("clickSelectors") or []
        ]
        rules = []
        for index, experience in enumerate(activity["experiences"]):
            e_at = f"{at}/experiences/{index}"
            parts = list(base)
            ids = list(audience_ids)
            if type_ == "ab":
                if "audience" in experience:
                    self.error(
                        "experience-audience",
                        "experience audiences are for xt activities; "
                        "an A/B activity has one audience for all its experiences",
                        e_at + "/audience",
                    )
                if ranges:
                    low, high = ranges[index]
                    first = (
                        {"<=": [low, {"var": "allocation"}]}
                        if index == 0
                        else {"<": [low, {"var": "allocation"}]}
                    )
                    parts.insert(0, {"and": [first, {">=": [high, {"var": "allocation"}]}]})
            else:
                if "split" in experience:
                    self.error(
                        "split", "xt experiences are chosen by audience, not split", e_at + "/split"
                    )
                if "audience" in experience:
                    compiled = self.audience(experience["audience"], e_at + "/audience")
                    parts.insert(0, compiled)
                    ids.append(audience_id(compiled))
            condition: Any = True if not parts else parts[0] if len(parts) == 1 else {"and": parts}
            e_name = experience.get("name") or f"Experience {chr(65 + index % 26)}"
            offer = experience.get("offer") or {}
            display = token(self.client, aid, index, "display")
            options = [
                {"type": o["type"], "eventToken": display, "content": o.get("content")}
                for o in experience["options"]
            ]
            rule: dict[str, Any] = {
                "ruleKey": str(aid),
                "activityId": aid,
                "meta": {
                    "activity.id": aid,
                    "activity.name": name,
                    "activity.type": TYPE_NAMES[type_],
                    "experience.id": index,
                    "experience.name": e_name,
                    "location.name": where,
                    "location.type": "view" if kind == "views" else "mbox",
                    "location.id": 0,
                    "audience.ids": ids,
                    "offer.id": offer.get("id", aid * 100 + index),
                    "offer.name": offer.get("name", f"{name} / {e_name}"),
                    "option.id": index + 1,
                    "option.name": f"Offer{index + 1}",
                },
                "condition": condition,
                "consequence": {"name": where, "options": options, "metrics": clicks},
            }
            if activity.get("propertyTokens"):
                rule["propertyTokens"] = list(activity["propertyTokens"])
            rules.append(rule)
        return kind, where, rules

    def compile(self) -> dict[str, Any]:
        table = self.table
        global_mbox = table.get("globalMbox", DEFAULT_GLOBAL_MBOX)
        activities = table.get("activities") or []
        taken = {a["id"] for a in activities if "id" in a}
        seen: set[int] = set()
        next_id = FIRST_ACTIVITY_ID
        ordered: list[tuple[tuple[int, int, int], str, str, list[dict[str, Any]]]] = []
        for position, activity in enumerate(activities):
            at = f"/activities/{position}"
            if "id" in activity:
                aid = int(activity["id"])
                if aid in seen:
                    self.error("unique-id", f"activity id {aid} is used twice", at + "/id")
            else:
                while next_id in taken:
                    next_id += 1
                aid = next_id
                taken.add(aid)
            seen.add(aid)
            kind, where, rules = self.activity(activity, aid, global_mbox, at)
            rank = (
                -int(activity.get("priority", 0)),
                0 if activity.get("type") == "xt" else 1,
                position,
            )
            ordered.append((rank, kind, where, rules))
        located: dict[str, dict[str, list[dict[str, Any]]]] = {"mboxes": {}, "views": {}}
        for _rank, kind, where, rules in sorted(ordered, key=lambda item: item[0]):
            located[kind].setdefault(where, []).extend(rules)
        mboxes = sorted(set(located["mboxes"]) | {global_mbox})
        return {
            "version": "1.0.0",
            "meta": {
                "clientCode": self.client,
                "environment": table.get("environment", DEFAULT_ENVIRONMENT),
                "generatedBy": "mockxcore decision table",
            },
            "globalMbox": global_mbox,
            "geoTargetingEnabled": table.get("geoTargetingEnabled", self.uses_geo),
            "responseTokens": table.get("responseTokens", DEFAULT_RESPONSE_TOKENS),
            "remoteMboxes": [],
            "remoteViews": [],
            "localMboxes": mboxes,
            "localViews": sorted(located["views"]),
            "rules": located,
        }


def compile_table(contracts: Contracts, table: Any, client: str) -> dict[str, Any]:
    """The artifact a decision table means; a :class:`Problem` (422) naming every error."""
    errors = contracts.validate(SCHEMA, table)
    artifact: dict[str, Any] = {}
    if not errors:
        compiler = _Compiler(table, client)
        artifact = compiler.compile()
        errors = compiler.errors
    if errors:
        summary = "; ".join(f"{e.pointer or '/'}: {e.message}" for e in errors[:5])
        raise Problem(422, "invalid-table", f"the decision table is not valid: {summary}", errors)
    return artifact
