"""Target Delivery API request bodies (``POST /rest/v1/delivery``), valid and invalid.

Bodies look like what Adobe's SDKs send: a visitor ``id`` (a ``tntId`` with its location
hint, an Experience Cloud id, a third-party id, customer ids), a web or mobile ``context``,
``execute`` and ``prefetch`` of the page load, regional mboxes and views, display and click
``notifications``, and now and then a property token, analytics settings or a trace.

Given an on-device artifact (the ``rules.json`` a client downloads), requests ask for what
the artifact decides: its mboxes and views, with the mbox parameters its conditions read and
the values they compare with, so drawn requests make rules hold as well as fail. Now and then
an mbox is one the artifact does not know, which Target (and the mock) answers with no
options. Without an artifact the names are plausible ones.

The invalid counterparts break one rule of the DeliveryRequest schema and are labelled with
the JSON pointer of the problem, which is what Target's ``{"status": 400, "message": ...}``
names: there is no machine-readable ``errors`` list to carry a rule name.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any
from urllib.parse import urlsplit

from hypothesis import strategies as st

from mockxcore import contracts
from mockxcore.strategies import text
from mockxcore.strategies._common import instants, pick_rule, select_rules

REQUEST_SCHEMA = "https://ns.adobe.com/experience/target/delivery-request"

Body = dict[str, Any]
"""A DeliveryRequest body, as ``requests.post(..., json=body)`` sends it."""
Labelled = tuple[Body, str]
"""An invalid body and the JSON pointer (RFC 6901) of the one thing wrong with it."""

LOCATION_HINTS = ("35", "28", "31", "32", "34", "38")
"""Edge clusters a ``tntId`` may name after its dot (``<32 hex>.35_0``)."""

USER_AGENTS: tuple[tuple[str, dict[str, Any] | None], ...] = (
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
        {
            "mobile": False,
            "platform": "Windows",
            "platformVersion": "15.0.0",
            "architecture": "x86",
            "bitness": "64",
            "browserUAWithMajorVersion": (
                '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"'
            ),
        },
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
        None,
    ),
    (
        "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
        None,
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80",
        {
            "mobile": False,
            "platform": "Windows",
            "browserUAWithMajorVersion": (
                '"Chromium";v="124", "Microsoft Edge";v="124", "Not-A.Brand";v="99"'
            ),
        },
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
        None,
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.6367.82 Mobile Safari/537.36",
        {
            "mobile": True,
            "model": "Pixel 8",
            "platform": "Android",
            "platformVersion": "14.0.0",
            "browserUAWithFullVersion": (
                '"Chromium";v="124.0.6367.82", "Google Chrome";v="124.0.6367.82", '
                '"Not-A.Brand";v="99.0.0.0"'
            ),
        },
    ),
)
"""Browsers a web request claims to be, each with the client hints Chromium sends (if any)."""

MOBILE_DEVICES = {
    "ios": (("phone", "iPhone15,2"), ("phone", "iPhone16,1"), ("tablet", "iPad13,4")),
    "android": (("phone", "Pixel 8"), ("phone", "SM-S918B"), ("tablet", "SM-X710")),
}
MOBILE_AGENTS = {
    "ios": "AEPTarget/4.0.3 (iPhone; CPU iPhone OS 17_4 like Mac OS X)",
    "android": "Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/AP1A.240405.002)",
}
SCREENS = ((1920, 1080), (1536, 864), (1440, 900), (2560, 1440), (390, 844), (412, 915))
LANGUAGES = ("en-US,en;q=0.9", "fr-FR,fr;q=0.8,en;q=0.5", "de-DE", "nl-NL,nl;q=0.9", "ja")
RENDERERS = (
    "ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)",
    "Apple GPU",
    "Mesa Intel(R) UHD Graphics 620 (KBL GT2)",
)
TIME_OFFSETS = (0, 60, 120, 330, -240, -300, -420, 540, 600)
INTEGRATION_CODES = ("crm", "loyalty", "email_hash", "ecommerce")

# Plausible names for a client without an artifact, and for mboxes an artifact does not know.
MBOX_NAMES = (
    "target-global-mbox",
    "hero-banner",
    "product-recommendations",
    "cart-upsell",
    "footer-promo",
    "checkout-config",
)
VIEW_NAMES = ("home", "product-detail", "category", "cart", "checkout", "search-results")
PARAMETERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("entity.categoryId", ("shoes", "outdoor")),
    ("entity.id", ("sku-1042", "sku-2207")),
    ("loyalty", ("gold", "silver", "bronze")),
    ("pageType", ("home", "product", "category", "cart")),
    ("user.segment", ("returning", "new")),
)

_COMPARISONS = frozenset({"==", "===", "!=", "!==", "<", "<=", ">", ">=", "in"})


# -- what an artifact offers ---------------------------------------------------------------
@dataclass(frozen=True)
class Vocabulary:
    """Names a request can ask for, read from an artifact (or plausible ones without).

    ``parameters`` maps each mbox parameter the conditions read (``mbox.<name>`` in the JSON
    Logic, ``_lc`` twin folded in) to the literal values they compare it with; ``paths``
    holds the literal URL paths ``page.path`` is compared with; ``event_tokens`` the tokens
    its options and metrics carry, so notifications send back tokens the artifact issued.
    """

    mboxes: tuple[str, ...]
    views: tuple[str, ...]
    parameters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    paths: tuple[str, ...] = ()
    event_tokens: tuple[str, ...] = ()
    property_tokens: tuple[str, ...] = ()


def _var_name(node: Any) -> str | None:
    """The variable a ``{"var": ...}`` node reads, or None for anything else."""
    if not isinstance(node, dict) or set(node) != {"var"}:
        return None
    name = node["var"]
    if isinstance(name, list):
        name = name[0] if name else None
    return name if isinstance(name, str) else None


def _variables(node: Any) -> set[str]:
    """Every variable read anywhere under ``node`` (``substr`` of a var still reads it)."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        name = _var_name(item)
        if name is not None:
            found.add(name)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _literal_text(value: Any) -> list[str]:
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, str | int | float):
        return [value if isinstance(value, str) else f"{value:g}"]
    if isinstance(value, list):  # the haystack of ``in``
        return [t for item in value if not isinstance(item, list) for t in _literal_text(item)]
    return []


