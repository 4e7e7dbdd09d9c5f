"""Realistic text from Faker, with every random choice drawn by Hypothesis.

Faker on its own reads a global random generator, so a failing example could neither be
replayed from Hypothesis's database nor shrunk. Here each value is made by a Faker instance
re-seeded from a seed Hypothesis draws: the seed is part of the example, so examples replay
exactly and shrink (towards seed 0, the simplest locale, and the shortest alternatives).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from functools import cache
from typing import TypeVar

from faker import Faker
from hypothesis import strategies as st

T = TypeVar("T")

LOCALES = ("en_US", "fr_FR", "de_DE", "nl_NL", "es_ES", "ja_JP", "zh_CN")
"""Locales text is drawn from: accents and non-Latin scripts exercise search normalization."""

_local = threading.local()


def _faker(locale: str) -> Faker:
    # One Faker per locale and thread: building one costs tens of milliseconds, re-seeding
    # it costs microseconds, and a thread-local instance is never re-seeded under our feet.
    cache: dict[str, Faker] | None = getattr(_local, "fakers", None)
    if cache is None:
        cache = _local.fakers = {}
    found = cache.get(locale)
    if found is None:
        found = cache[locale] = Faker(locale)
    return found


def _run(produce: Callable[[Faker], T], locale: str, seed: int) -> T:
    fake = _faker(locale)
    fake.seed_instance(seed)
    return produce(fake)


def faked(
    produce: Callable[[Faker], T], *, locales: Sequence[str] = ("en_US",)
) -> st.SearchStrategy[T]:
    """Values made by ``produce(fake)`` with a Faker seeded from a Hypothesis draw.

    The building block of every realistic value in :mod:`mockxcore.strategies`; use it for
    your own fields so they replay and shrink like the rest.

    >>> faked(lambda fake: fake.catch_phrase()).example()   # doctest: +SKIP
    'Devolved non-volatile website'
    >>> faked(lambda f: f.city(), locales=LOCALES).example()   # doctest: +SKIP
    'Rotterdam'
    """
    if not locales:
        raise ValueError("faked() needs at least one locale")
    return st.builds(
        _run, st.just(produce), st.sampled_from(tuple(locales)), st.integers(0, 2**32 - 1)
    )


# Characters a hand-typed name may hold: any letter, digit, punctuation or space of any
# script. Surrogates cannot be encoded as JSON text and control characters are not typed.
_TYPED = st.characters(exclude_categories=["Cs", "Cc"])


@cache
def names(*, max_size: int = 120) -> st.SearchStrategy[str]:
    """Display names of business objects: mostly Faker phrases in several languages, now and
    then arbitrary typed text, so clients meet accents, CJK and odd punctuation.

    >>> names().example()   # doctest: +SKIP
    'Réclamer interroger feuille'
    """
    phrases = faked(
        lambda f: f.catch_phrase() if f.boolean() else f.sentence(nb_words=4).rstrip("."),
        locales=LOCALES,
    )
    typed = st.text(_TYPED, min_size=1, max_size=min(max_size, 40)).filter(lambda s: s.strip())
    return st.one_of(phrases, typed).map(lambda s: s[:max_size] or "x")


@cache
def words() -> st.SearchStrategy[str]:
    """Single words in several languages (tag names, characteristics, search terms).

    >>> words().example()   # doctest: +SKIP
    'colline'
    """
    return faked(lambda f: f.word(), locales=LOCALES)


@cache
def sentences() -> st.SearchStrategy[str]:
    """One sentence of Faker prose in one of :data:`LOCALES` (copylines, descriptions).

    >>> sentences().example()   # doctest: +SKIP
    'Frage Lehrer kein rechnen.'
    """
    return faked(lambda f: f.sentence(), locales=LOCALES)


@cache
def paragraphs() -> st.SearchStrategy[str]:
    """A short paragraph (descriptions): several sentences, always under 4096 characters.

    >>> paragraphs().example()   # doctest: +SKIP
    'Effort many last prepare. Political south...'
    """
    return faked(lambda f: f.paragraph(nb_sentences=3), locales=LOCALES)


@cache
def urls() -> st.SearchStrategy[str]:
    """Absolute http(s) URLs, sometimes with a path, as a link a marketer would paste.

    >>> urls().example()   # doctest: +SKIP
    'https://www.johnson-houston.biz/offers/spring-sale'
    """
    return faked(lambda f: f.url() + (f.uri_path() if f.boolean() else ""), locales=LOCALES)


@cache
def image_urls() -> st.SearchStrategy[str]:
    """URLs of images (``repo:resolveURL``, preview thumbnails).

    >>> image_urls().example()   # doctest: +SKIP
    'https://picsum.photos/209/650'
    """
    return faked(lambda f: f.image_url())


@cache
def emails() -> st.SearchStrategy[str]:
    """E-mail addresses (identity maps, profile attributes).

    >>> emails().example()   # doctest: +SKIP
    'ewilliams@example.org'
    """
    return faked(lambda f: f.email(), locales=LOCALES)


@cache
def file_names(extension: str) -> st.SearchStrategy[str]:
    """File names with ``extension`` (``repo:name`` of an asset).

    >>> file_names("png").example()   # doctest: +SKIP
    'political.png'
    """
    return faked(lambda f: f.file_name(extension=extension), locales=LOCALES)
