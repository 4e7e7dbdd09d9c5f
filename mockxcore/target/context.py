"""What a rule sees: the context Target builds from a Delivery API request.

Rules are json-logic over one object: ``page`` and ``referring`` (URL parts, each with a
lower-cased ``_lc`` twin), ``mbox`` (the request's parameters, dotted names nested), ``user``
(browser, platform, locale and major version from the user agent, or from client hints when
the request has them), ``geo``, ``current_timestamp``/``current_time``/``current_day`` (from
the mock's clock) and ``allocation`` (per activity, added by the engine).

Field for field this is what Target's on-device engines compute, so an artifact means the same
thing here as in the SDK. Where Adobe's Python SDK 1.1.0 departs from Target (it ignores client
hints and ``browser.language``, and reads an mbox's own ``address`` for both page and referring
URL) we follow Target; ``docs/target.md`` lists these differences.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import ua_parser
from tld import get_tld

URL_PARTS = ("url", "path", "query", "fragment", "domain", "subdomain", "topLevelDomain")


def _split_host(url: str) -> tuple[str, str, str] | None:
    """(subdomain, registrable name, suffix) of a URL's host, by the public suffix list (the
    ``tld`` package, as Target's SDKs use), or None when it has no known suffix."""
    parsed = get_tld(url, as_object=True, fail_silently=True)
    if not parsed or isinstance(parsed, str):
        return None
    return str(parsed.subdomain), str(parsed.domain), str(parsed.tld)


def _url_parts(url: str) -> tuple[tuple[str, str], ...]:
    try:
        parsed = urlsplit(url)
    except ValueError:  # "http://[::1": kept as the text it is, with no parts to match
        return (("url", url), *((key, "") for key in URL_PARTS[1:]))
    parts = {
        "url": url,
        "path": parsed.path,
        "query": parsed.query,
        "fragment": parsed.fragment,
        "domain": parsed.netloc,
        "subdomain": "",
        "topLevelDomain": "",
    }
    host = _split_host(url) if url else None
    if host is not None:
        subdomain, name, suffix = host
        parts["domain"] = f"{name}.{suffix}"
        # Target drops a leading "www" from the subdomain ("www" -> "", "www2.shop" -> "2.shop").
        parts["subdomain"] = subdomain[3:] if subdomain.startswith("www") else subdomain
        parts["topLevelDomain"] = suffix
    return tuple(parts.items())


def url_context(url: Any) -> dict[str, Any]:
    """``page``/``referring``: URL parts plus ``_lc`` twins (shared: callers only read it)."""
    return _url_context(url if isinstance(url, str) else "")


@lru_cache(maxsize=4096)
def _url_context(url: str) -> dict[str, Any]:
    parts = dict(_url_parts(url))
    for key in URL_PARTS:
        parts[key + "_lc"] = parts[key].lower()
    return parts


# -- user agent and client hints -----------------------------------------------------------
_OS_NAMES = {"Mac OS X": "mac"}
_HINT_PLATFORMS = {"macOS": "mac", "Chrome OS": "Chrome OS", "Chromium OS": "Chrome OS"}
_HINT_BRANDS = (
    ("Microsoft Edge", "edge"),
    ("Opera", "opera"),
    ("Google Chrome", "chrome"),
    ("Brave", "brave"),
    ("Chromium", "chrome"),
)


@lru_cache(maxsize=2048)
def _from_user_agent(user_agent: str) -> tuple[str, str, int | None]:
    result = ua_parser.parse(user_agent)
    agent = result.user_agent
    family = agent.family if agent is not None and agent.family != "Other" else "Unknown"
    version: int | None = -1
    if agent is not None and agent.major:
        version = int(agent.major) if agent.major.isdigit() else None
    system = result.os
    os_family = system.family if system is not None and system.family != "Other" else "Unknown"
    return family.lower(), _OS_NAMES.get(os_family, os_family), version


def _brands(header: str) -> list[tuple[str, str]]:
    """``"Chromium";v="118", "Google Chrome";v="118"`` -> [(brand, version), ...]."""
    found = []
    for item in header.split(","):
        name, _, rest = item.strip().partition(";")
        version = rest.strip().removeprefix("v=").strip('"')
        found.append((name.strip().strip('"'), version))
    return found