def condition_literals(logic: Any) -> dict[str, set[str]]:
    """``{variable: {literals it is compared with}}`` for a JSON Logic condition.

    Only comparisons (``==``, ``<``, ``in``...) count: the numbers in ``substr`` are offsets,
    not values a variable takes. ``_lc`` twins are folded into their variable.

    >>> condition_literals({"==": ["gold", {"var": "mbox.loyalty_lc"}]})
    {'mbox.loyalty': {'gold'}}
    """
    found: dict[str, set[str]] = {}
    stack = [logic]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict) or _var_name(node) is not None:
            continue
        for operator, arguments in node.items():
            items = arguments if isinstance(arguments, list) else [arguments]
            stack.extend(items)
            if operator not in _COMPARISONS:
                continue
            literals = {t for item in items if _var_name(item) is None for t in _literal_text(item)}
            for item in items:
                if isinstance(item, dict):
                    for name in _variables(item):
                        found.setdefault(name.removesuffix("_lc"), set()).update(literals)
    return found


def _walk_rules(artifact: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    rules = artifact.get("rules")
    if not isinstance(rules, Mapping):
        return []
    found: list[Mapping[str, Any]] = []
    for kind in ("mboxes", "views"):
        located = rules.get(kind)
        if isinstance(located, Mapping):
            for listed in located.values():
                if isinstance(listed, list):
                    found.extend(r for r in listed if isinstance(r, Mapping))
    return found


def _names(artifact: Mapping[str, Any], kind: str, *listed: str) -> tuple[str, ...]:
    names: set[str] = set()
    rules = artifact.get("rules")
    if isinstance(rules, Mapping) and isinstance(rules.get(kind), Mapping):
        names.update(rules[kind])
    for key in listed:
        if isinstance(artifact.get(key), list):
            names.update(n for n in artifact[key] if isinstance(n, str))
    return tuple(sorted(names))


def _tokens(rule: Mapping[str, Any]) -> list[str]:
    consequence = rule.get("consequence")
    if not isinstance(consequence, Mapping):
        return []
    found = []
    for key in ("options", "metrics"):
        for item in consequence.get(key) or []:
            token = item.get("eventToken") if isinstance(item, Mapping) else None
            if isinstance(token, str) and token:
                found.append(token)
    return found


def vocabulary(artifact: Mapping[str, Any] | None) -> Vocabulary:
    """What requests for ``artifact`` can name: mboxes (``rules.mboxes``, ``localMboxes``,
    ``remoteMboxes``), views (``rules.views``, ``localViews``, ``remoteViews``), the mbox
    parameters and page paths the conditions test, event and property tokens. Without an
    artifact (or with one that names nothing), plausible names instead."""
    if artifact is None:
        return Vocabulary(MBOX_NAMES, VIEW_NAMES, PARAMETERS)
    limits = _limits()
    mboxes = tuple(
        n
        for n in _names(artifact, "mboxes", "localMboxes", "remoteMboxes")
        if 1 <= len(n) <= limits.mbox_name
    )
    views = tuple(
        n
        for n in _names(artifact, "views", "localViews", "remoteViews")
        if len(n) <= limits.view_name
    )
    literals: dict[str, set[str]] = {}
    tokens: set[str] = set()
    properties: set[str] = set()
    for rule in _walk_rules(artifact):
        for name, values in condition_literals(rule.get("condition")).items():
            literals.setdefault(name, set()).update(values)
        tokens.update(_tokens(rule))
        properties.update(t for t in rule.get("propertyTokens") or () if isinstance(t, str) and t)
    limit = limits.parameter_value
    parameters = tuple(
        (name.removeprefix("mbox."), tuple(sorted(v for v in values if len(v) <= limit)))
        for name, values in sorted(literals.items())
        if name.startswith("mbox.") and 1 <= len(name) - len("mbox.") <= limits.parameter_name
    )[: limits.parameters]
    paths = {
        value
        for name in ("page.path", "referring.path")
        for value in literals.get(name, ())
        if value.startswith("/") and " " not in value
    }
    return Vocabulary(
        mboxes or MBOX_NAMES,
        views or VIEW_NAMES,
        parameters or PARAMETERS,
        tuple(sorted(paths)),
        tuple(sorted(tokens)),
        tuple(sorted(properties)),
    )


# -- limits read from the schema -----------------------------------------------------------
@dataclass(frozen=True)
class _Limits:
    mboxes: int
    mbox_name: int
    notified_mbox_name: int
    view_name: int
    parameters: int
    parameter_name: int
    parameter_value: int
    visitor_id: int
    request_id: int
    user_agent: int
    integration_code: int
    supplemental_data_id: int


@cache
def _limits() -> _Limits:
    """The bounds valid draws stay within and invalid ones step over, read from the shipped
    schema so both follow it when it changes."""
    schema = contracts.default().schema(REQUEST_SCHEMA)
    defs = schema["$defs"]
    parameters = defs["parameters"]
    customer = defs["visitorId"]["properties"]["customerIds"]["items"]["properties"]
    analytics = defs["experienceCloud"]["properties"]["analytics"]["properties"]
    notified = defs["notification"]["properties"]
    return _Limits(
        mboxes=schema["properties"]["execute"]["properties"]["mboxes"]["maxItems"],
        mbox_name=defs["mboxRequest"]["properties"]["name"]["maxLength"],
        notified_mbox_name=notified["mbox"]["properties"]["name"]["maxLength"],
        view_name=defs["viewRequest"]["properties"]["name"]["maxLength"],
        parameters=parameters["maxProperties"],
        parameter_name=parameters["propertyNames"]["maxLength"],
        parameter_value=parameters["additionalProperties"]["maxLength"],
        visitor_id=defs["visitorId"]["properties"]["tntId"]["maxLength"],
        request_id=schema["properties"]["requestId"]["maxLength"],
        user_agent=defs["context"]["properties"]["userAgent"]["maxLength"],
        integration_code=customer["integrationCode"]["maxLength"],
        supplemental_data_id=analytics["supplementalDataId"]["minLength"],
    )


# -- visitor ids ---------------------------------------------------------------------------
def _hex(digits: int) -> st.SearchStrategy[str]:
    return st.integers(0, 16**digits - 1).map(lambda n: f"{n:0{digits}x}")


@cache
def tnt_ids() -> st.SearchStrategy[str]:
    """``tntId`` values as Target sets them: 32 hex digits, a dot, the location hint.

    >>> tnt_ids().example()   # doctest: +SKIP
    '338e3c1e51f7416a8e1ccba4f81acea0.35_0'
    """
    return st.builds(
        lambda head, hint: f"{head}.{hint}_0", _hex(32), st.sampled_from(LOCATION_HINTS)
    )


@cache
def _visitor_ids() -> st.SearchStrategy[dict[str, Any]]:
    customer = st.fixed_dictionaries(
        {
            "id": st.one_of(
                st.uuids().map(lambda u: u.hex[:16].upper()),
                text.emails().filter(lambda e: len(e) <= _limits().visitor_id),
            ),
            "integrationCode": st.sampled_from(INTEGRATION_CODES),
            "authenticatedState": st.sampled_from(["unknown", "authenticated", "logged_out"]),
        }
    )
    return st.fixed_dictionaries(
        {},
        optional={
            "tntId": tnt_ids(),
            # An Experience Cloud id: 38 decimal digits.
            "marketingCloudVisitorId": st.integers(10**37, 10**38 - 1).map(str),
            "thirdPartyId": st.one_of(
                st.integers(1, 10**9).map(lambda n: f"crm-{n}"), st.uuids().map(str)
            ),
            "customerIds": st.lists(customer, min_size=1, max_size=2),
        },
    )


# -- context -------------------------------------------------------------------------------
@st.composite
def _page_url(draw: st.DrawFn, vocab: Vocabulary) -> str:
    url = draw(text.urls())
    if bool(vocab.paths) and draw(st.booleans()):
        # A path the artifact's conditions test, so page-targeted rules can hold.
        parts = urlsplit(url)
        path = draw(st.sampled_from(vocab.paths))
        suffix = draw(st.sampled_from(["", "/", "/shoes", "?utm_source=mail"]))
        url = f"{parts.scheme}://{parts.netloc}{path}{suffix}"
    return url


def _screen(sizes: Sequence[tuple[int, int]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.sampled_from(sizes).flatmap(
        lambda size: st.fixed_dictionaries(
            {"width": st.just(size[0]), "height": st.just(size[1])},
            optional={
                "colorDepth": st.sampled_from([24, 30, 32]),
                "pixelRatio": st.sampled_from([1, 1.25, 1.5, 2, 3]),
                "orientation": st.just("landscape" if size[0] > size[1] else "portrait"),
            },
        )
    )


@st.composite
def _web_context(draw: st.DrawFn, vocab: Vocabulary) -> dict[str, Any]:
    url = draw(_page_url(vocab))
    address: dict[str, Any] = {"url": url}
    if draw(st.booleans()):
        address["referringUrl"] = draw(text.urls())
    context: dict[str, Any] = {"channel": "web", "address": address}
    agent, hints = draw(st.sampled_from(USER_AGENTS))
    width, height = draw(st.sampled_from(SCREENS))
    optional: dict[str, st.SearchStrategy[Any]] = {
        "userAgent": st.just(agent),
        "browser": st.fixed_dictionaries(
            {"host": st.just(urlsplit(url).hostname or "localhost")},
            optional={
                "language": st.sampled_from(LANGUAGES),
                "webGLRenderer": st.sampled_from(RENDERERS),
            },
        ),
        "screen": _screen([(width, height)]),
        # The viewport: the screen less a scroll bar and the browser's chrome.
        "window": st.just({"width": width - 17, "height": height - 120}).map(dict),
        "timeOffsetInMinutes": st.sampled_from(TIME_OFFSETS),
    }
    if hints is not None:
        optional["clientHints"] = st.just(hints).map(dict)
    context.update(draw(st.fixed_dictionaries({}, optional=optional)))
    return context


@st.composite
def _mobile_context(draw: st.DrawFn) -> dict[str, Any]:
    platform = draw(st.sampled_from(sorted(MOBILE_DEVICES)))
    device_type, device = draw(st.sampled_from(MOBILE_DEVICES[platform]))
    word = draw(text.faked(lambda f: f.domain_word()))
    app = "".join(c for c in word.lower() if c.isascii() and c.isalnum()) or "shop"
    context: dict[str, Any] = {
        "channel": "mobile",
        "mobilePlatform": {"platformType": platform, "deviceType": device_type},
        "application": {"id": f"com.{app}.app"},
    }
    if draw(st.booleans()):
        context["mobilePlatform"] |= {"deviceName": device, "version": draw(_version())}
    if draw(st.booleans()):
        context["application"] |= {"name": app.title(), "version": draw(_version())}
    context.update(
        draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "userAgent": st.just(MOBILE_AGENTS[platform]),
                    "screen": _screen(SCREENS[-2:]),
                    "timeOffsetInMinutes": st.sampled_from(TIME_OFFSETS),
                },
            )
        )
    )
    return context


