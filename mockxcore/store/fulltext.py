"""Full-text search: the analyzer, the ``q`` parser and an inverted index.

Text is analyzed the same way on both sides: Unicode-normalized, accents stripped, case-folded
and split into word tokens. In ``q``, whitespace and the special characters
``+ - = && || > < ! ( ) { } [ ] ^ " ~ * ? : /`` separate terms unless escaped with a backslash;
a term that analyzes to several tokens (``foo\\-bar``) matches them as a phrase, and a ``q``
wrapped in double quotes is one exact phrase (``"gold" "card"`` is not: its quotes close
inside it, so it is two terms).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

_WORD = re.compile(r"\w+")
SPECIAL = set('+-=&|><!(){}[]^"~*?:/')
MAX_TERMS = 32


def analyze(text: str) -> list[str]:
    """Normalize and tokenize.

    >>> analyze("Crème-Brûlée DELUXE")
    ['creme', 'brulee', 'deluxe']
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _WORD.findall(stripped.casefold())


@dataclass(frozen=True)
class TextQuery:
    """Parsed ``q`` + ``field`` + ``qop``; a term of several tokens is a phrase."""

    terms: tuple[tuple[str, ...], ...]
    fields: tuple[str, ...] = ()
    require_all: bool = False


def parse_q(q: str) -> list[tuple[str, ...]]:
    """Split ``q`` into analyzed terms.

    >>> parse_q('gold card')
    [('gold',), ('card',)]
    >>> parse_q(r'foo\\-bar baz')
    [('foo', 'bar'), ('baz',)]
    >>> parse_q('"Gold Card"')
    [('gold', 'card')]
    >>> parse_q('"gold" "card"')
    [('gold',), ('card',)]
    """
    stripped = q.strip()
    if _one_quoted_string(stripped):
        tokens = analyze(_unescape(stripped[1:-1]))
        return [tuple(tokens)] if tokens else []
    raw_terms: list[str] = []
    current: list[str] = []
    chars = iter(q)
    for char in chars:
        if char == "\\":
            escaped = next(chars, "")
            current.append(escaped)
        elif char.isspace() or char in SPECIAL:
            if current:
                raw_terms.append("".join(current))
                current = []
        else:
            current.append(char)
    if current:
        raw_terms.append("".join(current))
    terms = [tuple(analyze(t)) for t in raw_terms]
    return [t for t in terms if t]


def _one_quoted_string(text: str) -> bool:
    """Whether ``text`` is a single double-quoted string: it opens with a quote and its first
    unescaped quote after that is its last character."""
    if len(text) < 2 or text[0] != '"':
        return False
    escaped = False
    for position in range(1, len(text)):
        char = text[position]
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            return position == len(text) - 1
    return False


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def string_fields(value: Any, path: str) -> Iterable[tuple[str, str]]:
    """Every (path, string) inside a JSON value; array items share their array's path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, sub in value.items():
            yield from string_fields(sub, f"{path}.{key}")
    elif isinstance(value, list):
        for sub in value:
            yield from string_fields(sub, path)


@dataclass
class FullTextIndex:
    """token -> {instanceId: fields}, plus each document's token lists for phrase checks."""

    postings: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    documents: dict[str, dict[str, list[list[str]]]] = field(default_factory=dict)

    def add(self, instance_id: str, instance: dict[str, Any]) -> None:
        fields: dict[str, list[list[str]]] = {}
        for path, text in string_fields(instance, "_instance"):
            tokens = analyze(text)
            if not tokens:
                continue
            fields.setdefault(path, []).append(tokens)
            for token in tokens:
                self.postings.setdefault(token, {}).setdefault(instance_id, set()).add(path)
        self.documents[instance_id] = fields

    def remove(self, instance_id: str) -> None:
        fields = self.documents.pop(instance_id, {})
        for token_lists in fields.values():
            for tokens in token_lists:
                for token in tokens:
                    docs = self.postings.get(token)
                    if docs is not None:
                        docs.pop(instance_id, None)
                        if not docs:
                            del self.postings[token]

    def search(self, query: TextQuery) -> set[str]:
        """The instance ids that match ``query`` (any term, or all with ``require_all``)."""
        result: set[str] | None = None
        for term in query.terms:
            hits = self._term(term, query.fields)
            if query.require_all:
                result = hits if result is None else result & hits
                if not result:
                    return set()
            else:
                result = hits if result is None else result | hits
        return result or set()

    def _term(self, term: tuple[str, ...], fields: tuple[str, ...]) -> set[str]:
        def allowed(path: str) -> bool:
            return not fields or any(path == f or path.startswith(f + ".") for f in fields)

        candidates: set[str] | None = None
        for token in term:
            docs = self.postings.get(token, {})
            if fields:
                ids = {iid for iid, paths in docs.items() if any(allowed(p) for p in paths)}
            else:
                ids = set(docs)
            candidates = ids if candidates is None else candidates & ids
            if not candidates:
                return set()
        if candidates is None or len(term) == 1:
            return candidates or set()
        return {
            iid
            for iid in candidates
            if any(
                _contains(tokens, term)
                for path, lists in self.documents[iid].items()
                if allowed(path)
                for tokens in lists
            )
        }


def _contains(tokens: list[str], phrase: tuple[str, ...]) -> bool:
    width = len(phrase)
    return any(tuple(tokens[i : i + width]) == phrase for i in range(len(tokens) - width + 1))
