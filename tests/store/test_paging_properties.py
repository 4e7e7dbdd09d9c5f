"""Property tests of list paging and filtering, through the repository core.

Any data set, any ``orderBy``, any ``limit``: following ``next`` cursors visits every instance
exactly once, in order, pages never split a run of equal first-key values, and ``total``
counts from the page on. Filters agree with a brute-force oracle written independently here.
"""

from __future__ import annotations

import functools
import itertools
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from mockxcore.auth import Caller
from mockxcore.config import Config
from mockxcore.state import MockState
from mockxcore.store.query import sort_key
from tests.support import TEST_ITEM

CALLER = Caller("prop@AdobeOrg", "prod", "tester", "tests")
PATHS = [
    "instanceId",
    "_instance.xdm:name",
    "_instance.xdm:priority",
    "_instance.xdm:status",
    "_instance.xdm:startDate",
    "_instance.xdm:score",
    "repo:createdDate",
]
NAMES = ["alpha", "Bravo", "charlie", "delta", "echo", "Zulu 2", "42", "2024-01-02"]
LABELS = ["red", "green", "Blue"]
BASE = datetime(2024, 1, 1, tzinfo=UTC)

dates = st.integers(0, 6).map(lambda d: (BASE + timedelta(days=d)).strftime("%Y-%m-%dT%H:%M:%SZ"))
items = st.fixed_dictionaries(
    {"xdm:name": st.sampled_from(NAMES)},
    optional={
        "xdm:priority": st.integers(0, 4),
        "xdm:status": st.sampled_from(["draft", "approved", "archived"]),
        "xdm:startDate": dates,
        "xdm:score": st.floats(-2, 2, allow_nan=False).map(lambda f: round(f, 1)),
        "xdm:enabled": st.booleans(),
        "xdm:labels": st.lists(st.sampled_from(LABELS), max_size=3),
    },
)
order_keys = st.lists(
    st.tuples(st.sampled_from(PATHS), st.booleans()),
    min_size=1,
    max_size=3,
    unique_by=lambda k: k[0],
)


def load(instances: list[dict[str, Any]]) -> tuple[Any, str]:
    state = MockState(Config())
    repo = state.repository
    repo.ensure_tenant(CALLER)
    cid = repo.store.containers(CALLER.tenant)[0].instance_id
    for instance in instances:
        repo.create(CALLER, cid, TEST_ITEM, {"_instance": instance, "_links": {}})
    return repo, cid


def value(record: Any, path: str) -> Any:
    if path == "instanceId":
        return record.instance_id
    if path == "repo:createdDate":
        return record.created
    return record.instance.get(path.split(".", 1)[1])


def expected_order(records: list[Any], keys: list[tuple[str, bool]]) -> list[Any]:
    def compare(a: Any, b: Any) -> int:
        for path, descending in keys:
            va, vb = value(a, path), value(b, path)
            if va is None or vb is None:
                if va is None and vb is None:
                    continue
                return 1 if va is None else -1  # missing last, in either direction
            ka, kb = sort_key(va), sort_key(vb)
            if ka != kb:
                result = -1 if ka < kb else 1
                return -result if descending else result
        return -1 if a.instance_id < b.instance_id else int(a.instance_id > b.instance_id)

    return sorted(records, key=functools.cmp_to_key(compare))


def pages(repo: Any, cid: str, params: dict[str, list[str]]) -> list[Any]:
    collected = []
    for _ in range(500):
        _query, page = repo.query(CALLER, cid, params, search=False)
        collected.append(page)
        if page.next_start is None:
            return collected
        params = {**params, "start": [page.next_start]}
    raise AssertionError("paging did not end")


@given(st.lists(items, max_size=25), order_keys, st.integers(1, 7))
def test_paging_visits_every_instance_once_in_order(
    instances: list[dict[str, Any]], keys: list[tuple[str, bool]], limit: int
) -> None:
    repo, cid = load(instances)
    order_by = ",".join(("-" if d else "+") + p for p, d in keys)
    params = {"schema": [TEST_ITEM], "orderBy": [order_by], "limit": [str(limit)]}
    got = pages(repo, cid, params)
    visited = [r for page in got for r in page.items]
    records = list(repo.store.records(CALLER.tenant, cid))
    assert [r.instance_id for r in visited] == [
        r.instance_id for r in expected_order(records, keys)
    ]
    first = keys[0][0]
    remaining = len(records)
    for page, following in itertools.pairwise(got):
        # Page boundaries never split a run of equal first-key values.
        assert value(page.items[-1], first) != value(following.items[0], first) or (
            sort_key(value(page.items[-1], first)) != sort_key(value(following.items[0], first))
        )
    for page in got:
        assert page.total == remaining
        remaining -= len(page.items)
        # limit is a hint: exceeded only by a single run that starts the page.
        if len(page.items) > limit:
            assert len({sort_key(value(r, first)) for r in page.items}) == 1


