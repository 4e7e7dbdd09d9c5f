"""Inputs the mock must refuse, each breaking exactly one rule and labelled with it.

Every invalid object starts as a draw of the matching valid strategy, with the same
references, and then gets one change that breaks one rule. The label is the ``rule`` the
repository's 4xx ``errors`` name: ``schema`` (JSON Schema), ``usereditable`` (a
repository-assigned property sent), ``reference``, ``unique-placement``, ``date-order``,
``unique-name``, ``filter-kind``, ``fallback-placement``, ``pql``; for queries ``limit``, ``regex``,
``bad-path``, ``orderBy``, ``schema``, ``limits``, ``qop``, ``q``. Because the repository
checks schema, then references, then the semantic rules, and stops at the first step that
fails, a single change yields errors of that one rule only.

Rules that need other objects to exist are only drawn when the arguments make them
possible (``unique-name`` needs existing tag names, ``filter-kind`` ids of the other kind,
``fallback-placement`` a placement some fallback does not cover). Each rule is equally
likely, however many ways there are to break it; ``violating={...}`` restricts the draws to
some rules (``InvalidArgument`` if one of them cannot be broken with these arguments).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from hypothesis import strategies as st

from mockxcore.strategies import objects, queries
from mockxcore.strategies._common import (
    ACTIVITY,
    FALLBACK,
    FILTER,
    KINDS,
    OFFER,
    PLACEMENT,
    RULE,
    TAG,
    TEXT,
    Instance,
    PlacementRefs,
    ordered_windows,
    pick_rule,
    select_rules,
    uris,
)
from mockxcore.strategies.pql import unsupported_pql

Labelled = tuple[Instance, str]
"""An invalid ``_instance`` payload and the rule it breaks."""
Mutation = Callable[[st.DrawFn, Instance], Instance]


def _without(key: str) -> Mutation:
    return lambda draw, instance: {k: v for k, v in instance.items() if k != key}


def _with(key: str, value: Any) -> Mutation:
    return lambda draw, instance: {**instance, key: value}


def _generic_schema(required: Sequence[str]) -> list[Mutation]:
    return [
        *(_without(key) for key in required),
        _with("xdm:name", ""),
        _with("xdm:name", "n" * 257),
        _with("xdm:name", 42),
        _with("xdm:unknownProperty", "x"),
        _with("xdm:description", "d" * 4097),
    ]


def _usereditable(schema: str) -> Mutation:
    def mutate(draw: st.DrawFn, instance: Instance) -> Instance:
        return {"@id": draw(uris(KINDS[schema])), **instance}

    return mutate


@st.composite
def _mutated(
    draw: st.DrawFn, base: st.SearchStrategy[Instance], grouped: dict[str, list[Mutation]]
) -> Labelled:
    rule, mutate = pick_rule(draw, grouped)
    return mutate(draw, draw(base)), rule


def _broken(
    base: st.SearchStrategy[Instance],
    choices: list[tuple[str, Mutation]],
    violating: Collection[str] | None,
) -> st.SearchStrategy[Labelled]:
    # Selecting now, not at draw time, so an impossible ``violating`` fails where it is asked.
    return _mutated(base, select_rules(choices, violating))


def _schema_choices(mutations: list[Mutation]) -> list[tuple[str, Mutation]]:
    return [("schema", m) for m in mutations]


# -- placements, tags, rules ---------------------------------------------------------------
def invalid_placements(*, violating: Collection[str] | None = None) -> st.SearchStrategy[Labelled]:
    """Placements breaking ``schema`` or ``usereditable``.

    >>> invalid_placements().example()   # doctest: +SKIP
    ({'xdm:name': 'Hero', 'xdm:channel': 'web', 'xdm:componentType': '...'}, 'schema')
    """
    mutations = [
        *_generic_schema(["xdm:name", "xdm:channel", "xdm:componentType"]),
        _with("xdm:channel", "web"),
        _with("xdm:componentType", "banner"),
        _with("xdm:contentTypes", ["png"]),
    ]
    return _broken(
        objects.placements(),
        [*_schema_choices(mutations), ("usereditable", _usereditable(PLACEMENT))],
        violating,
    )


def _case_variants(name: str) -> list[str]:
    return [
        v
        for v in (name.upper(), name.lower(), name.swapcase(), name.title(), name)
        if v.casefold() == name.casefold() and 1 <= len(v) <= 256
    ]


def invalid_tags(
    *, existing: Sequence[str] = (), violating: Collection[str] | None = None
) -> st.SearchStrategy[Labelled]:
    """Tags breaking ``schema``, ``usereditable``, or -- given the names of tags that exist
    in the container -- ``unique-name`` (an existing name in another case).

    The other draws must not collide with ``existing`` themselves: they are given a name
    none of ``existing`` has, ignoring case.

    >>> invalid_tags(existing=["Travel"]).example()   # doctest: +SKIP
    ({'xdm:name': 'TRAVEL'}, 'unique-name')
    """
    taken = {n.casefold() for n in existing}
    base = objects.tags().filter(lambda t: t["xdm:name"].casefold() not in taken)
    mutations = [*_generic_schema(["xdm:name"]), _with("xdm:description", "tags have none")]
    choices = [*_schema_choices(mutations), ("usereditable", _usereditable(TAG))]
    if existing:

        def clash(draw: st.DrawFn, instance: Instance) -> Instance:
            name = draw(st.sampled_from(list(existing)))
            return {**instance, "xdm:name": draw(st.sampled_from(_case_variants(name)))}

        choices.append(("unique-name", clash))
    return _broken(base, choices, violating)


def _condition(**changes: Any) -> Mutation:
    def mutate(draw: st.DrawFn, instance: Instance) -> Instance:
        condition = {**instance["xdm:condition"], **changes}
        return {**instance, "xdm:condition": {k: v for k, v in condition.items() if v is not None}}

    return mutate


def _unsupported_condition(draw: st.DrawFn, instance: Instance) -> Instance:
    condition = {**instance["xdm:condition"], "xdm:value": draw(unsupported_pql())}
    return {**instance, "xdm:condition": condition}


def invalid_eligibility_rules(
    *, violating: Collection[str] | None = None
) -> st.SearchStrategy[Labelled]:
    """Eligibility rules breaking ``schema`` (wrong condition type or format, empty or blank
    PQL, missing parts), ``usereditable`` or ``pql`` (a condition outside the supported
    subset, see :func:`~mockxcore.strategies.pql.unsupported_pql`).

    >>> invalid_eligibility_rules().example()   # doctest: +SKIP
    ({'xdm:name': 'Gold', 'xdm:condition': {'xdm:type': 'SQL', ...}}, 'schema')
    """
    mutations = [
        *_generic_schema(["xdm:name", "xdm:condition"]),
        _condition(**{"xdm:type": "SQL"}),
        _condition(**{"xdm:format": "text/plain"}),
        _condition(**{"xdm:value": ""}),
        _condition(**{"xdm:value": " \n\t "}),
        _condition(**{"xdm:value": None}),
        _condition(**{"xdm:language": "pql"}),
    ]
    return _broken(
        objects.eligibility_rules(),
        [
            *_schema_choices(mutations),
            ("usereditable", _usereditable(RULE)),
            ("pql", _unsupported_condition),
        ],
        violating,
    )


# -- options -------------------------------------------------------------------------------
def _missing(draw: st.DrawFn, schema: str, known: Sequence[str]) -> str:
    return draw(uris(KINDS[schema], avoid=known))


def _add_tag(tag: Callable[[st.DrawFn], str]) -> Mutation:
    def mutate(draw: st.DrawFn, instance: Instance) -> Instance:
        return {**instance, "xdm:tags": [*instance.get("xdm:tags", []), tag(draw)]}

    return mutate


def _add_representation(placement: Callable[[st.DrawFn], str]) -> Mutation:
    def mutate(draw: st.DrawFn, instance: Instance) -> Instance:
        added = {
            "xdm:placement": placement(draw),
            "xdm:components": [{"@type": TEXT, "dc:format": "text/plain"}],
        }
        return {
            **instance,
            "xdm:representations": [*instance.get("xdm:representations", []), added],
        }

    return mutate


def _set_rule(rule: Callable[[st.DrawFn], str]) -> Mutation:
    def mutate(draw: st.DrawFn, instance: Instance) -> Instance:
        constraint = {
            **instance.get("xdm:selectionConstraint", {}),
            "xdm:eligibilityRule": rule(draw),
        }
        return {**instance, "xdm:selectionConstraint": constraint}

    return mutate


def _duplicate_placement(draw: st.DrawFn, instance: Instance) -> Instance:
    reps = instance["xdm:representations"]
    copied = dict(draw(st.sampled_from(reps)))
    return {**instance, "xdm:representations": [*reps, copied]}


def _reverse_window(draw: st.DrawFn, instance: Instance) -> Instance:
    start, end = draw(ordered_windows(strict=True))
    constraint = {
        **instance.get("xdm:selectionConstraint", {}),
        "xdm:startDate": end,
        "xdm:endDate": start,
    }
    return {**instance, "xdm:selectionConstraint": constraint}


def _component(**fields: Any) -> Mutation:
    def mutate(draw: st.DrawFn, instance: Instance) -> Instance:
        reps = instance.get("xdm:representations") or []
        if not reps:
            return {
                **instance,
                "xdm:representations": [{"xdm:placement": "p", "xdm:components": [fields]}],
            }
        first = {**reps[0], "xdm:components": [fields]}
        return {**instance, "xdm:representations": [first, *reps[1:]]}

    return mutate


def _option_choices(
    schema: str,
    placements: PlacementRefs,
    tags: Sequence[str],
    rules: Sequence[str],
) -> list[tuple[str, Mutation]]:
    known = [*placements, *tags, *rules]
    imagelink = "https://ns.adobe.com/experience/offer-management/content-component-imagelink"
    html = "https://ns.adobe.com/experience/offer-management/content-component-html"
    mutations = [
        *_generic_schema(["xdm:name"]),
        _with("xdm:status", "deleted"),
        _with("xdm:characteristics", {"discount": 10}),
        _with("xdm:tags", "not-a-list"),
        _component(**{"dc:format": "text/plain"}),
        _component(**{"@type": TEXT, "xdm:linkURL": "https://example.com/"}),
        _component(**{"@type": imagelink, "xdm:copyline": "Buy now"}),
        _component(**{"@type": html, "xdm:copyline": "Buy now"}),
        _component(**{"@type": TEXT, "dc:language": ["en_US"]}),
        _component(**{"@type": TEXT, "dc:format": "plain text"}),
    ]
    if schema == OFFER:
        mutations += [
            _with("xdm:rank", {"xdm:priority": -1}),
            _with("xdm:rank", {"xdm:priority": 1.5}),
            _with("xdm:cappingConstraint", {"xdm:globalCap": 0}),
            _with("xdm:cappingConstraint", {"xdm:profileCap": "3"}),
            _with("xdm:selectionConstraint", {"xdm:startDate": "2024-06-01"}),
            _with("xdm:selectionConstraint", {"xdm:endDate": "2024-13-01T00:00:00Z"}),
            _with("xdm:selectionConstraint", {"xdm:priority": 1}),
        ]
    else:
        mutations += [
            _with("xdm:rank", {"xdm:priority": 1}),
            _with("xdm:selectionConstraint", {}),
            _with("xdm:cappingConstraint", {"xdm:globalCap": 5}),
        ]
    if tags:
        mutations.append(lambda draw, i: {**i, "xdm:tags": [tags[0], tags[0]]})
    choices = [
        *_schema_choices(mutations),
        ("usereditable", _usereditable(schema)),
        ("reference", _add_tag(lambda draw: _missing(draw, TAG, known))),
        ("reference", _add_representation(lambda draw: _missing(draw, PLACEMENT, known))),
    ]
    if placements:
        # An existing object of the wrong kind is as unresolvable as a missing one.
        choices.append(
            ("reference", _add_tag(lambda draw: draw(st.sampled_from(list(placements)))))
        )
    if tags:
        choices.append(
            ("reference", _add_representation(lambda draw: draw(st.sampled_from(list(tags)))))
        )
    if schema == OFFER:
        choices += [
            ("reference", _set_rule(lambda draw: _missing(draw, RULE, known))),
            ("date-order", _reverse_window),
        ]
        if tags:
            choices.append(("reference", _set_rule(lambda draw: draw(st.sampled_from(list(tags))))))
    if placements:
        choices.append(("unique-placement", _duplicate_placement))
    return choices


@st.composite
def _invalid_option(
    draw: st.DrawFn,
    schema: str,
    placements: PlacementRefs,
    tags: Sequence[str],
    rules: Sequence[str],
    grouped: dict[str, list[Mutation]],
) -> Labelled:
    rule, mutate = pick_rule(draw, grouped)
    minimum = 1 if rule == "unique-placement" else 0
    base = (
        objects.personalized_offers(
            placements=placements, tags=tags, rules=rules, min_representations=minimum
        )
        if schema == OFFER
        else objects.fallback_offers(placements=placements, tags=tags, min_representations=minimum)
    )
    return mutate(draw, draw(base)), rule


def invalid_personalized_offers(
    *,
    placements: PlacementRefs = (),
    tags: Sequence[str] = (),
    rules: Sequence[str] = (),
    violating: Collection[str] | None = None,
) -> st.SearchStrategy[Labelled]:
    """Personalized offers breaking one of ``schema``, ``usereditable``, ``reference``
    (a missing placement, tag or rule, or an existing object of the wrong kind),
    ``unique-placement`` (needs a placement) or ``date-order``. The arguments name objects
    that exist, as for :func:`personalized_offers`.

    >>> invalid_personalized_offers(placements=[p]).example()   # doctest: +SKIP
    ({'xdm:name': 'Spring sale', 'xdm:representations': [{...p...}, {...p...}]},
     'unique-placement')
    """
    grouped = select_rules(_option_choices(OFFER, placements, tags, rules), violating)
    return _invalid_option(OFFER, placements, tags, rules, grouped)


def invalid_fallback_offers(
    *,
    placements: PlacementRefs = (),
    tags: Sequence[str] = (),
    violating: Collection[str] | None = None,
) -> st.SearchStrategy[Labelled]:
    """Fallback offers breaking one of ``schema`` (constraints or rank included),
    ``usereditable``, ``reference`` or ``unique-placement`` (needs a placement).

    >>> invalid_fallback_offers().example()   # doctest: +SKIP
    ({'xdm:name': 'Default', 'xdm:rank': {'xdm:priority': 1}}, 'schema')
    """
    grouped = select_rules(_option_choices(FALLBACK, placements, tags, ()), violating)
    return _invalid_option(FALLBACK, placements, tags, (), grouped)


# -- filters and activities ----------------------------------------------------------------
def invalid_offer_filters(
    *,
    offers: Sequence[str] = (),
    tags: Sequence[str] = (),
    violating: Collection[str] | None = None,
) -> st.SearchStrategy[Labelled]:
    """Offer filters breaking ``schema``, ``usereditable``, ``reference`` (an id that does
    not exist) or -- given offers or tags -- ``filter-kind`` (an ``offers`` filter listing a
    tag, a tag filter listing an offer).

    >>> invalid_offer_filters(tags=[t]).example()   # doctest: +SKIP
    ({'xdm:name': 'Travel', 'xdm:filterType': 'offers', 'ids': [t]}, 'filter-kind')
    """
    known = [*offers, *tags]
    mutations = [
        *_generic_schema(["xdm:name", "xdm:filterType", "ids"]),
        _with("xdm:filterType", "someTags"),
        _with("ids", "xcore:tag:000000000000001"),
        _with("ids", [1]),
    ]
    if known:
        mutations.append(_with("ids", [known[0], known[0]]))

    def missing(draw: st.DrawFn, instance: Instance) -> Instance:
        kind = OFFER if instance["xdm:filterType"] == "offers" else TAG
        return {**instance, "ids": [*instance["ids"], _missing(draw, kind, known)]}

    choices = [
        *_schema_choices(mutations),
        ("usereditable", _usereditable(FILTER)),
        ("reference", missing),
    ]
    if tags:
        choices.append(
            (
                "filter-kind",
                lambda draw, i: {
                    **i,
                    "xdm:filterType": "offers",
                    "ids": [draw(st.sampled_from(list(tags)))],
                },
            )
        )
    if offers:
        choices.append(
            (
                "filter-kind",
                lambda draw, i: {
                    **i,
                    "xdm:filterType": draw(st.sampled_from(["anyTags", "allTags"])),
                    "ids": [draw(st.sampled_from(list(offers)))],
                },
            )
        )
    return _broken(objects.offer_filters(offers=offers, tags=tags), choices, violating)


def invalid_offer_activities(
    *,
    filters: Sequence[str],
    fallbacks: Mapping[str, Sequence[str]],
    placements: Sequence[str] | None = None,
    violating: Collection[str] | None = None,
) -> st.SearchStrategy[Labelled]:
    """Offer activities breaking ``schema``, ``usereditable``, ``reference`` (a missing or
    wrong-kind placement, filter or fallback), ``date-order``, or ``fallback-placement``
    (paired with a fallback that has no representation for the placement: drawn when some
    placement in ``placements`` or ``fallbacks`` is not covered by some fallback).

    Arguments as for :func:`offer_activities`.

    >>> invalid_offer_activities(filters=[f], fallbacks={fb: [p1]}, placements=[p1, p2]
    ...                          ).example()   # doctest: +SKIP
    ({'xdm:name': 'Hero', 'xdm:placement': p2, 'xdm:filter': f, 'xdm:fallback': fb},
     'fallback-placement')
    """
    base = objects.offer_activities(filters=filters, fallbacks=fallbacks, placements=placements)
    universe = sorted({*(placements or ()), *(p for ps in fallbacks.values() for p in ps)})
    known = [*universe, *filters, *fallbacks]
    mutations = [
        *_generic_schema(["xdm:name", "xdm:placement", "xdm:filter", "xdm:fallback"]),
        _with("xdm:status", "running"),
        _with("xdm:startDate", "next tuesday"),
        _with("xdm:endDate", "2024-06-01"),
        _with("xdm:filter", ["xcore:offer-filter:000000000000001"]),
    ]

    def missing(draw: st.DrawFn, instance: Instance) -> Instance:
        key, schema = draw(
            st.sampled_from(
                [("xdm:placement", PLACEMENT), ("xdm:filter", FILTER), ("xdm:fallback", FALLBACK)]
            )
        )
        return {**instance, key: _missing(draw, schema, known)}

    def wrong_kind(draw: st.DrawFn, instance: Instance) -> Instance:
        return {**instance, "xdm:filter": instance["xdm:fallback"]}

    def reversed_dates(draw: st.DrawFn, instance: Instance) -> Instance:
        start, end = draw(ordered_windows(strict=True))
        return {**instance, "xdm:startDate": end, "xdm:endDate": start}

    choices = [
        *_schema_choices(mutations),
        ("usereditable", _usereditable(ACTIVITY)),
        ("reference", missing),
        ("reference", wrong_kind),
        ("date-order", reversed_dates),
    ]
    uncovered = [(p, f) for f, covered in fallbacks.items() for p in universe if p not in covered]
    if uncovered:

        def misfit(draw: st.DrawFn, instance: Instance) -> Instance:
            placement, fallback = draw(st.sampled_from(uncovered))
            return {**instance, "xdm:placement": placement, "xdm:fallback": fallback}

        choices.append(("fallback-placement", misfit))
    return _broken(base, choices, violating)


# -- queries -------------------------------------------------------------------------------
QueryMutation = Callable[[st.DrawFn, queries.Params], queries.Params]


def _set(**changes: Any) -> QueryMutation:
    return lambda draw, params: {**params, **changes}


def _add_filter(expression: str) -> QueryMutation:
    return lambda draw, params: {**params, "property": [*params.get("property", []), expression]}


def _query_choices(*, search: bool) -> list[tuple[str, QueryMutation]]:
    bad_regexes = ["(", "[a-", "a**", "(?<=a)b", "x{2,1}", "\\", "(a)\\1"]
    choices: list[tuple[str, QueryMutation]] = [
        *(("limit", _set(limit=v)) for v in ("0", "-3", "ten", "2.5")),
        ("limit", _set(limit=["5", "6"])),
        ("orderBy", _set(orderBy=["instanceId", "repo:etag"])),
        *(("orderBy", _set(orderBy=v)) for v in (",", "+", "instanceId,,repo:etag")),
        ("orderBy", _set(orderBy=",".join(["instanceId"] * 9))),
        *(("regex", _add_filter("_instance.xdm:name~" + r)) for r in bad_regexes),
        *(("bad-path", _set(orderBy=v)) for v in ("xdm:name", "_instance..x", "_instance")),
        *(("bad-path", _add_filter(v)) for v in ("nope==1", "name~a", "_links")),
        ("schema", _set(schema="https://ns.example.com/no-such-schema")),
        ("schema", _set(schema="https://ns.adobe.com/experience/xcore/container")),
        ("limits", _set(property=["_instance.xdm:name"] * 33)),
        ("limits", _add_filter("_instance.xdm:name~" + "a" * 1025)),
        ("limits", _set(id=[f"xcore:tag:{n:015x}" for n in range(101)])),
    ]
    if search:
        choices += [
            ("qop", _set(qop="xor")),
            ("limits", _set(q=" ".join(f"w{n}" for n in range(33)))),
            ("q", _set(q=["a", "b"])),
            ("bad-path", _set(field=["name"])),
        ]
    else:
        choices.append(
            ("schema", lambda draw, params: {k: v for k, v in params.items() if k != "schema"})
        )
    return choices


@st.composite
def _broken_query(
    draw: st.DrawFn,
    base: st.SearchStrategy[queries.Params],
    grouped: dict[str, list[QueryMutation]],
) -> tuple[queries.Params, str]:
    rule, mutate = pick_rule(draw, grouped)
    params = draw(base)
    if rule in ("orderBy", "bad-path") and "orderBy" in params:
        params = {k: v for k, v in params.items() if k != "start"}
    return mutate(draw, params), rule


def invalid_list_queries(
    schema: str | None = None, *, violating: Collection[str] | None = None
) -> st.SearchStrategy[tuple[queries.Params, str]]:
    """List parameters the repository refuses with a 400, each labelled with the ``rule``
    of its error: ``limit`` (bad or repeated), ``orderBy`` (empty key, more than 8, or
    repeated), ``regex`` (RE2 refuses it), ``bad-path``, ``schema`` (unknown, a container's,
    or missing), ``limits`` (more than 32 filters, 100 ids, or a regex over 1024 characters).

    >>> invalid_list_queries().example()   # doctest: +SKIP
    ({'schema': '...tag', 'property': ['_instance.xdm:name~(']}, 'regex')
    """
    grouped = select_rules(_query_choices(search=False), violating)
    return _broken_query(queries.list_queries(schema), grouped)


def invalid_search_queries(
    schema: str | None = None, *, violating: Collection[str] | None = None
) -> st.SearchStrategy[tuple[queries.Params, str]]:
    """Search parameters the repository refuses with a 400: the list ones (``schema`` may
    be absent here, not unknown) plus ``qop``, ``q`` (given twice), ``limits`` (more than 32
    terms) and ``bad-path`` in ``field``.

    >>> invalid_search_queries().example()   # doctest: +SKIP
    ({'q': 'gold', 'qop': 'xor'}, 'qop')
    """
    grouped = select_rules(_query_choices(search=True), violating)
    return _broken_query(queries.search_queries(schema), grouped)
