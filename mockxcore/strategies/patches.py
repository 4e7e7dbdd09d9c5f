"""RFC 6902 patches over an instance's HAL document (``patch.hal``), valid and invalid.

A valid patch is a few edits a real client would make -- rename, describe, move a status one
step round its lifecycle, retag, re-rank, reschedule, reorder, link -- spelled with every
operation (``add``, ``remove``, ``replace``, ``move``, ``copy``, ``test``) and applied one
after another to a working copy, so later operations see what earlier ones did and the final
document still satisfies its schema and the semantic rules. An invalid patch breaks exactly
one rule and carries that rule's name, as the mock's 4xx ``errors`` will.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, overload

import jsonpatch
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from mockxcore.strategies import text
from mockxcore.strategies._common import (
    ACTIVITY,
    FALLBACK,
    FILTER,
    KINDS,
    OFFER,
    PLACEMENT,
    RULE,
    TAG,
    ordered_windows,
    pick_rule,
    select_rules,
    uris,
)
from mockxcore.strategies.objects import ACTIVITY_STATUSES, CHANNELS, MEDIA_TYPES, characteristics
from mockxcore.strategies.pql import pql_conditions, unsupported_pql

Operation = dict[str, Any]
Patch = list[Operation]

NEXT_STATUS = {"draft": "approved", "approved": "archived", "archived": "draft"}
"""One step round an option's lifecycle."""


def escape(key: str) -> str:
    """An object key as a JSON Pointer token (RFC 6901: ``~`` -> ``~0``, ``/`` -> ``~1``)."""
    return key.replace("~", "~0").replace("/", "~1")


def _schema_of(document: Mapping[str, Any]) -> str:
    schemas = document.get("schemas") or [""]
    return str(schemas[0]).split(";", 1)[0].strip()


@dataclass
class _Context:
    """What an edit may look at: the schema, the original instance, the working document
    and the ``@id``s known to exist, by schema."""

    schema: str
    original: dict[str, Any]
    doc: dict[str, Any]
    known: Mapping[str, Sequence[str]]

    @property
    def instance(self) -> dict[str, Any]:
        found: dict[str, Any] = self.doc["_instance"]
        return found

    def ids(self, schema: str) -> list[str]:
        return list(self.known.get(schema, ()))

    @property
    def option(self) -> bool:
        return self.schema in (OFFER, FALLBACK)


Edit = Callable[[st.DrawFn, _Context], Patch]


# -- valid edits ---------------------------------------------------------------------------
def _rename(draw: st.DrawFn, ctx: _Context) -> Patch:
    name = ctx.instance["xdm:name"]
    if ctx.schema == TAG:
        # Another tag of the container may hold any other name; the same name in another
        # case is always free (the rule ignores the tag itself).
        variants = [
            v
            for v in (name.upper(), name.lower(), name.title(), name.swapcase(), name)
            if 1 <= len(v) <= 256 and v.casefold() == ctx.original["xdm:name"].casefold()
        ]
        new = draw(st.sampled_from(variants))
    else:
        new = draw(text.names())
    return [
        {
            "op": draw(st.sampled_from(["replace", "add"])),
            "path": "/_instance/xdm:name",
            "value": new,
        }
    ]


def _describe(draw: st.DrawFn, ctx: _Context) -> Patch:
    if "xdm:description" in ctx.instance and draw(st.booleans()):
        return [{"op": "remove", "path": "/_instance/xdm:description"}]
    return [{"op": "add", "path": "/_instance/xdm:description", "value": draw(text.sentences())}]


def _copy_name(draw: st.DrawFn, ctx: _Context) -> Patch:
    return [{"op": "copy", "from": "/_instance/xdm:name", "path": "/_instance/xdm:description"}]


def _test_name(draw: st.DrawFn, ctx: _Context) -> Patch:
    return [{"op": "test", "path": "/_instance/xdm:name", "value": ctx.instance["xdm:name"]}]