def _version() -> st.SearchStrategy[str]:
    return st.tuples(st.integers(1, 20), st.integers(0, 9), st.integers(0, 9)).map(
        lambda v: ".".join(map(str, v))
    )


# -- request details -----------------------------------------------------------------------
def _parameter_value(values: Sequence[str]) -> st.SearchStrategy[str]:
    free = text.words()
    if not values:
        return free
    # As compared, in another case (conditions often read the ``_lc`` twin), or anything.
    known = st.sampled_from(list(values))
    return st.one_of(known, known.map(str.upper), known.map(str.title), free)


@lru_cache(maxsize=64)
def _parameters(vocab: Vocabulary) -> st.SearchStrategy[dict[str, str]]:
    """mbox parameters: those the artifact's conditions read, maybe a couple of others."""
    limits = _limits()
    known = {name: _parameter_value(values) for name, values in vocab.parameters}
    extra = st.dictionaries(
        st.sampled_from([name for name, _ in PARAMETERS]), _parameter_value(()), max_size=2
    )
    return st.tuples(st.fixed_dictionaries({}, optional=known), extra).map(
        lambda pair: dict(list({**pair[1], **pair[0]}.items())[: limits.parameters])
    )


@lru_cache(maxsize=64)
def _details(vocab: Vocabulary) -> dict[str, st.SearchStrategy[Any]]:
    """The optional parts of every location (page load, mbox, view, notification)."""
    return {
        "parameters": _parameters(vocab),
        "profileParameters": st.fixed_dictionaries(
            {},
            optional={
                "favoriteColor": st.sampled_from(["blue", "green", "red"]),
                "membershipLevel": st.sampled_from(["gold", "silver"]),
                "city": text.faked(lambda f: f.city(), locales=text.LOCALES),
            },
        ),
        "address": _page_url(vocab).map(lambda url: {"url": url}),
        "order": st.fixed_dictionaries(
            {},
            optional={
                "id": st.integers(10**5, 10**9).map(lambda n: f"ORD-{n}"),
                "total": st.integers(0, 10**6).map(lambda cents: cents / 100),
                "purchasedProductIds": st.lists(
                    st.integers(1, 99999).map(lambda n: f"sku-{n}"), max_size=3
                ),
                "time": instants(),
            },
        ),
        "product": st.fixed_dictionaries(
            {},
            optional={
                "id": st.integers(1, 99999).map(lambda n: f"sku-{n}"),
                "categoryId": st.sampled_from(["shoes", "outdoor", "kitchen"]),
            },
        ),
    }


