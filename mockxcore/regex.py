"""Regular expressions from users -- property filters, PQL ``matches``/``like``, fault and
latency path patterns -- compiled with RE2.

RE2 matches in linear time, so no pattern or subject can stall the event loop; the price is
that look-around, back-references and possessive quantifiers are refused.
"""

from __future__ import annotations

from typing import Any

import re2

Regex = Any  # re2's compiled pattern; the package has no type hints
MAX_LENGTH = 2048


class RegexError(ValueError):
    """Why a pattern was refused (too long, or not RE2 syntax)."""


def compile_re2(pattern: str, *, ignore_case: bool = False, max_length: int = MAX_LENGTH) -> Regex:
    """``pattern`` compiled, with bounded memory; :class:`RegexError` when refused.

    >>> compile_re2("gold|silver").fullmatch("gold") is not None
    True
    >>> compile_re2("(?=look-ahead)")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    mockxcore.regex.RegexError: invalid perl operator: (?=
    """
    if len(pattern) > max_length:
        raise RegexError(f"it is longer than {max_length} characters")
    options = re2.Options()
    options.case_sensitive = not ignore_case
    options.max_mem = 8 << 20
    options.log_errors = False
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else "invalid"
        raise RegexError(
            reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
        ) from None
    except (UnicodeError, ValueError, TypeError) as exc:
        raise RegexError(str(exc)) from None