def _link(draw: st.DrawFn, ctx: _Context) -> Patch:
    custom = [k for k in ctx.doc["_links"] if k != "self"]
    if len(custom) > 0 and draw(st.booleans()):
        return [{"op": "remove", "path": "/_links/" + escape(draw(st.sampled_from(custom)))}]
    name = draw(st.sampled_from(["related", "preview", "help", "canonical", "alternate"]))
    return [{"op": "add", "path": "/_links/" + name, "value": {"href": draw(text.urls())}}]


def _option_status(draw: st.DrawFn, ctx: _Context) -> Patch:
    before = ctx.original.get("xdm:status", "draft")
    after = draw(st.sampled_from([NEXT_STATUS[before], before]))
    return [{"op": "add", "path": "/_instance/xdm:status", "value": after}]


def _activity_status(draw: st.DrawFn, ctx: _Context) -> Patch:
    return [
        {
            "op": "replace" if "xdm:status" in ctx.instance else "add",
            "path": "/_instance/xdm:status",
            "value": draw(st.sampled_from(ACTIVITY_STATUSES)),
        }
    ]


def _characteristic(draw: st.DrawFn, ctx: _Context) -> Patch:
    found = ctx.instance.get("xdm:characteristics")
    if found is None:
        return [
            {
                "op": "add",
                "path": "/_instance/xdm:characteristics",
                "value": draw(characteristics),
            }
        ]
    if found and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(found)))
        return [{"op": "remove", "path": "/_instance/xdm:characteristics/" + escape(key)}]
    if "xdm:description" in ctx.instance and draw(st.booleans()):
        return [
            {
                "op": "move",
                "from": "/_instance/xdm:description",
                "path": "/_instance/xdm:characteristics/note",
            }
        ]
    key = draw(st.sampled_from(["offerType", "a/b", "x~y", "campaign", "ünïcode"]))
    return [
        {
            "op": "add",
            "path": "/_instance/xdm:characteristics/" + escape(key),
            "value": draw(text.words()),
        }
    ]


def _retag(draw: st.DrawFn, ctx: _Context) -> Patch:
    current = ctx.instance.get("xdm:tags")
    free = [t for t in ctx.ids(TAG) if t not in (current or [])]
    if current and (not free or draw(st.booleans())):
        index = draw(st.integers(0, len(current) - 1))
        return [{"op": "remove", "path": f"/_instance/xdm:tags/{index}"}]
    if current is None:
        return [{"op": "add", "path": "/_instance/xdm:tags", "value": draw(_some(free))}]
    return [{"op": "add", "path": "/_instance/xdm:tags/-", "value": draw(st.sampled_from(free))}]


def _some(ids: list[str]) -> st.SearchStrategy[list[str]]:
    if not ids:
        return st.just([])
    return st.lists(st.sampled_from(ids), max_size=min(3, len(ids)), unique=True)


def _reorder(draw: st.DrawFn, ctx: _Context) -> Patch:
    lists = [
        key
        for key in ("xdm:representations", "xdm:tags", "ids", "xdm:contentTypes")
        if len(ctx.instance.get(key, [])) >= 2
    ]
    key = draw(st.sampled_from(lists))
    last = len(ctx.instance[key]) - 1
    source = draw(st.integers(0, last))
    target = draw(st.integers(0, last).map(str) | st.just("-"))
    return [
        {"op": "move", "from": f"/_instance/{key}/{source}", "path": f"/_instance/{key}/{target}"}
    ]


def _drop_representation(draw: st.DrawFn, ctx: _Context) -> Patch:
    index = draw(st.integers(0, len(ctx.instance["xdm:representations"]) - 1))
    return [{"op": "remove", "path": f"/_instance/xdm:representations/{index}"}]


def _move_representation(draw: st.DrawFn, ctx: _Context) -> Patch:
    used = {r["xdm:placement"] for r in ctx.instance["xdm:representations"]}
    free = [p for p in ctx.ids(PLACEMENT) if p not in used]
    index = draw(st.integers(0, len(ctx.instance["xdm:representations"]) - 1))
    return [
        {
            "op": "replace",
            "path": f"/_instance/xdm:representations/{index}/xdm:placement",
            "value": draw(st.sampled_from(free)),
        }
    ]