def _located(
    vocab: Vocabulary, required: Mapping[str, st.SearchStrategy[Any]] | None = None
) -> st.SearchStrategy[dict[str, Any]]:
    """A page load or mbox request: ``required`` plus any of the optional details."""
    return st.fixed_dictionaries(dict(required or {}), optional=_details(vocab))


@lru_cache(maxsize=64)
def _mbox_names(known: tuple[str, ...]) -> st.SearchStrategy[str]:
    """Names among ``known``, and one in five a name not among them (which Target answers
    without options); the known ones come first, so examples shrink towards them."""
    unknown = st.one_of(st.sampled_from(MBOX_NAMES), text.faked(lambda f: f.slug())).filter(
        lambda n: n not in known
    )
    if not known:
        return unknown
    named = st.sampled_from(known)
    return st.integers(0, 4).flatmap(lambda n: unknown if n == 4 else named)


@st.composite
def _mboxes(draw: st.DrawFn, vocab: Vocabulary, max_size: int = 4) -> list[dict[str, Any]]:
    names = draw(st.lists(_mbox_names(vocab.mboxes), min_size=1, max_size=max_size))
    # Distinct 1-based indexes, not always in order: the answer must follow the index.
    indexes = draw(st.permutations(range(1, len(names) + 1)))
    return [
        draw(_located(vocab, {"index": st.just(index), "name": st.just(name)}))
        for index, name in zip(indexes, names, strict=True)
    ]


def _views(vocab: Vocabulary) -> st.SearchStrategy[list[dict[str, Any]]]:
    named = st.sampled_from(vocab.views)
    view: st.SearchStrategy[dict[str, Any]] = st.one_of(
        st.builds(dict),  # every view, as at.js asks on start
        st.fixed_dictionaries(
            {"name": named},
            optional={
                "key": st.integers(1, 999).map(lambda n: f"/p/{n}"),
                "parameters": _parameters(vocab),
            },
        ),
    )
    return st.lists(view, min_size=1, max_size=3)


