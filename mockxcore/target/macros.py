"""Campaign macros (``${campaign.id}``, ``${mbox.color}``...) in HTML and action content.

A macro names a key: ``campaign`` reads ``activity``, ``recipe`` reads ``experience``, only the
last two parts count and ``mbox`` parts are dropped (``${campaign.recipe.name}`` is
``experience.name``, ``${mbox.color}`` is ``color``). The key is looked up in the rule's meta,
then the request detail (``name``, ``index``, ``key``), then its parameters; an unknown macro
stays as written. Target's SDKs do exactly this, so content reads the same either way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

MACRO = re.compile(r"\$\{([a-zA-Z0-9_.]*?)\}", re.IGNORECASE)
_RENAMES = {"campaign": "activity", "recipe": "experience"}
_RENAME = re.compile("|".join(_RENAMES))


@lru_cache(maxsize=1024)
def key_of(written: str) -> str:
    key = _RENAME.sub(lambda m: _RENAMES[m.group(0)], written)
    parts = key.split(".")
    if len(parts) > 2:
        parts = parts[-2:]
    return ".".join(part for part in parts if part != "mbox")


def expand(text: str, *sources: Mapping[str, Any]) -> str:
    """``text`` with each macro replaced by the first source that has its key."""

    def replace(match: re.Match[str]) -> str:
        key = key_of(match.group(1))
        for source in sources:
            value = source.get(key)
            if value is not None:
                return str(value)
        return match.group(0)

    return MACRO.sub(replace, text)


def texts(options: Any) -> list[str]:
    """The macro-bearing texts of a consequence's options (HTML, and action contents)."""
    found: list[str] = []
    for option in options if isinstance(options, list) else []:
        if not isinstance(option, dict):
            continue
        content = option.get("content")
        if option.get("type") == "html" and isinstance(content, str):
            found.append(content)
        elif option.get("type") == "actions" and isinstance(content, list):
            found.extend(
                a["content"]
                for a in content
                if isinstance(a, dict) and isinstance(a.get("content"), str)
            )
    return found


def depends_on_request(options: Any, meta: Mapping[str, Any]) -> bool:
    """Whether some macro is not answered by the rule's own meta (so each request differs)."""
    return any(
        key_of(match.group(1)) not in meta or meta[key_of(match.group(1))] is None
        for text in texts(options)
        for match in MACRO.finditer(text)
    )