# -- filters against a brute-force oracle --------------------------------------------------
def oracle(instance: dict[str, Any], path: str, op: str | None, literal: str) -> bool:
    """A filter over an array tests its items: any item for a comparison, every item for
    ``!=``; a bare path needs at least one value (an empty array has none)."""
    v = instance.get(path)
    values = v if isinstance(v, list) else [] if v is None else [v]
    if op is None:
        return bool(values)
    if op == "!=":
        return all(not holds(x, path, "==", literal) for x in values)
    return any(holds(x, path, op, literal) for x in values)


def holds(v: Any, path: str, op: str, literal: str) -> bool:
    if op == "~":
        return isinstance(v, str) and re.fullmatch(literal, v, re.IGNORECASE) is not None
    if isinstance(v, bool):
        if literal not in ("true", "false"):
            return False
        a, b = v, literal == "true"
    elif path in ("xdm:priority", "xdm:score"):
        a, b = float(v), float(literal)
    elif path == "xdm:startDate":
        a = datetime.fromisoformat(v.replace("Z", "+00:00"))
        b = datetime.fromisoformat(literal.replace("Z", "+00:00"))
    else:
        a, b = v, literal
    return {"==": a == b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


filters = st.one_of(
    st.tuples(
        st.just("xdm:priority"),
        st.sampled_from(["==", "!=", "<", "<=", ">", ">="]),
        st.integers(-1, 5).map(str),
    ),
    st.tuples(
        st.just("xdm:score"),
        st.sampled_from(["<", ">=", "=="]),
        st.sampled_from(["0", "0.5", "-1.5"]),
    ),
    st.tuples(
        st.just("xdm:name"), st.sampled_from(["==", "!=", "<", ">="]), st.sampled_from(NAMES[:5])
    ),
    st.tuples(
        st.just("xdm:name"),
        st.just("~"),
        st.sampled_from(["a.*", ".*A.*", "bravo", "[cd].*", "\\d+"]),
    ),
    st.tuples(
        st.just("xdm:status"), st.sampled_from(["==", "!="]), st.sampled_from(["draft", "approved"])
    ),
    st.tuples(
        st.just("xdm:startDate"),
        st.sampled_from(["<", ">=", "=="]),
        st.sampled_from(["2024-01-03T00:00:00Z", "2024-01-03T01:00:00+01:00"]),
    ),
    st.tuples(st.sampled_from(["xdm:priority", "xdm:startDate"]), st.none(), st.just("")),
    st.tuples(
        st.just("xdm:enabled"),
        st.sampled_from(["==", "!=", "<", ">="]),
        st.sampled_from(["true", "false"]),
    ),
    st.tuples(st.just("xdm:labels"), st.sampled_from(["==", "!=", "<"]), st.sampled_from(LABELS)),
    st.tuples(st.just("xdm:labels"), st.just("~"), st.sampled_from(["b.*", "R.D", "gr"])),
    st.tuples(st.just("xdm:labels"), st.none(), st.just("")),
)


@given(st.lists(items, max_size=25), st.lists(filters, min_size=1, max_size=3))
def test_filters_equal_a_brute_force_filter(
    instances: list[dict[str, Any]], chosen: list[tuple[str, str | None, str]]
) -> None:
    repo, cid = load(instances)
    params = {
        "schema": [TEST_ITEM],
        "limit": ["1000"],
        "property": [f"_instance.{p}{op or ''}{lit}" for p, op, lit in chosen],
    }
    _query, page = repo.query(CALLER, cid, params, search=False)
    got = sorted(r.instance_id for r in page.items)
    want = sorted(
        r.instance_id
        for r in repo.store.records(CALLER.tenant, cid)
        if all(oracle(r.instance, p, op, lit) for p, op, lit in chosen)
    )
    assert got == want
    assert page.total == len(want)
