"""``mockxcore verify``: check a recorded journal against the contracts and the domain rules.

A recording is the JSON Lines that ``serve --record`` writes, or the JSON array
``GET /__admin/journal`` answers. Every request and every answer is checked against the
contracts, and the exchanges together against what clients of this API get wrong: writes
without ``If-Match``, retries before ``Retry-After``, deletes never polled to their outcome,
requests to another org's container, etags sent unquoted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import orjson

from mockxcore.conformance import Conformance, parse_body
from mockxcore.control import assertions

Entry = dict[str, Any]
_CONTAINER = re.compile(r"^/data/core/(?:xcore|ode)/(?!containers\b|deletions\b)([^/]+)/")
_ETAG_HEADERS = ("If-Match", "If-None-Match")
_CONTAINER_SCHEMA = "https://ns.adobe.com/experience/xcore/container"


@dataclass(frozen=True)
class Finding:
    severity: str
    """``error`` or ``warning``."""
    rule: str
    entry: int
    request: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "rule": self.rule,
            "entry": self.entry,
            "request": self.request,
            "message": self.message,
        }


def read(path: str | Path) -> list[Entry]:
    """A recording: JSON Lines, or one JSON array (a saved ``/__admin/journal``)."""
    raw = Path(path).read_bytes()
    stripped = raw.lstrip()
    if stripped.startswith(b"["):
        entries = orjson.loads(stripped)
    else:
        entries = [orjson.loads(line) for line in raw.splitlines() if line.strip()]
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ValueError(f"{path} is not a journal: expected entries (JSON objects)")
    return entries


def _request(entry: Entry) -> str:
    return f"{entry.get('method')} {entry.get('path')}"


def check(
    entries: Sequence[Entry], conformance: Conformance, *, if_match: str = "warning"
) -> list[Finding]:
    """Every finding in a recording, in journal order within each rule."""
    findings: list[Finding] = []
    for entry in entries:
        method, path = str(entry.get("method", "")), str(entry.get("path", ""))
        if path.startswith("/__admin"):
            continue
        headers = {str(k): str(v) for k, v in (entry.get("headers") or {}).items()}
        query = entry.get("query") or {}
        body = entry.get("body")
        # Journal bodies are parsed JSON already; text bodies stay text.
        for violation in conformance.check_request(
            method, path, query, headers, body, has_body=body is not None
        ):
            findings.append(
                Finding(
                    "error",
                    "contract-request",
                    entry["id"],
                    _request(entry),
                    f"{violation.pointer or '/'}: {violation.message}",
                )
            )
        status = entry.get("status")
        if isinstance(status, int):
            response_headers = {
                str(k): str(v) for k, v in (entry.get("responseHeaders") or {}).items()
            }
            response_body = entry.get("responseBody")
            if isinstance(response_body, str):
                response_body = parse_body(response_body)
            for violation in conformance.check_response(
                method, path, status, response_headers, response_body
            ):
                findings.append(
                    Finding(
                        "error",
                        "contract-response",
                        entry["id"],
                        _request(entry),
                        f"{status} {violation.pointer or '/'}: {violation.message}",
                    )
                )
        for name in _ETAG_HEADERS:
            value = assertions.header(entry, name)
            if (
                value is not None
                and value.strip() != "*"
                and not all(
                    tag.strip().removeprefix("W/").startswith('"') for tag in value.split(",")
                )
            ):
                findings.append(
                    Finding(
                        "error",
                        "unquoted-etag",
                        entry["id"],
                        _request(entry),
                        f'{name}: {value} -- etags are quoted strings, e.g. "3" (RFC 7232)',
                    )
                )
    if if_match != "off":
        for entry in assertions.writes_without_if_match(entries):
            findings.append(
                Finding(
                    if_match,
                    "if-match",
                    entry["id"],
                    _request(entry),
                    "a write without If-Match overwrites concurrent changes",
                )
            )
    for throttled, retry, waited in assertions.retry_after_ignored(entries):
        wait = next(
            (
                v
                for k, v in (throttled.get("responseHeaders") or {}).items()
                if k.lower() == "retry-after"
            ),
            "?",
        )
        findings.append(
            Finding(
                "error",
                "retry-after",
                retry["id"],
                _request(retry),
                f"retried {waited:.2f}s after #{throttled['id']} answered "
                f"{throttled['status']} with Retry-After: {wait}",
            )
        )
    for entry in assertions.deletes_not_polled(entries):
        findings.append(
            Finding(
                "error",
                "delete-not-polled",
                entry["id"],
                _request(entry),
                "the delete's status was never polled until its outcome",
            )
        )
    findings += _foreign_containers(entries)
    return findings


def _foreign_containers(entries: Iterable[Entry]) -> list[Finding]:
    """Requests naming a container that another org (or sandbox) was shown or created."""
    owner: dict[str, tuple[str, str]] = {}
    findings = []
    for entry in entries:
        tenant = (
            assertions.header(entry, "x-gw-ims-org-id") or "",
            assertions.header(entry, "x-sandbox-name") or "",
        )
        body = entry.get("responseBody")
        if isinstance(body, dict) and entry.get("status") in (200, 201):
            for container in (body.get("_embedded") or {}).get(_CONTAINER_SCHEMA, []):
                if isinstance(container, dict) and "instanceId" in container:
                    owner.setdefault(str(container["instanceId"]), tenant)
            if str(entry.get("path", "")).endswith("/containers") and "instanceId" in body:
                owner.setdefault(str(body["instanceId"]), tenant)
        match = _CONTAINER.match(str(entry.get("path", "")))
        if match and match.group(1) in owner and owner[match.group(1)] != tenant:
            org, sandbox = owner[match.group(1)]
            findings.append(
                Finding(
                    "error",
                    "foreign-container",
                    entry["id"],
                    _request(entry),
                    f"container {match.group(1)} belongs to {org}/{sandbox}, but the request "
                    f"came as {tenant[0] or '?'}/{tenant[1] or '?'}",
                )
            )
    return findings


# -- reports -------------------------------------------------------------------------------
def human(findings: Sequence[Finding], total: int) -> str:
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    lines = [f"{total} recorded requests: {errors} error(s), {warnings} warning(s)"]
    by_rule: dict[str, list[Finding]] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    for rule, group in sorted(by_rule.items()):
        lines.append(f"\n{rule} ({group[0].severity}): {len(group)}")
        lines += [f"  #{f.entry} {f.request}: {f.message}" for f in group]
    return "\n".join(lines) + "\n"


def as_json(findings: Sequence[Finding], total: int) -> str:
    counts = Counter(f.rule for f in findings)
    return (
        orjson.dumps(
            {
                "requests": total,
                "errors": sum(f.severity == "error" for f in findings),
                "warnings": sum(f.severity == "warning" for f in findings),
                "counts": dict(sorted(counts.items())),
                "findings": [f.to_dict() for f in findings],
            },
            option=orjson.OPT_INDENT_2,
        ).decode()
        + "\n"
    )


def junit(findings: Sequence[Finding], entries: Sequence[Entry]) -> str:
    """One test case per recorded request; errors fail it, warnings go to its output."""
    by_entry: dict[int, list[Finding]] = {}
    for finding in findings:
        by_entry.setdefault(finding.entry, []).append(finding)
    checked = [e for e in entries if not str(e.get("path", "")).startswith("/__admin")]
    suite = ElementTree.Element(
        "testsuite",
        name="mockxcore verify",
        tests=str(len(checked)),
        failures=str(
            sum(any(f.severity == "error" for f in by_entry.get(e["id"], [])) for e in checked)
        ),
    )
    for entry in checked:
        case = ElementTree.SubElement(
            suite,
            "testcase",
            classname="mockxcore.verify",
            name=f"#{entry['id']} {_request(entry)}",
        )
        found = by_entry.get(entry["id"], [])
        errors = [f for f in found if f.severity == "error"]
        if errors:
            failure = ElementTree.SubElement(
                case, "failure", message=errors[0].message, type=errors[0].rule
            )
            failure.text = "\n".join(f"{f.rule}: {f.message}" for f in errors)
        warnings = [f for f in found if f.severity == "warning"]
        if warnings:
            out = ElementTree.SubElement(case, "system-out")
            out.text = "\n".join(f"warning {f.rule}: {f.message}" for f in warnings)
    return ElementTree.tostring(suite, encoding="unicode") + "\n"
