"""What the ``mockxcore`` pytest fixture costs per test: set-up plus tear-down.

Runs 200 trivial tests that use the fixture in a real pytest session and reads pytest's own
per-phase durations; reports the median and p90 of setup + teardown. Target: median <= 30 ms.
For scale it also reports the same for a fixture that only opens and closes an aiohttp
``TestServer`` with an empty app (the floor of "a real server per test").

    python benchmarks/fixture_cost.py [--tests 200]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

TESTS = """
import pytest

@pytest.mark.parametrize("n", range({count}))
def test_mock(mockxcore, n):
    assert mockxcore.url

@pytest.fixture
def bare_server():
    import asyncio
    from aiohttp import web
    from mockxcore.testing.server import _LoopThread

    async def start():
        runner = web.AppRunner(web.Application())
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        return runner

    loop = _LoopThread.loop()
    runner = asyncio.run_coroutine_threadsafe(start(), loop).result()
    yield runner
    asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result()

@pytest.mark.parametrize("n", range({count}))
def test_bare(bare_server, n):
    assert bare_server
"""

PLUGIN = """
import json

durations = {}

def pytest_runtest_logreport(report):
    if report.when in ("setup", "teardown"):
        durations.setdefault(report.nodeid, 0.0)
        durations[report.nodeid] += report.duration

def pytest_sessionfinish(session):
    with open("durations.json", "w") as handle:
        json.dump(durations, handle)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "test_fixture_cost.py").write_text(TESTS.format(count=args.tests))
        (root / "timing_plugin.py").write_text(PLUGIN)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "timing_plugin",
                "-p",
                "no:cacheprovider",
                "test_fixture_cost.py",
            ],
            cwd=root,
            check=True,
            capture_output=True,
            env={"PYTHONPATH": folder, "PATH": "/usr/bin:/bin"},
        )
        durations = json.loads((root / "durations.json").read_text())
    for kind in ("mock", "bare"):
        values = sorted(v * 1000 for k, v in durations.items() if f"test_{kind}[" in k)
        print(
            f"{kind:>4}: median {statistics.median(values):6.2f} ms   "
            f"p90 {values[int(len(values) * 0.9)]:6.2f} ms   max {values[-1]:6.2f} ms   "
            f"over {len(values)} uses (setup + teardown)"
        )
    print("target: mockxcore fixture median <= 30 ms")


if __name__ == "__main__":
    main()
