"""Query parameters for list (``GET .../instances``) and search (``.../queries/core/search``).

Paths come from the schema's own properties (walked through ``$ref``s), so a filter or sort
key names something instances really carry, and each path's values are typed from the schema:
numbers compare as numbers, ``date-time`` properties as instants in any offset, enums with
their members, text JSON-quoted when it would read as another type.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urljoin

from hypothesis import strategies as st

from mockxcore import contracts
from mockxcore.strategies import text
from mockxcore.strategies._common import KINDS, instants, uri_for
from mockxcore.strategies._regex import regexes

Params = dict[str, Any]
"""Query parameters as ``requests`` takes them: a string, or a list for repeated names."""

SCHEMAS = tuple(KINDS)
"""The offer-management schemas queries are drawn for when no schema is given."""

MAX_TERMS = 32
MAX_FILTERS = 32
MAX_IDS = 100


@dataclass(frozen=True)
class PropertyPath:
    """A property path with the type of what it reaches (``string``, ``integer``, ``number``,
    ``boolean``, ``date-time``) and, for enums, the members."""

    path: str
    type: str
    members: tuple[str, ...] = ()


ENVELOPE = (
    PropertyPath("instanceId", "string"),
    PropertyPath("repo:etag", "integer"),
    PropertyPath("repo:createdDate", "date-time"),
    PropertyPath("repo:lastModifiedDate", "date-time"),
    PropertyPath("repo:createdBy", "string"),
    PropertyPath("repo:lastModifiedBy", "string"),
    PropertyPath("repo:createdByClientId", "string"),
    PropertyPath("repo:lastModifiedByClientId", "string"),
)


def _resolve(base: str, node: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Follow ``$ref``s (``common#/$defs/x``, ``#/$defs/y``) through the shipped contracts."""
    registry = contracts.default()
    for _ in range(16):
        ref = node.get("$ref")
        if not isinstance(ref, str):
            break
        target, _, fragment = urljoin(base, ref).partition("#")
        found: Any = registry.schema(target)
        for part in fragment.split("/")[1:]:
            found = found[part]
        base, node = target, found
    return base, node


def _leaf(base: str, node: dict[str, Any]) -> tuple[str, tuple[str, ...]] | None:
    """The scalar type of a schema node, or None when it is not a scalar."""
    if "enum" in node and all(isinstance(v, str) for v in node["enum"]):
        return "string", tuple(node["enum"])
    if "const" in node and isinstance(node["const"], str):
        return "string", (node["const"],)
    if node.get("format") == "date-time":
        return "date-time", ()
    if node.get("type") in ("string", "integer", "number", "boolean"):
        return str(node["type"]), ()
    for branch in node.get("anyOf", []):
        found = _leaf(*_resolve(base, branch))
        if found is not None:
            return found[0], ()
    return None


def _walk(base: str, node: dict[str, Any], path: str, out: list[PropertyPath]) -> None:
    base, node = _resolve(base, node)
    leaf = _leaf(base, node)
    if leaf is not None:
        out.append(PropertyPath(path, leaf[0], leaf[1]))
        return
    items = node.get("items")
    if isinstance(items, dict):
        _walk(base, items, path, out)
        return
    properties = node.get("properties", {})
    if isinstance(properties, dict):
        for name, sub in properties.items():
            if "." not in name:
                _walk(base, sub, f"{path}.{name}", out)


@cache
def property_paths(schema: str) -> tuple[PropertyPath, ...]:
    """Every scalar path of ``schema``'s instances (crossing arrays), then the envelope's.

    >>> [p.path for p in property_paths(TAG)]   # doctest: +SKIP
    ['_instance.@id', '_instance.xdm:name', 'instanceId', 'repo:etag', ...]
    """
    found: list[PropertyPath] = []
    _walk(schema, contracts.default().schema(schema), "_instance", found)
    return (*found, *ENVELOPE)


# -- values --------------------------------------------------------------------------------
def _reads_as_other(value: str) -> bool:
    if not value.strip():
        return True  # a filter needs a visible value: an empty or blank one is written quoted
    try:
        json.loads(value)
    except ValueError:
        pass
    else:
        return True
    return value[:1].isdigit() or value[:1] == '"'


def _text_literal(value: str) -> str:
    """Text as a filter value or cursor: JSON-quoted when it would read as something else."""
    return json.dumps(value, ensure_ascii=False) if _reads_as_other(value) else value


_texts = st.one_of(
    text.words(),
    text.names(max_size=30),
    st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=10),
)


def values(prop: PropertyPath) -> st.SearchStrategy[str]:
    """Literals of the right type for ``prop``, written as a filter or cursor expects them."""
    if prop.type in ("integer", "number"):
        ints = st.integers(-5, 10**6).map(str)
        if prop.type == "number":
            return ints | st.floats(-1e6, 1e6, allow_nan=False).map(repr)
        return ints
    if prop.type == "boolean":
        return st.sampled_from(["true", "false"])
    if prop.type == "date-time":
        return instants()
    if prop.members:
        return st.sampled_from(prop.members).map(_text_literal) | _texts.map(_text_literal)
    if prop.path.endswith(("xdm:placement", "xdm:filter", "xdm:fallback", "@id")) or (
        prop.path in ("_instance.xdm:tags", "_instance.ids", "_instance.xdm:eligibilityRule")
    ):
        return st.sampled_from(sorted(KINDS.values())).flatmap(
            lambda k: st.integers(0, 2**60 - 1).map(lambda n: uri_for(k, n))
        )
    return _texts.map(_text_literal)