def _rank(draw: st.DrawFn, ctx: _Context) -> Patch:
    if "xdm:rank" in ctx.instance:
        return [
            {
                "op": "add",
                "path": "/_instance/xdm:rank/xdm:priority",
                "value": draw(st.integers(0, 10**4)),
            }
        ]
    return [
        {
            "op": "add",
            "path": "/_instance/xdm:rank",
            "value": {"xdm:priority": draw(st.integers(0, 100))},
        }
    ]


def _caps(draw: st.DrawFn, ctx: _Context) -> Patch:
    caps = ctx.instance.get("xdm:cappingConstraint")
    if caps is None:
        return [
            {
                "op": "add",
                "path": "/_instance/xdm:cappingConstraint",
                "value": {"xdm:profileCap": 1},
            }
        ]
    name = draw(st.sampled_from(["xdm:globalCap", "xdm:profileCap"]))
    if name in caps and draw(st.booleans()):
        return [{"op": "remove", "path": f"/_instance/xdm:cappingConstraint/{name}"}]
    return [
        {
            "op": "add",
            "path": f"/_instance/xdm:cappingConstraint/{name}",
            "value": draw(st.integers(1, 10**6)),
        }
    ]


def _window(draw: st.DrawFn, ctx: _Context) -> Patch:
    start, end = draw(ordered_windows())
    if ctx.schema == ACTIVITY:
        return [
            {"op": "add", "path": "/_instance/xdm:startDate", "value": start},
            {"op": "add", "path": "/_instance/xdm:endDate", "value": end},
        ]
    constraint = dict(ctx.instance.get("xdm:selectionConstraint", {}))
    constraint |= {"xdm:startDate": start, "xdm:endDate": end}
    return [{"op": "add", "path": "/_instance/xdm:selectionConstraint", "value": constraint}]


def _rule(draw: st.DrawFn, ctx: _Context) -> Patch:
    constraint = ctx.instance.get("xdm:selectionConstraint")
    if constraint is None:
        value = {"xdm:eligibilityRule": draw(st.sampled_from(ctx.ids(RULE)))}
        return [{"op": "add", "path": "/_instance/xdm:selectionConstraint", "value": value}]
    if "xdm:eligibilityRule" in constraint and draw(st.booleans()):
        return [{"op": "remove", "path": "/_instance/xdm:selectionConstraint/xdm:eligibilityRule"}]
    return [
        {
            "op": "add",
            "path": "/_instance/xdm:selectionConstraint/xdm:eligibilityRule",
            "value": draw(st.sampled_from(ctx.ids(RULE))),
        }
    ]


def _condition(draw: st.DrawFn, ctx: _Context) -> Patch:
    return [
        {
            "op": "replace",
            "path": "/_instance/xdm:condition/xdm:value",
            "value": draw(pql_conditions()),
        }
    ]


def _placement_fields(draw: st.DrawFn, ctx: _Context) -> Patch:
    if draw(st.booleans()):
        return [
            {
                "op": "replace",
                "path": "/_instance/xdm:channel",
                "value": draw(st.sampled_from(CHANNELS)),
            }
        ]
    return [
        {
            "op": "add",
            "path": "/_instance/xdm:contentTypes",
            "value": draw(st.lists(st.sampled_from(MEDIA_TYPES), max_size=3, unique=True)),
        }
    ]


def _filter_ids(draw: st.DrawFn, ctx: _Context) -> Patch:
    ids = ctx.instance["ids"]
    kind = OFFER if ctx.instance["xdm:filterType"] == "offers" else TAG
    free = [i for i in ctx.ids(kind) if i not in ids]
    if ids and (not free or draw(st.booleans())):
        return [{"op": "remove", "path": f"/_instance/ids/{draw(st.integers(0, len(ids) - 1))}"}]
    return [{"op": "add", "path": "/_instance/ids/-", "value": draw(st.sampled_from(free))}]


