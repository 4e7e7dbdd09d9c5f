"""Load generation shared by the HTTP benchmarks: CPU pinning, ``wrk``, and measuring servers
alternately so that machine noise hits them alike."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from typing import TypeVar

T = TypeVar("T")
Load = Callable[[str, int, int], T]
"""``load(url, seconds, connections)`` -> what it measured (requests per second, latencies)."""


def pinned(cpu: int, command: list[str]) -> list[str]:
    return ["taskset", "-c", str(cpu), *command] if shutil.which("taskset") else command


def pin_self(cpu: int) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {cpu})


def wrk(
    url: str,
    seconds: int,
    connections: int,
    *,
    headers: Mapping[str, str] | None = None,
    script: str | None = None,
) -> float:
    """Requests per second ``wrk`` (pinned to CPU 1) reaches; ``script`` is Lua (e.g. a POST);
    a non-2xx answer fails the run."""
    output = _run_wrk(url, seconds, connections, headers=headers, script=script)
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    assert match, output
    return float(match.group(1))


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk_latency(
    url: str, seconds: int, connections: int, *, script: str | None = None
) -> dict[int, float]:
    """The latency percentiles ``wrk --latency`` reports (50, 75, 90, 99), in ms: each request
    timed by wrk from writing it to reading the last byte of its answer."""
    output = _run_wrk(url, seconds, connections, script=script, extra=["--latency"])
    found = re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    assert len(found) == 4, output
    return {int(q): float(value) * _UNITS_MS[unit] for q, value, unit in found}


def _run_wrk(
    url: str,
    seconds: int,
    connections: int,
    *,
    headers: Mapping[str, str] | None = None,
    script: str | None = None,
    extra: list[str] | None = None,
) -> str:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", *(extra or [])]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    path = None
    if script is not None:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
            handle.write(script)
        path = handle.name
        command += ["-s", path]
    try:
        output = subprocess.run(
            pinned(1, [*command, url]), capture_output=True, text=True, check=True
        ).stdout
    finally:
        if path is not None:
            os.unlink(path)
    # Timed-out or failed requests are left out of wrk's figures: a run with any is no run.
    assert "Non-2xx" not in output and "Socket errors" not in output, output
    return output


def alternate(
    load: Load[T], urls: Mapping[str, str], rounds: int, seconds: int, connections: int
) -> dict[str, list[T]]:
    """Each server warmed up, then measured in turn for ``rounds`` rounds."""
    for url in urls.values():
        load(url, 1, connections)
    results: dict[str, list[T]] = {kind: [] for kind in urls}
    for _ in range(rounds):
        for kind, url in urls.items():
            results[kind].append(load(url, seconds, connections))
    return results
