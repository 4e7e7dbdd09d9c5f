"""One strategy per offer-management business object, yielding ``_instance`` payloads.

The payloads are what a client puts inside ``_instance`` on create: no ``@id`` (the
repository assigns it) and references only to the ``@id``s passed in, so a test decides
which objects exist. Called without arguments, the strategies yield objects that reference
nothing, which any empty container accepts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache, lru_cache
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
    lambda w: (
        "https://ns.example.com/components/"
        + ("".join(c for c in w.lower() if c.isascii() and c.isalnum()) or "custom")
    )
)
component_types = st.one_of(st.sampled_from(COMPONENT_TYPES), _custom_types)
"""``xdm:componentType`` values: the three predefined component types or a model URI."""


@cache
def _descriptions() -> st.SearchStrategy[str]:
    return st.one_of(text.paragraphs(), text.sentences(), st.just(""))


@cache
def _languages() -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=2, unique=True)


@cache
def _html() -> st.SearchStrategy[str]:
    return st.tuples(text.names(max_size=60), text.sentences()).map(
        lambda p: f'<div class="offer"><h2>{p[0]}</h2><p>{p[1]}</p></div>'
    )


@lru_cache(maxsize=256)
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
            "xdm:content": text.sentences().map(lambda s: f'{{"headline": "{s}"}}'),
            "repo:resolveURL": text.urls(),
        },
    )


@lru_cache(maxsize=256)
def _component_lists(component_type: str) -> st.SearchStrategy[list[dict[str, Any]]]:
    return st.lists(components(component_type), min_size=1, max_size=2)


def representations(
    placements: PlacementRefs, *, min_size: int = 0
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Representations for distinct placements among ``placements`` (one per placement),
    each with 1 or 2 components of the placement's type when ``placements`` maps ``@id``s
    to component types, of a drawn type otherwise."""
    ids = list(placements)
    if not ids:
        return st.just([])
    chosen = st.lists(
        st.sampled_from(ids), min_size=min_size, max_size=min(len(ids), 3), unique=True
    )
    types = dict(placements) if isinstance(placements, Mapping) else None
    return _representations(chosen, types)


@st.composite
def _representations(
    draw: st.DrawFn, chosen: st.SearchStrategy[list[str]], types: dict[str, str] | None
) -> list[dict[str, Any]]:
    made = []
    for placement in draw(chosen):
        kind = types[placement] if types is not None else draw(component_types)
        made.append({"xdm:placement": placement, "xdm:components": draw(_component_lists(kind))})
    return made


def _subset(ids: Sequence[str], max_size: int = 4) -> st.SearchStrategy[list[str]]:
    if not ids:
        return st.just([])
    return st.lists(st.sampled_from(list(ids)), max_size=min(len(ids), max_size), unique=True)


_characteristic_keys = st.one_of(
    text.faked(lambda f: f.word()),
    st.sampled_from(["offerType", "campaign", "segment/tier", "x~y", "discount %"]),
)
characteristics = st.dictionaries(
    _characteristic_keys,
    st.one_of(text.words(), text.sentences(), st.text(max_size=12)),
    max_size=3,
)


def _check_minimum(placements: PlacementRefs, minimum: int) -> None:
    if not 0 <= minimum <= min(len(placements), 3):
        raise InvalidArgument(
            f"min_representations={minimum} needs as many placements (3 at most are used)"
        )


# -- the objects ---------------------------------------------------------------------------
@cache
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


@cache
def tags() -> st.SearchStrategy[Instance]:
    """Tags (offer categories). Names are unique per container ignoring case, so create
    draws of this in a fresh container, or use :func:`catalogs`, which keeps them unique.

    >>> tags().example()   # doctest: +SKIP
    {'xdm:name': 'colline'}
    """
    return st.fixed_dictionaries({"xdm:name": st.one_of(text.words(), text.names(max_size=60))})


@cache
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


_KEEP = st.sampled_from(["both", "start", "end", "none"])


def selection_constraints(rules: Sequence[str] = ()) -> st.SearchStrategy[dict[str, Any]]:
    """A calendar window (either end optional, start <= end) and maybe an eligibility rule
    among ``rules``."""
    return _constraints(st.sampled_from(list(rules)) if rules else None)


@st.composite
def _constraints(draw: st.DrawFn, rules: st.SearchStrategy[str] | None) -> dict[str, Any]:
    constraint: dict[str, Any] = {}
    start, end = draw(ordered_windows())
    keep = draw(_KEEP)
    if keep in ("both", "start"):
        constraint["xdm:startDate"] = start
    if keep in ("both", "end"):
        constraint["xdm:endDate"] = end
    if rules is not None and draw(st.booleans()):
        constraint["xdm:eligibilityRule"] = draw(rules)
    return constraint