def _filter_type(draw: st.DrawFn, ctx: _Context) -> Patch:
    # Between anyTags and allTags the ids stay tags, so the switch is always allowed.
    other = "allTags" if ctx.instance["xdm:filterType"] == "anyTags" else "anyTags"
    return [{"op": "replace", "path": "/_instance/xdm:filterType", "value": other}]


def _activity_filter(draw: st.DrawFn, ctx: _Context) -> Patch:
    return [
        {
            "op": "replace",
            "path": "/_instance/xdm:filter",
            "value": draw(st.sampled_from(ctx.ids(FILTER))),
        }
    ]


def _valid_edits(ctx: _Context) -> list[Edit]:
    inst = ctx.instance
    edits: list[Edit] = [_rename, _test_name, _link]
    if ctx.schema != TAG:
        # Tags have nothing but a name.
        edits += [_describe, _copy_name]
    if ctx.option:
        edits += [_option_status, _characteristic]
        if inst.get("xdm:tags") or ctx.ids(TAG):
            edits.append(_retag)
        if inst.get("xdm:representations"):
            edits.append(_drop_representation)
            used = {r["xdm:placement"] for r in inst["xdm:representations"]}
            if any(p not in used for p in ctx.ids(PLACEMENT)):
                edits.append(_move_representation)
    if ctx.schema == OFFER:
        edits += [_rank, _caps, _window]
        if ctx.ids(RULE):
            edits.append(_rule)
    if ctx.schema == ACTIVITY:
        edits += [_activity_status, _window]
        if ctx.ids(FILTER):
            edits.append(_activity_filter)
    if ctx.schema == RULE:
        edits.append(_condition)
    if ctx.schema == PLACEMENT:
        edits.append(_placement_fields)
    if ctx.schema == FILTER:
        kind = OFFER if inst["xdm:filterType"] == "offers" else TAG
        if inst["ids"] or ctx.ids(kind):
            edits.append(_filter_ids)
        if inst["xdm:filterType"] != "offers":
            edits.append(_filter_type)
    if any(
        len(inst.get(k, [])) >= 2
        for k in ("xdm:representations", "xdm:tags", "ids", "xdm:contentTypes")
    ):
        edits.append(_reorder)
    return edits


@st.composite
def _valid(draw: st.DrawFn, document: dict[str, Any], known: Mapping[str, Sequence[str]]) -> Patch:
    ctx = _Context(
        _schema_of(document), copy.deepcopy(document["_instance"]), copy.deepcopy(document), known
    )
    patch: Patch = []
    for _ in range(draw(st.integers(1, 4))):
        operations = draw(st.sampled_from(_valid_edits(ctx)))(draw, ctx)
        ctx.doc = jsonpatch.apply_patch(ctx.doc, operations)
        patch += operations
    return patch


# -- invalid edits -------------------------------------------------------------------------
def _malformed(draw: st.DrawFn, ctx: _Context) -> Patch:
    return [
        draw(
            st.sampled_from(
                [
                    {"op": "jump", "path": "/_instance/xdm:name"},
                    {"op": "add", "path": "/_instance/xdm:description"},
                    {"op": "move", "path": "/_instance/xdm:description"},
                    {"op": "replace", "path": "_instance/xdm:name", "value": "x"},
                    {"path": "/_instance/xdm:name", "value": "x"},
                ]
            )
        )
    ]


def _unapplicable(draw: st.DrawFn, ctx: _Context) -> Patch:
    return [
        draw(
            st.sampled_from(
                [
                    {"op": "remove", "path": "/_instance/xdm:noSuchProperty"},
                    {"op": "replace", "path": "/_instance/xdm:noSuch/thing", "value": 1},
                    {
                        "op": "test",
                        "path": "/_instance/xdm:name",
                        "value": ctx.instance["xdm:name"] + "?",
                    },
                    {"op": "move", "from": "/_instance/xdm:noSuch", "path": "/_instance/xdm:x"},
                ]
            )
        )
    ]


