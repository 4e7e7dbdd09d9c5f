"""Request bodies: integers past 64 bits are refused, whatever the formatting, and nothing else."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockxcore.jsonbody import LARGEST_INT, SMALLEST_INT, parse_json
from mockxcore.problems import Problem

big_or_small = st.one_of(
    st.integers(SMALLEST_INT, LARGEST_INT),
    st.integers(LARGEST_INT + 1, 10**30),
    st.integers(-(10**30), SMALLEST_INT - 1),
    st.integers(-(10**19), 10**20),  # around the edges
)
digit_text = st.from_regex(r"[-:,\[ ]?[0-9]{15,40}", fullmatch=True)
leaves = st.one_of(big_or_small, digit_text, st.floats(allow_nan=False, allow_infinity=False))
documents = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(digit_text, inner, max_size=4),
    max_leaves=12,
)


def out_of_range(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return not SMALLEST_INT <= value <= LARGEST_INT
    if isinstance(value, list):
        return any(out_of_range(v) for v in value)
    if isinstance(value, dict):
        return any(out_of_range(v) for v in value.values())
    return False


@given(documents, st.sampled_from([None, 0, 2]), st.sampled_from([(",", ":"), (", ", ": ")]))
def test_integers_past_64_bits_are_refused_exactly(
    document: Any, indent: int | None, separators: tuple[str, str]
) -> None:
    raw = json.dumps(document, indent=indent, separators=separators).encode()
    if out_of_range(document):
        with pytest.raises(Problem) as refused:
            parse_json(raw)
        assert refused.value.status == 400
        assert refused.value.slug == "number-out-of-range"
    else:
        assert parse_json(raw) == document


def test_a_marketing_cloud_id_is_text_not_a_number() -> None:
    ecid = "12345678901234567890123456789012345678"
    assert parse_json(f'{{"id": {{"marketingCloudVisitorId": "{ecid}"}}}}'.encode()) == {
        "id": {"marketingCloudVisitorId": ecid}
    }
