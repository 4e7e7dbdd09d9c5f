"""Allocation against Adobe's own: a visitor must land in the same experience whether the mock
or the SDK decides."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from target_decisioning_engine.allocation_provider import TOTAL_BUCKETS, compute_allocation

from mockxcore.target import ids


def test_allocation_equals_the_sdks_over_a_sweep_of_visitors() -> None:
    """Enough visitors to land in nearly every one of the 10,000 buckets, so the shortcut for
    the SDK's rounding is checked against the SDK bucket by bucket."""
    values = set()
    for n in range(40_000):
        visitor = f"{n:032x}"
        ours = ids.allocation("demo", 4242, visitor)
        assert ours == compute_allocation("demo", 4242, visitor), visitor
        values.add(ours)
    assert len(values) > 0.95 * TOTAL_BUCKETS
    assert all(0 <= v < 100 for v in values)


BMP = st.characters(max_codepoint=0xFFFF, exclude_categories=["Cs"])
"""Characters up to U+FFFF: beyond, the Python SDK hashes code points where Target (and the
mock) hash UTF-16 code units (docs/target.md lists this difference)."""


@given(
    client=st.from_regex(r"[a-z0-9]{1,20}", fullmatch=True),
    activity=st.integers(min_value=0, max_value=2**31) | st.text(BMP, min_size=1, max_size=12),
    visitor=st.text(BMP, min_size=1, max_size=40),
)
def test_allocation_equals_the_sdks_for_any_ids(
    client: str, activity: object, visitor: str
) -> None:
    ours = ids.allocation(client, activity, visitor)
    assert ours == compute_allocation(client, activity, visitor)