def _read_only(draw: st.DrawFn, ctx: _Context) -> Patch:
    etag = ctx.doc.get("repo:etag", 1)
    return [
        draw(
            st.sampled_from(
                [
                    {"op": "replace", "path": "/repo:etag", "value": etag + 5},
                    {
                        "op": "replace",
                        "path": "/instanceId",
                        "value": str(uuid.UUID(int=7, version=4)),
                    },
                    {"op": "remove", "path": "/repo:createdBy"},
                    {"op": "add", "path": "/repo:note", "value": "mine"},
                    {"op": "replace", "path": "/_links/self/href", "value": "/elsewhere"},
                    {"op": "remove", "path": "/_links/self"},
                ]
            )
        )
    ]


def _immutable(draw: st.DrawFn, ctx: _Context) -> Patch:
    if draw(st.booleans()):
        return [{"op": "remove", "path": "/_instance/@id"}]
    other = draw(uris(KINDS[ctx.schema], avoid=[ctx.instance["@id"]]))
    return [{"op": "replace", "path": "/_instance/@id", "value": other}]


def _schema_breaks(ctx: _Context) -> list[Operation]:
    breaks: list[Operation] = [
        {"op": "replace", "path": "/_instance/xdm:name", "value": ""},
        {"op": "replace", "path": "/_instance/xdm:name", "value": "n" * 257},
        {"op": "replace", "path": "/_instance/xdm:name", "value": 42},
        {"op": "remove", "path": "/_instance/xdm:name"},
        {"op": "add", "path": "/_instance/xdm:unknownProperty", "value": "x"},
        {"op": "replace", "path": "/_instance", "value": []},
    ]
    if ctx.schema == OFFER:
        breaks += [
            {"op": "add", "path": "/_instance/xdm:rank", "value": {"xdm:priority": -1}},
            {
                "op": "add",
                "path": "/_instance/xdm:cappingConstraint",
                "value": {"xdm:globalCap": 0},
            },
            {
                "op": "add",
                "path": "/_instance/xdm:selectionConstraint",
                "value": {"xdm:startDate": "tomorrow"},
            },
        ]
    if ctx.option:
        breaks += [
            {"op": "add", "path": "/_instance/xdm:status", "value": "deleted"},
            {"op": "add", "path": "/_instance/xdm:characteristics", "value": {"k": 1}},
        ]
    if ctx.schema == FALLBACK:
        breaks.append({"op": "add", "path": "/_instance/xdm:rank", "value": {"xdm:priority": 1}})
    if ctx.schema == ACTIVITY:
        breaks += [
            {"op": "add", "path": "/_instance/xdm:status", "value": "running"},
            {"op": "remove", "path": "/_instance/xdm:fallback"},
        ]
    if ctx.schema == PLACEMENT:
        breaks.append({"op": "replace", "path": "/_instance/xdm:channel", "value": "web"})
    if ctx.schema == RULE:
        breaks.append(
            {"op": "replace", "path": "/_instance/xdm:condition/xdm:type", "value": "SQL"}
        )
    if ctx.schema == FILTER:
        breaks.append({"op": "replace", "path": "/_instance/xdm:filterType", "value": "someTags"})
        if ctx.instance["ids"]:
            breaks.append(
                {"op": "add", "path": "/_instance/ids/-", "value": ctx.instance["ids"][0]}
            )
    return breaks


def _schema(draw: st.DrawFn, ctx: _Context) -> Patch:
    return [draw(st.sampled_from(_schema_breaks(ctx)))]


def _lifecycle(draw: st.DrawFn, ctx: _Context) -> Patch:
    before = ctx.instance.get("xdm:status", "draft")
    skipped = NEXT_STATUS[NEXT_STATUS[before]]
    return [{"op": "add", "path": "/_instance/xdm:status", "value": skipped}]


def _missing(draw: st.DrawFn, ctx: _Context, schema: str) -> str:
    everything = [i for ids in ctx.known.values() for i in ids]
    return draw(uris(KINDS[schema], avoid=everything))


