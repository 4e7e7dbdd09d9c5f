"""Regular expressions in the common subset of RE2 and PQL's ``matches``.

Both the list filter (``property=path~regex``) and PQL's ``matches`` run on RE2, which
refuses look-around, back-references and possessive quantifiers. Patterns are built from a
small grammar of constructs RE2 accepts, so every draw compiles and shrinks to a literal.
"""

from __future__ import annotations

from hypothesis import strategies as st

SPECIAL = frozenset("\\.^$|?*+()[]{}")

_LITERALS = st.sampled_from(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_@/#&~'éßü中.+*?()[]{}|^$\\"
)
_CLASSES = st.sampled_from(
    [".", r"\d", r"\w", r"\s", "[a-z]", "[A-Z0-9]", "[^ ]", "[aeiou]", r"[\-_.]", r"\pL"]
)
_QUANTIFIERS = st.sampled_from(["", "", "", "*", "+", "?", "{1,3}", "{2}", "*?", "+?"])


def escape(text: str) -> str:
    """A regex matching ``text`` literally (only RE2's metacharacters are escaped)."""
    return "".join("\\" + c if c in SPECIAL else c for c in text)


_atoms = st.one_of(_LITERALS.map(escape), _CLASSES)
_pieces = st.tuples(_atoms, _QUANTIFIERS).map("".join)
_sequences = st.lists(_pieces, min_size=1, max_size=5).map("".join)


@st.composite
def regexes(draw: st.DrawFn) -> str:
    """An RE2-compatible pattern: sequences, alternations, groups, classes and quantifiers."""
    branches = draw(st.lists(_sequences, min_size=1, max_size=3))
    body = "|".join(branches)
    if len(branches) > 1 or draw(st.booleans()):
        body = ("(?:" if draw(st.booleans()) else "(") + body + ")" + draw(_QUANTIFIERS)
    if draw(st.booleans()):
        body = ".*" + body + ".*"
    if draw(st.integers(0, 3)) == 0:
        body = "(?i)" + body
    return body
