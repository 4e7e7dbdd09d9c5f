"""The SDK example in the README and in docs/target.md runs as written."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from mockxcore import MockServer

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.mockxcore(data="demo")
@pytest.mark.parametrize("document", ["README.md", "docs/target.md"])
def test_the_ten_line_sdk_example_runs_against_the_mock(
    mockxcore: MockServer, document: str
) -> None:
    path = ROOT / document
    found = re.search(r"<!-- sdk-example -->\n```python\n(.*?)```", path.read_text(), re.S)
    assert found, f"{document} lost its SDK example"
    code = found.group(1)
    assert len(code.strip().splitlines()) <= 10
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code.replace("http://127.0.0.1:4010", mockxcore.url), str(path), "exec"), {})
    assert printed.getvalue().startswith('<div class="hero"')