@st.composite
def _execute(draw: st.DrawFn, vocab: Vocabulary) -> dict[str, Any]:
    parts = draw(st.sets(st.sampled_from(["pageLoad", "mboxes"]), min_size=1))
    execute: dict[str, Any] = {}
    if "pageLoad" in parts:
        execute["pageLoad"] = draw(_located(vocab))
    if "mboxes" in parts:
        execute["mboxes"] = draw(_mboxes(vocab))
    return execute


@st.composite
def _prefetch(draw: st.DrawFn, vocab: Vocabulary) -> dict[str, Any]:
    parts = draw(st.sets(st.sampled_from(["pageLoad", "views", "mboxes"]), min_size=1))
    prefetch: dict[str, Any] = {}
    if "pageLoad" in parts:
        prefetch["pageLoad"] = draw(_located(vocab))
    if "views" in parts:
        prefetch["views"] = draw(_views(vocab))
    if "mboxes" in parts:
        prefetch["mboxes"] = draw(_mboxes(vocab))
    return prefetch


def _event_tokens(vocab: Vocabulary) -> st.SearchStrategy[str]:
    # Target's tokens are base64 of an opaque binary value.
    made = st.binary(min_size=16, max_size=64).map(lambda b: base64.b64encode(b).decode())
    if not vocab.event_tokens:
        return made
    return st.one_of(st.sampled_from(vocab.event_tokens), made)


_TIMESTAMPS = st.integers(1_577_836_800_000, 4_102_444_799_999)  # 2020 to 2099, in ms


@st.composite
def _notification(draw: st.DrawFn, vocab: Vocabulary) -> dict[str, Any]:
    notification: dict[str, Any] = {
        "id": str(draw(st.uuids())),
        "type": draw(st.sampled_from(["display", "click"])),
        "timestamp": draw(_TIMESTAMPS),
        "tokens": draw(st.lists(_event_tokens(vocab), min_size=1, max_size=3)),
    }
    where = draw(st.sampled_from(["mbox", "view", "pageLoad"]))
    if where == "mbox":
        limit = _limits().notified_mbox_name
        short = tuple(n for n in vocab.mboxes if len(n) <= limit)
        notification["mbox"] = {"name": draw(_mbox_names(short))}
    elif where == "view":
        notification["view"] = {"name": draw(st.sampled_from(vocab.views))}
    else:
        notification["pageLoad"] = {}
    if draw(st.booleans()):
        notification["impressionId"] = draw(_hex(32))
    extra = draw(
        st.fixed_dictionaries(
            {}, optional={k: _details(vocab)[k] for k in ("parameters", "address")}
        )
    )
    return notification | extra


def _notifications(vocab: Vocabulary) -> st.SearchStrategy[list[dict[str, Any]]]:
    return st.lists(_notification(vocab), min_size=1, max_size=3, unique_by=lambda n: n["id"])


def _experience_cloud() -> st.SearchStrategy[dict[str, Any]]:
    size = _limits().supplemental_data_id
    half = (size - 1) // 2
    sdid = st.tuples(_hex(half), _hex(size - 1 - half)).map(lambda p: f"{p[0]}-{p[1]}".upper())
    return st.fixed_dictionaries(
        {},
        optional={
            "analytics": st.fixed_dictionaries(
                {"logging": st.sampled_from(["server_side", "client_side"])},
                optional={
                    "supplementalDataId": sdid,
                    "trackingServer": st.just("demo.sc.omtrdc.net"),
                    "trackingServerSecure": st.just("demo.sc.omtrdc.net"),
                },
            ),
            "audienceManager": st.fixed_dictionaries(
                {"locationHint": st.integers(1, 12)},
                optional={"blob": st.binary(min_size=8, max_size=48).map(_b64)},
            ),
        },
    )


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _property_tokens(vocab: Vocabulary) -> st.SearchStrategy[str]:
    made = st.uuids().map(str)
    return (
        st.one_of(st.sampled_from(vocab.property_tokens), made) if vocab.property_tokens else made
    )


@st.composite
def _request(draw: st.DrawFn, vocab: Vocabulary) -> Body:
    channel = draw(st.sampled_from(["web", "mobile"]))
    body: Body = {"context": draw(_web_context(vocab) if channel == "web" else _mobile_context())}
    visitor = draw(_visitor_ids())
    if bool(visitor) or draw(st.booleans()):
        body["id"] = visitor  # a first call may send no id, or an empty one
    parts = draw(st.sets(st.sampled_from(["execute", "prefetch", "notifications"]), min_size=1))
    if "execute" in parts:
        body["execute"] = draw(_execute(vocab))
    if "prefetch" in parts:
        body["prefetch"] = draw(_prefetch(vocab))
    if "notifications" in parts:
        body["notifications"] = draw(_notifications(vocab))
        if parts == {"notifications"} and draw(st.booleans()):
            # at.js sends notifications alone through navigator.sendBeacon: answered 204.
            body["context"]["beacon"] = True
    body.update(
        draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "requestId": st.uuids(version=4).map(str),
                    "property": _property_tokens(vocab).map(lambda t: {"token": t}),
                    "experienceCloud": _experience_cloud(),
                    "trace": text.faked(lambda f: f.sha1()).map(
                        lambda t: {"authorizationToken": t}
                    ),
                },
            )
        )
    )
    return body


