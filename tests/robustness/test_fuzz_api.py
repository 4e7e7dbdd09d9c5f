"""Schemathesis against the mock's own OpenAPI document (``/__admin/openapi.json``).

Every operation, with positive and negative data, the coverage phase's boundary values, and
stateful sequences along the document's links (create -> read -> patch -> delete). The checks:
no 5xx, every answer's status, media type, headers and body as documented, no request the
document forbids accepted, no secured operation served without a valid token (``--auth
tokens``), nothing readable after its delete.

Two kinds of operation stay out, because breaking the mock is their job: fault rules (a
``status`` rule answers the 5xx it is told to) and latency (a long delay stalls every call).
And one check: ``positive_data_acceptance``, because the repository's domain rules (unique
tag names, references that must exist, PQL, dates in order) refuse some schema-valid
requests with a 4xx naming the rule, as Adobe's does.

``SCHEMATHESIS_EXAMPLES`` sets the examples per operation (3 here; docs/reliability.md has
the deeper run).
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mockxcore import MockServer
from mockxcore.config import Config

TOKEN = "fuzz-token"


@pytest.mark.mockxcore(strict=False)
def test_schemathesis_finds_no_fault(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.txt"
    tokens.write_text(TOKEN + "\n")
    st = shutil.which("st", path=str(Path(sys.executable).parent)) or shutil.which("st")
    assert st is not None, "schemathesis is part of the test extra"
    config = Config(data=["demo"], auth="tokens", tokens_file=str(tokens), journal_size=100)
    with MockServer(config=config) as mock:
        run = subprocess.run(
            [
                st,
                "run",
                f"{mock.url}/__admin/openapi.json",
                "--checks",
                "all",
                "--exclude-checks",
                "positive_data_acceptance",
                "--exclude-path",
                "/__admin/faults",
                "--exclude-path",
                "/__admin/faults/{faultId}",
                "--exclude-path",
                "/__admin/latency",
                "--max-examples",
                os.environ.get("SCHEMATHESIS_EXAMPLES", "3"),
                "--seed",
                "1",
                "--workers",
                "1",
                "--no-color",
                "-H",
                f"Authorization: Bearer {TOKEN}",
                "-H",
                "x-api-key: fuzz",
                "-H",
                "x-gw-ims-org-id: fuzz@AdobeOrg",
                "-H",
                "x-sandbox-name: prod",
            ],
            capture_output=True,
            text=True,
            timeout=480,
            cwd=tmp_path,
        )
        health = mock.journal
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-6000:]
    tested = re.search(r"Tested: (\d+)", output)
    generated = re.search(r"(\d+) generated", output)
    assert tested and int(tested.group(1)) >= 50, output[-3000:]
    assert generated and int(generated.group(1)) >= 1000, output[-3000:]
    assert "Stateful" in output
    print(f"schemathesis: {tested.group(0)} operations, {generated.group(0)} test cases")
    assert all(entry["status"] < 500 for entry in health)
