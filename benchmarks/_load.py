"""Load generation shared by the throughput benchmarks: CPU pinning, ``wrk``, and measuring
two servers alternately so that machine noise hits both alike."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping

Load = Callable[[str, int, int], float]
"""``load(url, seconds, connections)`` -> requests per second."""


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
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s"]
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
    assert "Non-2xx" not in output, output
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    assert match, output
    return float(match.group(1))


def alternate(
    load: Load, urls: Mapping[str, str], rounds: int, seconds: int, connections: int
) -> dict[str, list[float]]:
    """Each server warmed up, then measured in turn for ``rounds`` rounds."""
    for url in urls.values():
        load(url, 1, connections)
    results: dict[str, list[float]] = {kind: [] for kind in urls}
    for _ in range(rounds):
        for kind, url in urls.items():
            results[kind].append(load(url, seconds, connections))
    return results