def _reference(draw: st.DrawFn, ctx: _Context) -> Patch:
    if ctx.option:
        choice = draw(
            st.sampled_from(
                ["tag", "placement", "rule"] if ctx.schema == OFFER else ["tag", "placement"]
            )
        )
        if choice == "tag":
            tags = ctx.instance.get("xdm:tags")
            missing = _missing(draw, ctx, TAG)
            if tags is None:
                return [{"op": "add", "path": "/_instance/xdm:tags", "value": [missing]}]
            return [{"op": "add", "path": "/_instance/xdm:tags/-", "value": missing}]
        if choice == "rule":
            constraint = dict(ctx.instance.get("xdm:selectionConstraint", {}))
            constraint["xdm:eligibilityRule"] = _missing(draw, ctx, RULE)
            return [
                {"op": "add", "path": "/_instance/xdm:selectionConstraint", "value": constraint}
            ]
        representation = {
            "xdm:placement": _missing(draw, ctx, PLACEMENT),
            "xdm:components": [
                {
                    "@type": "https://ns.adobe.com/experience/offer-management/content-component-text",
                    "dc:format": "text/plain",
                }
            ],
        }
        if "xdm:representations" in ctx.instance:
            return [
                {"op": "add", "path": "/_instance/xdm:representations/-", "value": representation}
            ]
        return [{"op": "add", "path": "/_instance/xdm:representations", "value": [representation]}]
    if ctx.schema == FILTER:
        kind = OFFER if ctx.instance["xdm:filterType"] == "offers" else TAG
        return [{"op": "add", "path": "/_instance/ids/-", "value": _missing(draw, ctx, kind)}]
    target = draw(
        st.sampled_from(
            [("xdm:filter", FILTER), ("xdm:fallback", FALLBACK), ("xdm:placement", PLACEMENT)]
        )
    )
    return [
        {
            "op": "replace",
            "path": f"/_instance/{target[0]}",
            "value": _missing(draw, ctx, target[1]),
        }
    ]


def _unique_placement(draw: st.DrawFn, ctx: _Context) -> Patch:
    index = draw(st.integers(0, len(ctx.instance["xdm:representations"]) - 1))
    return [
        {
            "op": "copy",
            "from": f"/_instance/xdm:representations/{index}",
            "path": "/_instance/xdm:representations/-",
        }
    ]


def _date_order(draw: st.DrawFn, ctx: _Context) -> Patch:
    start, end = draw(ordered_windows(strict=True))
    if ctx.schema == ACTIVITY:
        return [
            {"op": "add", "path": "/_instance/xdm:startDate", "value": end},
            {"op": "add", "path": "/_instance/xdm:endDate", "value": start},
        ]
    constraint = dict(ctx.instance.get("xdm:selectionConstraint", {}))
    constraint |= {"xdm:startDate": end, "xdm:endDate": start}
    return [{"op": "add", "path": "/_instance/xdm:selectionConstraint", "value": constraint}]


def _pql(draw: st.DrawFn, ctx: _Context) -> Patch:
    return [
        {
            "op": "replace",
            "path": "/_instance/xdm:condition/xdm:value",
            "value": draw(unsupported_pql()),
        }
    ]


def _filter_kind(draw: st.DrawFn, ctx: _Context) -> Patch:
    wrong = TAG if ctx.instance["xdm:filterType"] == "offers" else OFFER
    return [
        {"op": "add", "path": "/_instance/ids/-", "value": draw(st.sampled_from(ctx.ids(wrong)))}
    ]


def _invalid_edits(ctx: _Context) -> list[tuple[str, Edit]]:
    edits: list[tuple[str, Edit]] = [
        ("patch", _malformed),
        ("patch", _unapplicable),
        ("read-only", _read_only),
        ("schema", _schema),
    ]
    if "@id" in ctx.instance:
        edits.append(("immutable", _immutable))
    if ctx.option:
        edits.append(("lifecycle", _lifecycle))
        if ctx.instance.get("xdm:representations"):
            edits.append(("unique-placement", _unique_placement))
    if ctx.schema in (OFFER, FALLBACK, FILTER, ACTIVITY):
        edits.append(("reference", _reference))
    if ctx.schema in (OFFER, ACTIVITY):
        edits.append(("date-order", _date_order))
    if ctx.schema == RULE:
        edits.append(("pql", _pql))
    if ctx.schema == FILTER:
        wrong = TAG if ctx.instance["xdm:filterType"] == "offers" else OFFER
        if ctx.ids(wrong):
            edits.append(("filter-kind", _filter_kind))
    return edits