def _from_client_hints(
    hints: dict[str, Any], fallback: tuple[str, str, int | None]
) -> tuple[str, str, int | None]:
    browser, platform, version = fallback
    header = hints.get("browserUAWithFullVersion") or hints.get("browserUAWithMajorVersion")
    if isinstance(header, str) and header:
        brands = dict(_brands(header))
        for brand, name in _HINT_BRANDS:
            if brand in brands:
                major = brands[brand].split(".")[0]
                browser, version = name, int(major) if major.isdigit() else None
                break
    hinted = hints.get("platform")
    if isinstance(hinted, str) and hinted:
        hinted = hinted.strip('"')
        platform = _HINT_PLATFORMS.get(hinted, hinted)
    return browser, platform, version


def user_context(context: dict[str, Any]) -> dict[str, Any]:
    user_agent = context.get("userAgent")
    parsed = _from_user_agent(user_agent if isinstance(user_agent, str) else "")
    hints = context.get("clientHints")
    if isinstance(hints, dict) and hints:
        parsed = _from_client_hints(hints, parsed)
    browser, platform, version = parsed
    locale = "en"
    language = (context.get("browser") or {}).get("language")
    if isinstance(language, str) and language.strip():
        locale = language.split(",")[0].split(";")[0].strip().split("-")[0].lower() or "en"
    return {
        "browserType": browser,
        "platform": platform,
        "locale": locale,
        "browserVersion": version,
    }


# -- geo, time, parameters -----------------------------------------------------------------
def geo_context(geo: dict[str, Any] | None) -> dict[str, Any]:
    geo = geo or {}
    return {
        "country": geo.get("countryCode"),
        "region": geo.get("stateCode"),
        "city": geo.get("city"),
        "latitude": geo.get("latitude"),
        "longitude": geo.get("longitude"),
    }


def time_context(now: datetime) -> dict[str, Any]:
    """Whole seconds (rounded up, as Target does), ``HHmm`` and ISO weekday, all in UTC."""
    utc = now.astimezone(UTC)
    seconds = math.ceil(utc.timestamp())
    return {
        "current_timestamp": seconds * 1000,
        "current_time": f"{utc.hour:02d}{utc.minute:02d}",
        "current_day": utc.isoweekday(),
    }


def _nest(parameters: dict[str, Any]) -> dict[str, Any]:
    """Dotted parameter names become nested objects, so ``mbox.a.b`` reads ``{"a.b": ...}``."""
    nested: dict[str, Any] = {}
    for key, value in parameters.items():
        if "." in key and ".." not in key and not key.startswith(".") and not key.endswith("."):
            *path, last = key.split(".")
            node = nested
            for part in path:
                child = node.get(part)
                if not isinstance(child, dict):
                    child = node[part] = {}
                node = child
            node[last] = value
        else:
            nested[key] = value
    return nested


def _with_lower_case(values: dict[str, Any]) -> dict[str, Any]:
    result = dict(values)
    for key, value in values.items():
        if isinstance(value, str):
            result[key + "_lc"] = value.lower()
        elif isinstance(value, dict):
            result[key] = _with_lower_case(value)
    return result


def mbox_context(parameters: Any) -> dict[str, Any]:
    if not isinstance(parameters, dict) or not parameters:
        return {}
    if "." not in "".join(parameters):  # no dotted name: nesting would only copy
        return _with_lower_case(parameters)
    return _with_lower_case(_nest(parameters))


def base_context(
    request: dict[str, Any], now: datetime, geo: dict[str, Any] | None
) -> dict[str, Any]:
    """The request-wide part of the context; ``mbox`` and ``allocation`` vary per rule."""
    context = request.get("context") or {}
    address = context.get("address") or {}
    built = time_context(now)
    built["user"] = user_context(context)
    built["page"] = url_context(address.get("url"))
    built["referring"] = url_context(address.get("referringUrl"))
    built["geo"] = geo_context(geo)
    return built