_CAPS = st.fixed_dictionaries(
    {}, optional={"xdm:globalCap": st.integers(1, 10**7), "xdm:profileCap": st.integers(1, 100)}
)
_RANK = st.fixed_dictionaries({}, optional={"xdm:priority": st.integers(0, 10**4)})


def _option(
    placements: PlacementRefs,
    tags: Sequence[str],
    rules: Sequence[str],
    *,
    personalized: bool,
    min_representations: int = 0,
) -> st.SearchStrategy[Instance]:
    # Strategies are built here, once per call, not on every draw: building one costs more
    # than drawing from it.
    optional: dict[str, st.SearchStrategy[Any]] = {
        "xdm:description": _descriptions(),
        "xdm:status": st.sampled_from(OPTION_STATUSES),
        "xdm:tags": _subset(tags),
        "xdm:characteristics": characteristics,
    }
    if personalized:
        optional |= {
            "xdm:selectionConstraint": selection_constraints(rules),
            "xdm:cappingConstraint": _CAPS,
            "xdm:rank": _RANK,
        }
    return _options(
        representations(placements, min_size=min_representations),
        st.fixed_dictionaries({}, optional=optional),
        min_representations,
    )


@st.composite
def _options(
    draw: st.DrawFn,
    representations: st.SearchStrategy[list[dict[str, Any]]],
    optional: st.SearchStrategy[dict[str, Any]],
    min_representations: int,
) -> Instance:
    instance: Instance = {"xdm:name": draw(text.names())}
    reps = draw(representations)
    instance |= draw(optional)
    if reps or min_representations or draw(st.booleans()):
        instance["xdm:representations"] = reps
    return instance


def personalized_offers(
    *,
    placements: PlacementRefs = (),
    tags: Sequence[str] = (),
    rules: Sequence[str] = (),
    min_representations: int = 0,
) -> st.SearchStrategy[Instance]:
    """Personalized offers: representations for distinct placements among ``placements``,
    tags among ``tags``, an eligibility rule among ``rules``, calendar window, caps, priority,
    characteristics -- each optional.

    ``placements`` may be ``{@id: xdm:componentType}`` instead of a list of ``@id``s, so
    representations carry components of the placement's type; ``min_representations``
    (at most the number of placements) forces that many.

    >>> personalized_offers(placements=[placement_id], tags=[tag_id]).example()  # doctest: +SKIP
    {'xdm:name': 'Spring sale', 'xdm:status': 'approved', 'xdm:tags': ['xcore:tag:...'],
     'xdm:representations': [{'xdm:placement': 'xcore:offer-placement:...',
                              'xdm:components': [...]}]}
    """
    _check_minimum(placements, min_representations)
    return _option(
        placements, tags, rules, personalized=True, min_representations=min_representations
    )


def fallback_offers(
    *, placements: PlacementRefs = (), tags: Sequence[str] = (), min_representations: int = 0
) -> st.SearchStrategy[Instance]:
    """Fallback offers: the option properties without constraints or rank.

    An activity needs a fallback with a representation for its placement: to be sure of
    one, pass ``min_representations=1`` (and the placement alone, to be sure which).

    >>> fallback_offers(placements=[placement_id]).example()   # doctest: +SKIP
    {'xdm:name': 'Default banner', 'xdm:status': 'approved', 'xdm:representations': [...]}
    """
    _check_minimum(placements, min_representations)
    return _option(
        placements, tags, (), personalized=False, min_representations=min_representations
    )


_FILTER_TYPES = st.sampled_from(["offers", "anyTags", "allTags"])


@st.composite
def _filter(
    draw: st.DrawFn, offers: st.SearchStrategy[list[str]], tags: st.SearchStrategy[list[str]]
) -> Instance:
    kind = draw(_FILTER_TYPES)
    ids = draw(offers if kind == "offers" else tags)
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
    return _filter(_subset(offers, max_size=6), _subset(tags, max_size=6))


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


@cache
def _activity_extras() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {},
        optional={
            "xdm:description": _descriptions(),
            "xdm:status": st.sampled_from(ACTIVITY_STATUSES),
        },
    )


@st.composite
def _activity(
    draw: st.DrawFn, pairs: st.SearchStrategy[tuple[str, str]], filters: st.SearchStrategy[str]
) -> Instance:
    placement, fallback = draw(pairs)
    instance: Instance = {
        "xdm:name": draw(text.names()),
        "xdm:placement": placement,
        "xdm:filter": draw(filters),
        "xdm:fallback": fallback,
    }
    instance |= draw(_activity_extras())
    start, end = draw(ordered_windows())
    keep = draw(_KEEP)
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
    return _activity(st.sampled_from(pairs), st.sampled_from(list(filters)))
