"""The two hot-path accelerators agree with the libraries they stand in front of.

The contracts' quick check (jsonschema-rs) must never call a request valid that jsonschema
refuses (and should agree when it is valid); ``logic.compile_logic`` must compute what
``jsonLogic`` computes, errors included.
"""

from __future__ import annotations

import copy
from functools import partial
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from json_logic import jsonLogic

from mockxcore.contracts import default
from mockxcore.target.artifact import OPERATORS
from mockxcore.target.logic import compile_logic

REQUEST = "https://ns.adobe.com/experience/target/delivery-request"
CONTRACTS = default()
CHECK = CONTRACTS.quick_check(REQUEST)

VALID: dict[str, Any] = {
    "requestId": "r-1",
    "id": {
        "tntId": "abc.35_0",
        "customerIds": [
            {"id": "c", "integrationCode": "crm", "authenticatedState": "authenticated"}
        ],
    },
    "property": {"token": "p"},
    "trace": {"authorizationToken": "t", "usage": {"a": "b"}},
    "context": {
        "channel": "web",
        "address": {"url": "https://a.com/", "referringUrl": "https://b.com/"},
        "geo": {"ipAddress": "10.0.0.1", "latitude": 1.5, "countryCode": "CH"},
        "screen": {"width": 1200, "orientation": "portrait"},
        "mobilePlatform": {"deviceType": "phone", "platformType": "ios"},
        "userAgent": "UA",
        "beacon": False,
    },
    "experienceCloud": {
        "analytics": {"logging": "client_side"},
        "audienceManager": {"locationHint": 3, "blob": "x"},
    },
    "execute": {
        "pageLoad": {"parameters": {"a": "1"}},
        "mboxes": [
            {
                "index": 1,
                "name": "m",
                "parameters": {"a.b": "c"},
                "order": {"id": "o", "total": 3.5, "time": "2024-01-01T00:00:00Z"},
            }
        ],
    },
    "prefetch": {"views": [{"name": "home", "key": "k"}], "mboxes": [{"index": 2, "name": "n"}]},
    "notifications": [
        {"id": "n1", "type": "display", "timestamp": 1, "tokens": ["t"], "mbox": {"name": "m"}}
    ],
}

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(-2, 2, allow_nan=False)
    | st.sampled_from(["", "web", "display", "x" * 130, "10.0.0.1", "2024-01-01T00:00:00Z"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["name", "index", "id", "type", "channel", "url", "x"]),
            inner,
            max_size=3,
        )
    ),
    max_leaves=6,
)


def _paths(node: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [at]
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_paths(value, (*at, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_paths(value, (*at, index)))
    return found


PATHS = [p for p in _paths(VALID) if p]


@given(
    st.lists(
        st.tuples(st.sampled_from(PATHS), st.sampled_from(["set", "drop"]), JSON),
        min_size=1,
        max_size=3,
    )
)
def test_the_quick_schema_check_agrees_with_jsonschema(edits: list[Any]) -> None:
    assert CHECK is not None
    request = copy.deepcopy(VALID)
    for path, action, value in edits:
        _edit(request, path, action, value)
    assert CHECK(request) == (not _walked(request))


def _has(node: Any, part: Any) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and part < len(node)


def _edit(request: Any, path: tuple[Any, ...], action: str, value: Any) -> None:
    """Replace (or drop) what ``path`` reaches, if earlier edits left it reachable."""
    node = request
    for part in path[:-1]:
        if not _has(node, part):
            return
        node = node[part]
    last = path[-1]
    if isinstance(node, dict) and action == "drop":
        node.pop(last, None)
    elif isinstance(node, dict) or _has(node, last):
        node[last] = value


EDGE_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    1.5,
    2.0,
    "",
    "x" * 33,
    "x" * 129,
    "x" * 5001,
    "tv",
    "10.0.0.300",
    "not-a-date",
    [],
    ["a"],
    [{}],
    {},
    {"x": 1},
    {"name": 1},
]


def test_every_single_edit_is_judged_as_jsonschema_judges_it() -> None:
    assert CHECK is not None
    for path in PATHS:
        for action, value in [("drop", None), *(("set", v) for v in EDGE_VALUES)]:
            request = copy.deepcopy(VALID)
            _edit(request, path, action, value)
            expected = not _walked(request)
            assert CHECK(request) == expected, (path, action, value)


def test_the_quick_check_accepts_the_full_example() -> None:
    assert CHECK is not None and CHECK(VALID)
    assert not _walked(VALID)


def _walked(request: Any) -> list[Any]:
    """jsonschema's own verdict: every error of a full walk (``validate`` asks CHECK first)."""
    return list(CONTRACTS.validator(REQUEST).iter_errors(request))


VARIABLES = [
    "allocation",
    "mbox.color",
    "mbox.size",
    "page.path",
    "user.browserVersion",
    "missing.var",
    "list.1",
    "name",
]
DATA = st.fixed_dictionaries(
    {
        "allocation": st.floats(0, 100, allow_nan=False),
        "mbox": st.fixed_dictionaries(
            {
                "color": st.sampled_from(["red", "", "Red"]),
                "size": st.sampled_from(["3", "10", "x", "2.5"]),
            }
        ),
        "page": st.fixed_dictionaries({"path": st.sampled_from(["/", "/sale", ""])}),
        "user": st.fixed_dictionaries({"browserVersion": st.sampled_from([-1, 118, None])}),
        "list": st.lists(st.integers(0, 5), max_size=3),
        "name": st.sampled_from(["x", "", None, 1, True]),
    }
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-1, 3)
    | st.sampled_from([0.0, 2.5, 3.0, 118.0])
    | st.sampled_from(["red", "", "3", "x", "/sale", "2.5"])
)
LOGIC = st.recursive(
    SCALARS | st.sampled_from(VARIABLES).map(lambda v: {"var": v}),
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(sorted(OPERATORS - {"var"})), st.lists(inner, max_size=3)).map(
            lambda pair: {pair[0]: pair[1]}
        ),
        st.tuples(st.sampled_from(["!", "!!", "var"]), inner).map(lambda pair: {pair[0]: pair[1]}),
        st.lists(inner, max_size=3),
    ),
    max_leaves=8,
)


def _outcome(run: Any) -> tuple[str, Any]:
    try:
        return ("value", run())
    except Exception as error:  # the same failure, raised by the same operator
        return ("error", type(error))


@given(LOGIC, DATA)
def test_compiled_conditions_compute_what_json_logic_computes(logic: Any, data: Any) -> None:
    compiled = compile_logic(logic)
    assert _outcome(lambda: compiled(data)) == _outcome(lambda: jsonLogic(logic, data))


EDGE_OPERANDS: list[Any] = [
    None,
    True,
    False,
    0,
    1,
    3,
    2.5,
    3.0,
    "",
    "3",
    "3.0",
    "x",
    "red",
    [],
    [3],
    {"var": "allocation"},
    {"var": "mbox.size"},
]


def test_every_comparison_of_edge_operands_agrees() -> None:
    data = {"allocation": 3.0, "mbox": {"size": "3"}}
    for operator in (
        "==",
        "!=",
        "===",
        "!==",
        "<",
        "<=",
        ">",
        ">=",
        "in",
        "+",
        "-",
        "*",
        "/",
        "%",
        "cat",
        "min",
        "max",
        "merge",
    ):
        for left in EDGE_OPERANDS:
            for right in EDGE_OPERANDS:
                logic = {operator: [left, right]}
                expected = _outcome(partial(jsonLogic, logic, data))
                assert _outcome(partial(compile_logic(logic), data)) == expected, logic
