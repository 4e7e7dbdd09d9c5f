"""Load generation shared by the HTTP benchmarks: CPU pinning, starting the servers, ``wrk``
(or an aiohttp client where it is missing), and measuring servers alternately so that machine
noise hits them alike."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
Load = Callable[[str, int, int], T]
"""``load(url, seconds, connections)`` -> what it measured (requests per second, latencies)."""


def pinned(cpu: int, command: list[str]) -> list[str]:
    return ["taskset", "-c", str(cpu), *command] if shutil.which("taskset") else command


def pin_self(cpu: int) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {cpu})


@contextmanager
def started(commands: Mapping[str, list[str]]) -> Iterator[dict[str, str]]:
    """The servers, each started pinned to CPU 0 and killed afterwards; yields each one's URL,
    the last word of the first line it prints."""
    processes: dict[str, subprocess.Popen[str]] = {}
    try:
        urls = {}
        for kind, command in commands.items():
            process = subprocess.Popen(pinned(0, command), stdout=subprocess.PIPE, text=True)
            processes[kind] = process
            assert process.stdout is not None
            urls[kind] = process.stdout.readline().split()[-1]
        yield urls
    finally:
        for process in processes.values():
            process.kill()


def python_script(name: str, *args: str) -> list[str]:
    """The command that runs one of the benchmark scripts beside this one."""
    return [sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), name), *args]


def throughput(
    *, headers: Mapping[str, str] | None = None, body: str | None = None
) -> tuple[str, Load[float]]:
    """The load generator for a throughput benchmark and its name: ``wrk`` if installed, else
    an aiohttp client. Each request is a GET with ``headers``, or a JSON POST of ``body``."""
    if shutil.which("wrk"):
        script = None
        if body is not None:
            script = (
                'wrk.method = "POST"\n'
                'wrk.headers["Content-Type"] = "application/json"\n'
                f"wrk.body = {json.dumps(body)}\n"
            )

        def with_wrk(url: str, seconds: int, connections: int) -> float:
            return wrk(url, seconds, connections, headers=headers, script=script)

        return "wrk", with_wrk

    def with_client(url: str, seconds: int, connections: int) -> float:
        return _client_load(url, seconds, connections, headers=headers, body=body)

    return "python aiohttp client", with_client


def _client_load(
    url: str,
    seconds: int,
    connections: int,
    *,
    headers: Mapping[str, str] | None,
    body: str | None,
) -> float:
    """Requests per second ``connections`` concurrent loops of an aiohttp client reach (pinned
    to CPU 1); a non-200 answer fails the run."""
    import aiohttp

    async def run() -> int:
        done = 0
        deadline = time.perf_counter() + seconds
        connector = aiohttp.TCPConnector(limit=connections)
        async with aiohttp.ClientSession(connector=connector, headers=headers) as session:

            async def loop() -> None:
                nonlocal done
                while time.perf_counter() < deadline:
                    if body is None:
                        answer = session.get(url)
                    else:
                        answer = session.post(
                            url, data=body, headers={"Content-Type": "application/json"}
                        )
                    async with answer as response:
                        assert response.status == 200
                        await response.read()
                    done += 1

            await asyncio.gather(*(loop() for _ in range(connections)))
        return done

    pin_self(1)
    return asyncio.run(run()) / seconds


def rounds_line(label: str, values: list[float]) -> str:
    """``label``, the median of ``values`` (requests per second) and each round's figure."""
    rounds = ", ".join(f"{v:.0f}" for v in values)
    return f"  {label:38s} {statistics.median(values):9.0f} req/s  (rounds: {rounds})"


def paired_ratio(numerator: list[float], denominator: list[float]) -> tuple[float, float, float]:
    """The median of the rounds' ratios ``numerator[i] / denominator[i]``, then the first and
    third quartiles of those ratios.

    Each round measures both servers back to back, so its ratio cancels part of the machine's
    speed at that moment, which on a shared VM swings by up to nearly half from one second to
    the next (figures in benchmarks/README.md)."""
    ratios = [n / d for n, d in zip(numerator, denominator, strict=True)]
    if len(ratios) < 2:
        return ratios[0], ratios[0], ratios[0]
    low, _, high = statistics.quantiles(ratios, n=4)
    return statistics.median(ratios), low, high


def ratio_line(mock: list[float], raw: list[float], target: str) -> str:
    """The paired ratio (:func:`paired_ratio`) of the mock's rounds to the raw server's, as the
    throughput scripts print it."""
    median, low, high = paired_ratio(mock, raw)
    label = "ratio mock/raw (median of rounds):"
    return f"  {label:38s} {median:9.2f}  (interquartile {low:.2f}-{high:.2f}; target {target})"


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
    """Each server warmed up, then measured in turn for ``rounds`` rounds, the order reversed
    every other round (A B, B A, ...) so that a machine slowing down or speeding up over a
    round does not favour whichever server goes first."""
    for url in urls.values():
        load(url, 1, connections)
    results: dict[str, list[T]] = {kind: [] for kind in urls}
    kinds = list(urls)
    for n in range(rounds):
        for kind in kinds if n % 2 == 0 else reversed(kinds):
            results[kind].append(load(urls[kind], seconds, connections))
    return results
