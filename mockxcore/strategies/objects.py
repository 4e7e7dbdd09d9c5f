"""One strategy per offer-management business object, yielding ``_instance`` payloads.

The payloads are what a client puts inside ``_instance`` on create: no ``@id`` (the
repository assigns it) and references only to the ``@id``s passed in, so a test decides
which objects exist. Called without arguments, the strategies yield objects that reference
nothing, which any empty container accepts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from mockxcore.strategies import text
from mockxcore.strategies._common import (
    COMPONENT_TYPES,
    HTML,
    IMAGELINK,
    TEXT,
    Instance,
    PlacementRefs,
    ordered_windows,
)
from mockxcore.strategies.pql import pql_conditions

CHANNELS = tuple(
    "https://ns.adobe.com/xdm/channels/" + c
    for c in ("web", "email", "mobile", "push", "sms", "kiosk", "direct-mail")
)
LANGUAGES = ("en", "en-US", "en-GB", "fr", "fr-CA", "de", "nl", "es", "ja", "zh-Hans-CN")
IMAGE_FORMATS = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml")
MEDIA_TYPES = (*IMAGE_FORMATS, "text/plain", "text/html", "application/json")
OPTION_STATUSES = ("draft", "approved", "archived")
ACTIVITY_STATUSES = ("draft", "live", "archived")

_custom_types = text.words().map(
    lambda w: "https://ns.example.com/components/"
    + ("".join(c for c in w.lower() if c.isascii() and c.isalnum()) or "custom")
)
component_types = st.one_of(st.sampled_from(COMPONENT_TYPES), _custom_types)
"""``xdm:componentType`` values: the three predefined component types or a model URI."""


def _descriptions() -> st.SearchStrategy[str]:
    return st.one_of(text.paragraphs(), text.sentences(), st.just(""))


def _languages() -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=2, unique=True)


def _html() -> st.SearchStrategy[str]:
    return st.tuples(text.names(max_size=60), text.sentences()).map(
        lambda p: f'<div class="offer"><h2>{p[0]}</h2><p>{p[1]}</p></div>'
    )


def components(component_type: str) -> st.SearchStrategy[dict[str, Any]]:
    """A content component of ``component_type``, with the fields that type may carry
    (``xdm:copyline`` only on text, ``xdm:linkURL`` only on imagelink, neither on html).

    >>> components(TEXT).example()   # doctest: +SKIP
    {'@type': 'https://ns.adobe.com/experience/offer-management/content-component-text',
     'dc:format': 'text/plain', 'xdm:copyline': 'Frage Lehrer kein rechnen.'}
    """
    kind = st.just(component_type)
    if component_type == IMAGELINK:
        return st.fixed_dictionaries(
            {"@type": kind, "dc:format": st.sampled_from(IMAGE_FORMATS)},
            optional={
                "dc:language": _languages(),
                "repo:name": text.file_names("png"),
                "repo:resolveURL": text.image_urls(),
                "xdm:linkURL": text.urls(),
                "offerui:previewThumbnail": text.image_urls(),
            },
        )
    if component_type == TEXT:
        return st.fixed_dictionaries(
            {"@type": kind, "dc:format": st.just("text/plain")},
            optional={"dc:language": _languages(), "xdm:copyline": text.sentences()},
        )
    if component_type == HTML:
        return st.fixed_dictionaries(
            {"@type": kind, "dc:format": st.just("text/html")},
            optional={"dc:language": _languages(), "xdm:content": _html()},
        )
    return st.fixed_dictionaries(
        {"@type": kind},
        optional={
            "dc:format": st.just("application/json"),
            "dc:language": _languages(),
            "xdm:content": text.sentences().map(lambda s: '{"headline": "%s"}' % s),
            "repo:resolveURL": text.urls(),
        },
    )


def _component_type_of(placements: PlacementRefs, placement: str) -> st.SearchStrategy[str]:
    if isinstance(placements, Mapping):
        return st.just(placements[placement])
    return component_types


@st.composite
def representation(draw: st.DrawFn, placement: str, component_type: str) -> dict[str, Any]:
    """One representation of an option for ``placement``: 1 or 2 components of its type."""
    made = draw(st.lists(components(component_type), min_size=1, max_size=2))
    return {"xdm:placement": placement, "xdm:components": made}


@st.composite
def representations(
    draw: st.DrawFn, placements: PlacementRefs, *, min_size: int = 0
) -> list[dict[str, Any]]:
    """Representations for distinct placements among ``placements`` (one per placement)."""
    ids = list(placements)
    if not ids:
        return []
    chosen = draw(
        st.lists(st.sampled_from(ids), min_size=min_size, max_size=min(len(ids), 3), unique=True)
    )
    return [
        draw(representation(p, draw(_component_type_of(placements, p)))) for p in chosen
    ]


def _subset(ids: Sequence[str], max_size: int = 4) -> st.SearchStrategy[list[str]]:
    if not ids:
        return st.just([])
    return st.lists(st.sampled_from(list(ids)), max_size=min(len(ids), max_size), unique=True)


_characteristic_keys = st.one_of(
    text.faked(lambda f: f.word()),
    st.sampled_from(["offerType", "campaign", "segment/tier", "x~y", "discount %"]),
)
characteristics = st.dictionaries(
    _characteristic_keys, st.one_of(text.words(), text.sentences(), st.text(max_size=12)), max_size=3
)


# -- the objects ---------------------------------------------------------------------------
def placements() -> st.SearchStrategy[Instance]:
    """Offer placements: a channel and the content component type it takes.

    >>> placements().example()   # doctest: +SKIP
    {'xdm:name': 'Devolved non-volatile website',
     'xdm:channel': 'https://ns.adobe.com/xdm/channels/web',
     'xdm:componentType': 'https://ns.adobe.com/experience/offer-management/content-component-imagelink'}
    """
    return st.fixed_dictionaries(
        {
            "xdm:name": text.names(),
            "xdm:channel": st.sampled_from(CHANNELS),
            "xdm:componentType": component_types,
        },
        optional={
            "xdm:description": _descriptions(),
            "xdm:contentTypes": st.lists(st.sampled_from(MEDIA_TYPES), max_size=3, unique=True),
        },
    )


def tags() -> st.SearchStrategy[Instance]:
    """Tags (offer categories). Names are unique per container ignoring case, so create
    draws of this in a fresh container, or use :func:`catalogs`, which keeps them unique.

    >>> tags().example()   # doctest: +SKIP
    {'xdm:name': 'colline'}
    """
    return st.fixed_dictionaries({"xdm:name": st.one_of(text.words(), text.names(max_size=60))})


def eligibility_rules() -> st.SearchStrategy[Instance]:
    """Eligibility rules whose PQL condition is in the supported subset (it compiles).

    >>> eligibility_rules().example()   # doctest: +SKIP
    {'xdm:name': 'Gold members', 'xdm:condition': {'xdm:type': 'PQL',
     'xdm:format': 'pql/text', 'xdm:value': 'membership.status = "gold"'}}
    """
    return st.fixed_dictionaries(
        {
            "xdm:name": text.names(),
            "xdm:condition": st.fixed_dictionaries(
                {
                    "xdm:type": st.just("PQL"),
                    "xdm:format": st.just("pql/text"),
                    "xdm:value": pql_conditions(),
                }
            ),
        },
        optional={"xdm:description": _descriptions()},
    )


@st.composite
def selection_constraints(draw: st.DrawFn, rules: Sequence[str] = ()) -> dict[str, Any]:
    """A calendar window (either end optional, start <= end) and maybe an eligibility rule."""
    constraint: dict[str, Any] = {}
    start, end = draw(ordered_windows())
    keep = draw(st.sampled_from(["both", "start", "end", "none"]))
    if keep in ("both", "start"):
        constraint["xdm:startDate"] = start
    if keep in ("both", "end"):
        constraint["xdm:endDate"] = end
    if rules and draw(st.booleans()):
        constraint["xdm:eligibilityRule"] = draw(st.sampled_from(list(rules)))
    return constraint


@st.composite
def _option(
    draw: st.DrawFn,
    placements: PlacementRefs,
    tags: Sequence[str],
    rules: Sequence[str],
    *,
    personalized: bool,
    min_representations: int = 0,
) -> Instance:
    instance: Instance = {"xdm:name": draw(text.names())}
    reps = draw(representations(placements, min_size=min_representations))
    optional: dict[str, st.SearchStrategy[Any]] = {
        "xdm:description": _descriptions(),
        "xdm:status": st.sampled_from(OPTION_STATUSES),
        "xdm:tags": _subset(tags),
        "xdm:characteristics": characteristics,
    }
    if personalized:
        optional |= {
            "xdm:selectionConstraint": selection_constraints(rules),
            "xdm:cappingConstraint": st.fixed_dictionaries(
                {},
                optional={
                    "xdm:globalCap": st.integers(1, 10**7),
                    "xdm:profileCap": st.integers(1, 100),
                },
            ),
            "xdm:rank": st.fixed_dictionaries({}, optional={"xdm:priority": st.integers(0, 10**4)}),
        }
    instance |= draw(st.fixed_dictionaries({}, optional=optional))
    if reps or min_representations or draw(st.booleans()):
        instance["xdm:representations"] = reps
    return instance


def personalized_offers(
    *, placements: PlacementRefs = (), tags: Sequence[str] = (), rules: Sequence[str] = ()
) -> st.SearchStrategy[Instance]:
    """Personalized offers: representations for distinct placements among ``placements``,
    tags among ``tags``, an eligibility rule among ``rules``, calendar window, caps, priority,
    characteristics -- each optional.

    ``placements`` may be ``{@id: xdm:componentType}`` instead of a list of ``@id``s, so
    representations carry components of the placement's type.

    >>> personalized_offers(placements=[placement_id], tags=[tag_id]).example()  # doctest: +SKIP
    {'xdm:name': 'Spring sale', 'xdm:status': 'approved', 'xdm:tags': ['xcore:tag:...'],
     'xdm:representations': [{'xdm:placement': 'xcore:offer-placement:...',
                              'xdm:components': [...]}]}
    """
    return _option(placements, tags, rules, personalized=True)


def fallback_offers(
    *, placements: PlacementRefs = (), tags: Sequence[str] = ()
) -> st.SearchStrategy[Instance]:
    """Fallback offers: the option properties without constraints or rank.

    An activity needs a fallback with a representation for its placement: to get one, pass
    that placement alone (``fallback_offers(placements={p: type})`` may still draw none,
    :func:`catalogs` guarantees coverage).

    >>> fallback_offers(placements=[placement_id]).example()   # doctest: +SKIP
    {'xdm:name': 'Default banner', 'xdm:status': 'approved', 'xdm:representations': [...]}
    """
    return _option(placements, tags, (), personalized=False)


@st.composite
def _filter(draw: st.DrawFn, offers: Sequence[str], tags: Sequence[str]) -> Instance:
    kind = draw(st.sampled_from(["offers", "anyTags", "allTags"]))
    ids = draw(_subset(offers if kind == "offers" else tags, max_size=6))
    instance: Instance = {"xdm:name": draw(text.names()), "xdm:filterType": kind, "ids": ids}
    if draw(st.booleans()):
        instance["xdm:description"] = draw(_descriptions())
    return instance


def offer_filters(
    *, offers: Sequence[str] = (), tags: Sequence[str] = ()
) -> st.SearchStrategy[Instance]:
    """Offer filters (collections): ``offers`` filters list ids among ``offers``, ``anyTags``
    and ``allTags`` filters ids among ``tags``; ``ids`` may be empty.

    >>> offer_filters(tags=[tag_id]).example()   # doctest: +SKIP
    {'xdm:name': 'Travel offers', 'xdm:filterType': 'anyTags', 'ids': ['xcore:tag:...']}
    """
    return _filter(offers, tags)


def _pairs(
    fallbacks: Mapping[str, Sequence[str]], placements: Sequence[str] | None
) -> list[tuple[str, str]]:
    allowed = None if placements is None else set(placements)
    return [
        (placement, fallback)
        for fallback, covered in fallbacks.items()
        for placement in covered
        if allowed is None or placement in allowed
    ]


@st.composite
def _activity(
    draw: st.DrawFn, pairs: list[tuple[str, str]], filters: Sequence[str]
) -> Instance:
    placement, fallback = draw(st.sampled_from(pairs))
    instance: Instance = {
        "xdm:name": draw(text.names()),
        "xdm:placement": placement,
        "xdm:filter": draw(st.sampled_from(list(filters))),
        "xdm:fallback": fallback,
    }
    extra = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "xdm:description": _descriptions(),
                "xdm:status": st.sampled_from(ACTIVITY_STATUSES),
            },
        )
    )
    instance |= extra
    start, end = draw(ordered_windows())
    keep = draw(st.sampled_from(["none", "both", "start", "end"]))
    if keep in ("both", "start"):
        instance["xdm:startDate"] = start
    if keep in ("both", "end"):
        instance["xdm:endDate"] = end
    return instance


def offer_activities(
    *,
    filters: Sequence[str],
    fallbacks: Mapping[str, Sequence[str]],
    placements: Sequence[str] | None = None,
) -> st.SearchStrategy[Instance]:
    """Offer activities pairing a placement with a fallback that has a representation for it.

    ``fallbacks`` maps each fallback ``@id`` to the placement ``@id``s it has representations
    for; ``placements``, when given, restricts the placements an activity may use. An
    activity cannot reference nothing, so at least one filter and one covered placement are
    required (``InvalidArgument`` otherwise).

    >>> offer_activities(filters=[f], fallbacks={fb: [p]}).example()   # doctest: +SKIP
    {'xdm:name': 'Homepage hero', 'xdm:placement': p, 'xdm:filter': f, 'xdm:fallback': fb,
     'xdm:status': 'live'}
    """
    pairs = _pairs(fallbacks, placements)
    if not pairs or not filters:
        raise InvalidArgument(
            "offer_activities() needs at least one filter and a fallback covering a placement"
        )
    return _activity(pairs, filters)