def delivery_requests(artifact: Mapping[str, Any] | None = None) -> st.SearchStrategy[Body]:
    """Bodies for ``POST /rest/v1/delivery`` as Adobe's SDKs send them, each valid against
    the DeliveryRequest schema.

    Each has a web or mobile ``context``, maybe a visitor ``id``, and at least one of
    ``execute`` (page load, mboxes), ``prefetch`` (page load, views, mboxes) and
    ``notifications``; mboxes of one list have distinct 1-based indexes, not always in
    order. With ``artifact`` (a ``rules.json``), mbox and view names, mbox parameters, page
    paths, event tokens and property tokens come from it, and one mbox in five is one the
    artifact does not know. Notifications sent alone may carry ``context.beacon: true``,
    which Target answers with 204 and no body.

    >>> artifact = requests.get(url + "/demo/production/v1/rules.json").json()   # doctest: +SKIP
    >>> delivery_requests(artifact).example()   # doctest: +SKIP
    {'context': {'channel': 'web', 'address': {'url': 'https://www.example.com/sale'},
                 'userAgent': 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) ...'},
     'id': {'tntId': '338e3c1e51f7416a8e1ccba4f81acea0.35_0'},
     'execute': {'mboxes': [{'index': 1, 'name': 'welcome-message',
                             'parameters': {'loyalty': 'GOLD'}}]}}
    """
    return _request(vocabulary(artifact))


# -- invalid requests ----------------------------------------------------------------------
Mutation = Callable[[st.DrawFn, Body, Vocabulary], str]
"""Breaks ``body`` in place and returns the pointer of what it broke."""

RULES = (
    "/context",
    "/context/channel",
    "/context/mobilePlatform/platformType",
    "/context/screen/orientation",
    "/context/timeOffsetInMinutes",
    "/context/userAgent",
    "/context/beacon",
    "/id/tntId",
    "/id/customerIds/*/authenticatedState",
    "/id/customerIds/*/integrationCode",
    "/execute/mboxes",
    "/execute/mboxes/*/name",
    "/execute/mboxes/*/index",
    "/execute/mboxes/*/parameters",
    "/execute/mboxes/*/parameters/*",
    "/execute/pageLoad/order/total",
    "/execute/pageLoad/order/time",
    "/prefetch/mboxes/*/name",
    "/prefetch/mboxes/*/index",
    "/prefetch/views/*/name",
    "/notifications/*/id",
    "/notifications/*/type",
    "/notifications/*/timestamp",
    "/notifications/*/tokens",
    "/notifications/*/mbox/name",
    "/property/token",
    "/requestId",
    "/experienceCloud/analytics/logging",
    "/experienceCloud/analytics/supplementalDataId",
    "/experienceCloud/audienceManager/locationHint",
    "/trace/authorizationToken",
)
"""What :func:`invalid_delivery_requests` breaks: JSON pointer patterns, ``*`` standing for
an array index (or, last in ``parameters/*``, a parameter name)."""

_MISSING = object()
"""A value that means "remove the member" in :func:`_set`."""


def _container(body: Body, *path: str) -> dict[str, Any]:
    """The object at ``path``, made (empty) where missing: a valid place to break."""
    node = body
    for key in path:
        node = node.setdefault(key, {})
    return node


def _set(node: dict[str, Any], key: str, value: Any) -> None:
    if value is _MISSING:
        node.pop(key, None)
    else:
        node[key] = value


def _item(draw: st.DrawFn, items: list[Any], make: st.SearchStrategy[Any]) -> int:
    """An element of ``items`` to break: an existing one, or a valid new one appended."""
    if bool(items) and draw(st.booleans()):
        index: int = draw(st.integers(0, len(items) - 1))
        return index
    items.append(draw(make))
    return len(items) - 1


def _next_index(mboxes: list[dict[str, Any]]) -> int:
    return max((m["index"] for m in mboxes), default=0) + 1


def _mbox_item(
    draw: st.DrawFn, body: Body, vocab: Vocabulary, mode: str
) -> tuple[dict[str, Any], str]:
    mboxes = _container(body, mode).setdefault("mboxes", [])
    fresh = _located(
        vocab, {"index": st.just(_next_index(mboxes)), "name": st.sampled_from(vocab.mboxes)}
    )
    at = _item(draw, mboxes, fresh)
    return mboxes[at], f"/{mode}/mboxes/{at}"


def _break_mbox(mode: str, key: str, values: Sequence[Any]) -> Mutation:
    def mutate(draw: st.DrawFn, body: Body, vocab: Vocabulary) -> str:
        mbox, at = _mbox_item(draw, body, vocab, mode)
        _set(mbox, key, draw(st.sampled_from(values)))
        return f"{at}/{key}"

    return mutate


def _break_context(key: str, values: Sequence[Any]) -> Mutation:
    def mutate(draw: st.DrawFn, body: Body, vocab: Vocabulary) -> str:
        _set(body["context"], key, draw(st.sampled_from(values)))
        return f"/context/{key}"

    return mutate


def _break_member(path: Sequence[str], key: str, values: Sequence[Any]) -> Mutation:
    """Set ``key`` of the object at ``path`` (made where missing) to one of ``values``."""

    def mutate(draw: st.DrawFn, body: Body, vocab: Vocabulary) -> str:
        _set(_container(body, *path), key, draw(st.sampled_from(values)))
        return contracts.pointer([*path, key])

    return mutate


