"""The SDK example in docs/target.md (the one the README shows) runs as written."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from mockxcore import MockServer

DOCS = Path(__file__).resolve().parents[2] / "docs" / "target.md"


@pytest.mark.mockxcore(data="demo")
def test_the_ten_line_sdk_example_runs_against_the_mock(mockxcore: MockServer) -> None:
    found = re.search(r"<!-- sdk-example -->\n```python\n(.*?)```", DOCS.read_text(), re.S)
    assert found, "docs/target.md lost its SDK example"
    code = found.group(1)
    assert len(code.strip().splitlines()) <= 10
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code.replace("http://127.0.0.1:4010", mockxcore.url), str(DOCS), "exec"), {})
    assert printed.getvalue().startswith('<div class="hero"')
