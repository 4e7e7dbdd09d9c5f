"""Faker runs under Hypothesis's control: the same seed draws the same examples, and a
search shrinks to the same minimal example every time."""

from __future__ import annotations

from typing import Any

from faker import Faker
from hypothesis import Phase, find, given, seed, settings

from mockxcore.strategies import catalogs, faked, placements
from mockxcore.strategies.text import words


def draws(seed_value: int) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []

    @seed(seed_value)
    @settings(max_examples=5, database=None, phases=[Phase.generate])
    @given(catalogs())
    def collect(catalog: dict[str, Any]) -> None:
        seen.append(catalog)

    collect()
    return seen


def test_the_same_seed_replays_the_same_catalogs() -> None:
    first = draws(2024)
    assert len(first) == 5
    assert draws(2024) == first
    assert draws(7) != first


def test_faked_values_shrink_towards_seed_zero() -> None:
    """The simplest example is Faker's seed 0 in the first locale, and optional properties
    shrink away, so a failing example is reported in its plainest form."""
    simplest = find(words(), lambda word: True, settings=settings(database=None))
    fake = Faker("en_US")
    fake.seed_instance(0)
    assert simplest == fake.word()
    found = find(
        placements(),
        lambda p: "xdm:description" in p,
        settings=settings(database=None, max_examples=100),
    )
    assert set(found) == {"xdm:name", "xdm:channel", "xdm:componentType", "xdm:description"}


def test_faked_takes_any_faker_method() -> None:
    @settings(max_examples=5, database=None)
    @given(faked(lambda fake: fake.postcode(), locales=["nl_NL", "de_DE"]))
    def check(postcode: str) -> None:
        assert postcode.strip()

    check()