def _without_context(draw: st.DrawFn, body: Body, vocab: Vocabulary) -> str:
    value = draw(st.sampled_from([_MISSING, "web", None, []]))
    _set(body, "context", value)
    return "/context"


def _mobile_platform(draw: st.DrawFn, body: Body, vocab: Vocabulary) -> str:
    if body["context"]["channel"] != "mobile":
        body["context"] = draw(_mobile_context())
    platform = draw(st.sampled_from([_MISSING, "windows", "iOS", "Android", "tvos"]))
    _set(body["context"]["mobilePlatform"], "platformType", platform)
    return "/context/mobilePlatform/platformType"


def _orientation(draw: st.DrawFn, body: Body, vocab: Vocabulary) -> str:
    screen = body["context"].setdefault("screen", {"width": 1920, "height": 1080})
    screen["orientation"] = draw(st.sampled_from(["upside-down", "Portrait", "landscape-left"]))
    return "/context/screen/orientation"


def _customer_item(draw: st.DrawFn, body: Body) -> tuple[dict[str, Any], str]:
    customers = _container(body, "id").setdefault("customerIds", [])
    fresh = st.fixed_dictionaries(
        {
            "id": st.integers(1, 10**6).map(str),
            "integrationCode": st.sampled_from(INTEGRATION_CODES),
            "authenticatedState": st.just("authenticated"),
        }
    )
    at = _item(draw, customers, fresh)
    return customers[at], f"/id/customerIds/{at}"


def _authenticated_state(draw: st.DrawFn, body: Body, vocab: Vocabulary) -> str:
    customer, at = _customer_item(draw, body)
    # XDM's spelling, upper case, or nothing: mistakes a port from other Adobe APIs makes.
    state = draw(st.sampled_from([_MISSING, "loggedOut", "AUTHENTICATED", "ambiguous"]))
    _set(customer, "authenticatedState", state)
    return f"{at}/authenticatedState"


def _integration_code(draw: st.DrawFn, body: Body, vocab: Vocabulary) -> str:
    customer, at = _customer_item(draw, body)
    too_long = "c" * (_limits().integration_code + 1)
    _set(customer, "integrationCode", draw(st.sampled_from([_MISSING, too_long, 7])))
    return f"{at}/integrationCode"


def _mboxes_shape(draw: st.DrawFn, body: Body, vocab: Vocabulary) -> str:
    execute = _container(body, "execute")
    if draw(st.booleans()):
        # Keyed by name instead of a list: what a hand-written client sends first.
        execute["mboxes"] = {name: {"parameters": {}} for name in vocab.mboxes[:2]}
    else:
        count = _limits().mboxes + 1
        names = draw(st.lists(st.sampled_from(vocab.mboxes), min_size=count, max_size=count))
        execute["mboxes"] = [{"index": i, "name": n} for i, n in enumerate(names, start=1)]
    return "/execute/mboxes"


def _too_many_parameters(draw: st.DrawFn, body: Body, vocab: Vocabulary) -> str:
    mbox, at = _mbox_item(draw, body, vocab, "execute")
    if draw(st.booleans()):
        count = _limits().parameters + 1
        mbox["parameters"] = {f"p{n}": str(n) for n in range(count)}
    else:
        # An empty name breaks ``propertyNames``: the error is the object's, not the name's.
        kept = list(mbox.get("parameters", {}).items())[: _limits().parameters - 1]
        mbox["parameters"] = {**dict(kept), "": "x"}
    return f"{at}/parameters"


def _parameter_type(draw: st.DrawFn, body: Body, vocab: Vocabulary) -> str:
    mbox, at = _mbox_item(draw, body, vocab, "execute")
    parameters = mbox.setdefault("parameters", {})
    names = sorted({*parameters, *(name for name, _ in vocab.parameters), "quantity"})
    if len(parameters) >= _limits().parameters:
        names = sorted(parameters)  # one more would break maxProperties as well
    name = draw(st.sampled_from(names))
    # Numbers and booleans are what callers pass when they forget parameters are strings.
    parameters[name] = draw(st.sampled_from([3, 19.99, True, None, ["a"], {"b": "c"}]))
    return f"{at}/parameters/{contracts.pointer([name])[1:]}"


def _order(key: str, values: Sequence[Any]) -> Mutation:
    def mutate(draw: st.DrawFn, body: Body, vocab: Vocabulary) -> str:
        page = _container(body, "execute", "pageLoad")
        page["order"] = {**page.get("order", {}), key: draw(st.sampled_from(values))}
        return f"/execute/pageLoad/order/{key}"

    return mutate


def _view_name(draw: st.DrawFn, body: Body, vocab: Vocabulary) -> str:
    views = _container(body, "prefetch").setdefault("views", [])
    at = _item(draw, views, st.sampled_from(vocab.views).map(lambda n: {"name": n}))
    views[at]["name"] = draw(st.sampled_from(["v" * (_limits().view_name + 1), 1, None]))
    return f"/prefetch/views/{at}/name"


def _break_notification(key: str, values: Sequence[Any]) -> Mutation:
    def mutate(draw: st.DrawFn, body: Body, vocab: Vocabulary) -> str:
        notifications = body.setdefault("notifications", [])
        at = _item(draw, notifications, _notification(vocab))
        _set(notifications[at], key, draw(st.sampled_from(values)))
        return f"/notifications/{at}/{key}"

    return mutate