@st.composite
def _invalid(draw: st.DrawFn, ctx: _Context, grouped: dict[str, list[Edit]]) -> tuple[Patch, str]:
    rule, edit = pick_rule(draw, grouped)
    patch = edit(draw, ctx)
    if rule != "patch" and draw(st.booleans()):
        patch = _test_name(draw, ctx) + patch
    return patch, rule


@overload
def json_patches(
    document: dict[str, Any],
    valid: Literal[True] = ...,
    *,
    references: Mapping[str, Sequence[str]] | None = ...,
    violating: Collection[str] | None = ...,
) -> st.SearchStrategy[Patch]: ...


@overload
def json_patches(
    document: dict[str, Any],
    valid: Literal[False],
    *,
    references: Mapping[str, Sequence[str]] | None = ...,
    violating: Collection[str] | None = ...,
) -> st.SearchStrategy[tuple[Patch, str]]: ...


def json_patches(
    document: dict[str, Any],
    valid: bool = True,
    *,
    references: Mapping[str, Sequence[str]] | None = None,
    violating: Collection[str] | None = None,
) -> st.SearchStrategy[Patch] | st.SearchStrategy[tuple[Patch, str]]:
    """Patches over ``document``, an instance's HAL document as ``GET`` returns it
    (envelope, ``schemas``, ``_instance``, ``_links``).

    With ``valid=True``: 1 to 4 edits the mock accepts (200). ``references`` maps schema ids
    to ``@id``s that exist in the container (e.g. ``{TAG: [...], PLACEMENT: [...]}``), so
    edits may retag, re-place a representation, swap an activity's filter; without it,
    edits only use what the document already references.

    With ``valid=False``: ``(patch, rule)`` pairs, each patch breaking exactly ``rule``:
    ``patch`` (malformed: 400; cannot apply: 422), ``read-only``, ``immutable``, ``schema``,
    ``lifecycle``, ``reference``, ``unique-placement``, ``date-order``, ``filter-kind``,
    ``pql`` -- those the document allows, each equally likely, or only ``violating``.
    (Changing ``@id`` also breaks ``usereditable``: the ``immutable`` patches get both.)

    >>> doc = requests.get(instance_url, headers=h).json()   # doctest: +SKIP
    >>> json_patches(doc).example()   # doctest: +SKIP
    [{'op': 'test', 'path': '/_instance/xdm:name', 'value': 'Spring sale'},
     {'op': 'add', 'path': '/_instance/xdm:status', 'value': 'approved'}]
    >>> json_patches(doc, valid=False).example()   # doctest: +SKIP
    ([{'op': 'add', 'path': '/_instance/xdm:status', 'value': 'archived'}], 'lifecycle')
    """
    if "_instance" not in document or "_links" not in document or not document.get("schemas"):
        raise ValueError("json_patches() takes a HAL document as GET returns it")
    known = dict(references or {})
    if valid:
        if violating is not None:
            raise InvalidArgument("violating= only makes sense with valid=False")
        return _valid(document, known)
    ctx = _Context(
        _schema_of(document), copy.deepcopy(document["_instance"]), copy.deepcopy(document), known
    )
    return _invalid(ctx, select_rules(_invalid_edits(ctx), violating))


def invalid_json_patches(
    document: dict[str, Any],
    *,
    references: Mapping[str, Sequence[str]] | None = None,
    violating: Collection[str] | None = None,
) -> st.SearchStrategy[tuple[Patch, str]]:
    """``json_patches(document, valid=False)``, under the name of the other ``invalid_*``.

    >>> invalid_json_patches(doc).example()   # doctest: +SKIP
    ([{'op': 'remove', 'path': '/repo:createdBy'}], 'read-only')
    """
    return json_patches(document, False, references=references, violating=violating)