@st.composite
def filters(draw: st.DrawFn, schema: str) -> str:
    """One ``property`` filter over ``schema``: ``path``, ``path<op>value`` or ``path~regex``."""
    prop = draw(st.sampled_from(property_paths(schema)))
    form = draw(st.sampled_from(["compare", "compare", "has", "regex"]))
    if form == "has":
        return prop.path
    if form == "regex":
        return f"{prop.path}~{draw(regexes())}"
    if prop.type in ("string",) and not prop.members:
        op = draw(st.sampled_from(["==", "!="]))
    else:
        op = draw(st.sampled_from(["==", "!=", "<", "<=", ">", ">="]))
    return f"{prop.path}{op}{draw(values(prop))}"


@st.composite
def _order(draw: st.DrawFn, schema: str) -> tuple[str, PropertyPath]:
    keys = draw(st.lists(st.sampled_from(property_paths(schema)), min_size=1, max_size=3))
    signs = [draw(st.sampled_from(["", "+", "-"])) for _ in keys]
    return ",".join(s + k.path for s, k in zip(signs, keys, strict=True)), keys[0]


def _ids() -> st.SearchStrategy[list[str]]:
    return st.lists(
        st.sampled_from(sorted(KINDS.values())).flatmap(
            lambda k: st.integers(0, 2**60 - 1).map(lambda n: uri_for(k, n))
        ),
        min_size=1,
        max_size=4,
    )


@st.composite
def _list_params(
    draw: st.DrawFn, schema: str | None, ids: tuple[str, ...], *, search: bool
) -> Params:
    chosen = schema or draw(st.sampled_from(SCHEMAS))
    params: Params = {}
    if not search or schema is not None or draw(st.booleans()):
        params["schema"] = chosen
    if draw(st.booleans()):
        order, first = draw(_order(chosen))
        params["orderBy"] = order
        if draw(st.booleans()):
            params["start"] = draw(values(first))
    if draw(st.booleans()):
        params["limit"] = str(draw(st.integers(1, 1000) | st.integers(1001, 5000)))
    found = draw(st.lists(filters(chosen), max_size=3))
    if found:
        params["property"] = found
    if draw(st.integers(0, 3)) == 0:
        params["id"] = draw(
            st.lists(st.sampled_from(ids), min_size=1, max_size=4) if ids else _ids()
        )
    return params


def list_queries(
    schema: str | None = None, *, ids: tuple[str, ...] = ()
) -> st.SearchStrategy[Params]:
    """Parameters of a list request the repository accepts: ``schema`` (drawn among the
    offer-management schemas unless given), and any of ``orderBy`` (1 to 3 keys, ``+``/``-``),
    ``start`` (typed like the first key), ``limit``, ``property`` filters (typed comparisons,
    RE2 regexes, "has") and ``id`` (among ``ids`` when given).

    >>> list_queries(OFFER).example()   # doctest: +SKIP
    {'schema': 'https://ns.adobe.com/experience/offer-management/personalized-offer',
     'orderBy': '-_instance.xdm:rank.xdm:priority,instanceId',
     'property': ['_instance.xdm:status==approved']}
    >>> requests.get(url, params=query)   # doctest: +SKIP
    """
    return _list_params(schema, ids, search=False)


_SEPARATORS = st.sampled_from([" ", " ", "  ", " AND ", " OR ", " +", " -", " && ", " || ", "/"])
_SPECIAL = '+-=&|><!(){}[]^"~*?:/'


@st.composite
def _term(draw: st.DrawFn) -> str:
    word = draw(st.one_of(text.words(), st.text(st.characters(categories=["L", "N"]), max_size=6)))
    style = draw(st.sampled_from(["plain", "plain", "escaped", "joined"]))
    if style == "escaped":
        # An escaped special character keeps the term whole: c\+\+, card\-holder.
        return word + "".join("\\" + c for c in draw(st.text(_SPECIAL, min_size=1, max_size=2)))
    if style == "joined":
        other = draw(text.words())
        return f"{word}\\{draw(st.sampled_from(list(_SPECIAL)))}{other}"
    return word


@st.composite
def queries_text(draw: st.DrawFn) -> str:
    """Values of ``q``: terms (some with backslash-escaped specials) between separators,
    or one double-quoted exact phrase."""
    if draw(st.integers(0, 4)) == 0:
        phrase = " ".join(draw(st.lists(text.words(), min_size=1, max_size=4)))
        return '"' + phrase.replace("\\", "\\\\").replace('"', '\\"') + '"'
    terms = draw(st.lists(_term(), min_size=1, max_size=6))
    out = terms[0]
    for term in terms[1:]:
        out += draw(_SEPARATORS) + term
    return out


@st.composite
def _search_params(draw: st.DrawFn, schema: str | None, ids: tuple[str, ...]) -> Params:
    params = draw(_list_params(schema, ids, search=True))
    params["q"] = draw(queries_text())
    texts = [
        p.path
        for p in property_paths(params.get("schema") or SCHEMAS[0])
        if p.type == "string" and p.path.startswith("_instance.")
    ]
    if len(texts) > 0 and draw(st.booleans()):
        params["field"] = draw(st.lists(st.sampled_from(texts), min_size=1, max_size=3))
    if draw(st.booleans()):
        params["qop"] = draw(st.sampled_from(["and", "or"]))
    return params


def search_queries(
    schema: str | None = None, *, ids: tuple[str, ...] = ()
) -> st.SearchStrategy[Params]:
    """Parameters of a search request the repository accepts: the list parameters
    (``schema`` optional) plus ``q`` (terms, escapes, phrases), ``field`` and ``qop``.

    >>> search_queries().example()   # doctest: +SKIP
    {'q': 'card\\\\-holder travel', 'field': ['_instance.xdm:name'], 'qop': 'and'}
    """
    return _search_params(schema, ids)