def _notification_mbox(draw: st.DrawFn, body: Body, vocab: Vocabulary) -> str:
    notifications = body.setdefault("notifications", [])
    at = _item(draw, notifications, _notification(vocab))
    notifications[at]["mbox"] = {"name": ""}
    return f"/notifications/{at}/mbox/name"


def _choices() -> list[tuple[str, Mutation]]:
    limits = _limits()
    long_id = "0" * (limits.visitor_id - 4) + ".35_0"  # one over, still shaped like one
    sdid_short = "A" * (limits.supplemental_data_id - 1)
    return [
        ("/context", _without_context),
        ("/context/channel", _break_context("channel", [_MISSING, "tv", "WEB", "desktop", 1])),
        ("/context/mobilePlatform/platformType", _mobile_platform),
        ("/context/screen/orientation", _orientation),
        ("/context/timeOffsetInMinutes", _break_context("timeOffsetInMinutes", ["+02:00", None])),
        (
            "/context/userAgent",
            _break_context("userAgent", ["M" * (limits.user_agent + 1), 5, ["Mozilla/5.0"]]),
        ),
        ("/context/beacon", _break_context("beacon", ["true", 1])),
        ("/id/tntId", _break_member(["id"], "tntId", [42, long_id, None])),
        ("/id/customerIds/*/authenticatedState", _authenticated_state),
        ("/id/customerIds/*/integrationCode", _integration_code),
        ("/execute/mboxes", _mboxes_shape),
        (
            "/execute/mboxes/*/name",
            _break_mbox("execute", "name", [_MISSING, "", 42, "m" * (limits.mbox_name + 1)]),
        ),
        ("/execute/mboxes/*/index", _break_mbox("execute", "index", [_MISSING, "1", 1.5, None])),
        ("/execute/mboxes/*/parameters", _too_many_parameters),
        ("/execute/mboxes/*/parameters/*", _parameter_type),
        ("/execute/pageLoad/order/total", _order("total", [-1, -0.01, "19.99"])),
        ("/execute/pageLoad/order/time", _order("time", ["yesterday", "2024-06-01", 1717200000])),
        ("/prefetch/mboxes/*/name", _break_mbox("prefetch", "name", [_MISSING, "", None])),
        ("/prefetch/mboxes/*/index", _break_mbox("prefetch", "index", [_MISSING, "2", 0.5])),
        ("/prefetch/views/*/name", _view_name),
        ("/notifications/*/id", _break_notification("id", [_MISSING, "", 7])),
        (
            "/notifications/*/type",
            _break_notification("type", [_MISSING, "impression", "Display", "view"]),
        ),
        (
            "/notifications/*/timestamp",
            _break_notification(
                "timestamp", [_MISSING, "2024-06-01T00:00:00Z", 1717200000000.5, None]
            ),
        ),
        ("/notifications/*/tokens", _break_notification("tokens", ["token", {"t": "x"}, None])),
        ("/notifications/*/mbox/name", _notification_mbox),
        ("/property/token", _break_member(["property"], "token", [_MISSING, "", 12])),
        ("/requestId", _break_member([], "requestId", [7, "r" * (limits.request_id + 1)])),
        (
            "/experienceCloud/analytics/logging",
            _break_member(["experienceCloud", "analytics"], "logging", ["both", "client-side"]),
        ),
        (
            "/experienceCloud/analytics/supplementalDataId",
            _break_member(["experienceCloud", "analytics"], "supplementalDataId", [sdid_short]),
        ),
        (
            "/experienceCloud/audienceManager/locationHint",
            _break_member(["experienceCloud", "audienceManager"], "locationHint", [0, "9", 1.5]),
        ),
        ("/trace/authorizationToken", _break_member(["trace"], "authorizationToken", [_MISSING])),
    ]


@st.composite
def _invalid(draw: st.DrawFn, vocab: Vocabulary, grouped: dict[str, list[Mutation]]) -> Labelled:
    _rule, mutate = pick_rule(draw, grouped)
    # A JSON round trip, not deepcopy: no part of the body may be shared with another draw
    # or with another part of itself (two ``{}`` views), or one change would break two.
    body: Body = json.loads(json.dumps(draw(_request(vocab))))
    body.get("context", {}).pop("beacon", None)  # a 204 would hide the 400's message
    at = mutate(draw, body, vocab)
    return body, at


def invalid_delivery_requests(
    artifact: Mapping[str, Any] | None = None, *, violating: Collection[str] | None = None
) -> st.SearchStrategy[Labelled]:
    """``(body, pointer)``: a Delivery API request that breaks one rule of the
    DeliveryRequest schema, and the JSON pointer of what it broke.

    Each body is a draw of :func:`delivery_requests` (same ``artifact``) with one change,
    so the schema finds exactly one error, at ``pointer``; Target (and the mock) answers
    400 with ``{"status": 400, "message": ...}`` naming that pointer. The rules are the
    pointer patterns in :data:`RULES` (``/context/channel``, ``/execute/mboxes/*/index``,
    ``/notifications/*/timestamp``...), each equally likely; ``violating={...}`` restricts
    the draws to some of them (``InvalidArgument`` for a pattern not in :data:`RULES`).

    >>> invalid_delivery_requests(violating={"/execute/mboxes/*/index"}).example()
    ... # doctest: +SKIP
    ({'context': {'channel': 'web', ...},
      'execute': {'mboxes': [{'index': '1', 'name': 'hero-banner'}]}},
     '/execute/mboxes/0/index')
    """
    return _invalid(vocabulary(artifact), select_rules(_choices(), violating))
