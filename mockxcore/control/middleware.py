"""The two control-plane middlewares: the journal (outermost) and faults + latency.

``/__admin`` requests are neither journaled nor delayed nor faulted: the control plane must
stay usable while the mocked API misbehaves.
"""

from __future__ import annotations

import asyncio
import socket
import struct
from pathlib import Path
from typing import Any

import orjson
from aiohttp import web
from aiohttp.typedefs import Middleware

from mockxcore.auth import Caller, identify
from mockxcore.control import persistence
from mockxcore.control.faults import TERMINAL, FaultRule
from mockxcore.control.journal import MAX_BODY, cut, header
from mockxcore.problems import ErrorItem, Problem
from mockxcore.runner import received_at
from mockxcore.state import MockState
from mockxcore.web import (
    STATE,
    Handler,
    echo_request_id,
    error_response,
    log,
    problem_response,
    unreadable_body,
)

DELETE_FLOW = web.RequestKey("delete flow", FaultRule)
CONTROL_PREFIX = "/__admin"
_INSTANCE_PATH = "/data/core/xcore/"
OTHER_CLIENT = ("concurrent-editor@techacct.adobe.com", "another-client")


def control_middleware(state: MockState) -> Middleware:
    """Journal each request and its answer; apply latency and whatever fault rules fire."""

    @web.middleware
    async def control(request: web.Request, handler: Handler) -> web.StreamResponse:
        path = request.path
        if path.startswith(CONTROL_PREFIX):
            return await handler(request)
        journal = state.journal
        entry = journal.start(
            request.method, path, _raw_query(request), request.headers, state.clock.micros()
        )
        response: web.StreamResponse | None = None
        fired: list[FaultRule] = []
        try:
            if request.body_exists:
                try:
                    # Read once here; aiohttp keeps the bytes, so handlers read them again.
                    entry.body = await request.read()
                except web.HTTPRequestEntityTooLarge as error:
                    too_large = Problem(
                        413,
                        "body-too-large",
                        error.text or "request body too large",
                        [ErrorItem("limits", "the body is larger than the server accepts", "")],
                    )
                    response = echo_request_id(request, error_response(request, too_large))
                    return response
                except web.RequestPayloadError as error:
                    response = echo_request_id(request, unreadable_body(request, error))
                    return response
            strict = state.config.strict
            if strict or (entry.body is not None and len(entry.body) > MAX_BODY):
                # Checked now: strict mode answers by it, and a body about to be cut for the
                # journal could not be checked later.
                entry.violations = journal.checker(entry) if journal.checker else []
                if strict and entry.violations:
                    response = echo_request_id(request, _contract_violation(entry.violations))
                    return response
                entry.body, entry.truncated = cut(entry.body)
            if state.faults.rules or state.latency.active:
                response = await _misbehave(request, handler, state, fired)
            else:
                response = await handler(request)
            return response
        finally:
            if response is not None:
                entry.status = response.status
                entry.response_headers = response.headers
                body = getattr(response, "body", None)  # a StreamResponse has none
                if isinstance(body, bytes):
                    entry.response_body, cut_response = cut(body)
                    entry.truncated = entry.truncated or cut_response
            if fired:
                entry.faults = [{"id": r.id, "action": r.action} for r in fired]
            journal.finish(entry)

    return control


def _raw_query(request: web.Request) -> str:
    """The query as sent, still percent-encoded (decoded when the entry is read)."""
    return request.raw_path.partition("?")[2].partition("#")[0]


async def _misbehave(
    request: web.Request, handler: Handler, state: MockState, fired: list[FaultRule]
) -> web.StreamResponse:
    """Latency (from the request's arrival) and faults: the answer the client gets instead.

    The rules that fire are appended to ``fired`` (for the journal)."""
    loop = asyncio.get_running_loop()
    arrived = received_at(request) or loop.time()
    # Let the loop poll its sockets before doing this request's work, so that in a burst the
    # requests still arriving are timestamped when they come, not after the work of those
    # ahead of them.
    await asyncio.sleep(0)
    if state.faults.rules:
        body = None
        if state.faults.match_bodies and request.body_exists:
            try:
                body = orjson.loads(await request.read())
            except (orjson.JSONDecodeError, web.HTTPException):
                body = None
        fired += state.faults.fire(
            request.method, request.path, request.headers, body, state.control_rng
        )
    delay = state.latency.delay_for(request.method, request.path, state.control_rng)
    delay += sum(r.delay.sample(state.control_rng) for r in fired if r.delay is not None)
    deciding = next((r for r in fired if r.action in TERMINAL), None)
    for rule in fired:
        if rule.action == "delete":
            request[DELETE_FLOW] = rule

    if deciding is not None and deciding.action in ("drop", "reset"):
        await asyncio.sleep(delay)
        _disconnect(request, reset=deciding.action == "reset")
        raise asyncio.CancelledError
    if deciding is not None and deciding.action == "conflict":
        response: web.StreamResponse = echo_request_id(request, _conflict(request))
    elif deciding is not None and deciding.action == "status":
        response = echo_request_id(request, _status(request, deciding))
    else:
        response = await handler(request)

    try:
        if deciding is not None and deciding.action in ("truncate", "slow-body"):
            await _sleep_until(arrived + delay)
            return await _stream(request, response, deciding)
        if isinstance(response, web.Response) and delay > 0:
            # Serialize the headers now (a Response holds them back until its body goes), so
            # that when the delay is over only the bytes are left to send: in a burst, answers
            # then leave close to their due time instead of queueing behind each other's work.
            await response.prepare(request)
            await _sleep_until(arrived + delay)
            await response.write_eof()
            return response
    except ConnectionResetError:
        # The client left while its answer was held back: no one to answer, nothing wrong
        # with the mock. Ended like a dropped connection (the journal shows no status).
        raise asyncio.CancelledError from None
    await _sleep_until(arrived + delay)
    return response


TIMER_GRANULARITY = 0.001
"""asyncio waits on epoll, whose timeout is whole milliseconds rounded up: a timer fires
between 0 and 1 ms late. Aiming half a millisecond early centres that error on zero."""


async def _sleep_until(deadline: float) -> None:
    remaining = deadline - asyncio.get_running_loop().time() - TIMER_GRANULARITY / 2
    if remaining > 0:
        await asyncio.sleep(remaining)


def _contract_violation(violations: list[dict[str, Any]]) -> web.Response:
    """Prism-like: each violation with its JSON pointer and the schema path it broke."""
    first = violations[0]
    problem = Problem(
        400,
        "contract-violation",
        f"the request breaks the contracts: {first['pointer'] or '/'}: {first['message']}",
        [
            ErrorItem("contract", f"{v['message']} (schema: {v['schemaPath']})", v["pointer"])
            for v in violations
        ],
        extra={"violations": violations},
    )
    return problem_response(problem)


def _disconnect(request: web.Request, *, reset: bool) -> None:
    transport = request.transport
    if transport is None:
        return
    if reset:
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
    else:
        transport.close()


def _caller(request: web.Request) -> Caller | None:
    state = request.app[STATE]
    try:
        return identify(request.headers, state.config.auth, state.tokens)
    except Problem:
        return None


def _conflict(request: web.Request) -> web.Response:
    """As if another client had saved the instance just before: its etag really moves."""
    state = request.app[STATE]
    parts = request.path.removeprefix(_INSTANCE_PATH).strip("/").split("/")
    caller = _caller(request)
    headers: dict[str, str] = {}
    if caller is not None and len(parts) == 3 and parts[1] == "instances":
        other = Caller(caller.org, caller.sandbox, *OTHER_CLIENT)
        try:
            record = state.repository.touch(other, parts[0], parts[2])
            headers["ETag"] = f'"{record.etag}"'
        except Problem:
            pass
    problem = Problem(
        409,
        "etag-mismatch",
        "the instance was modified by another request (injected conflict): re-read it and retry",
        [ErrorItem("if-match", "stale etag", "/headers/If-Match")],
        headers,
    )
    return problem_response(problem)


_SLUGS = {
    429: "too-many-requests",
    500: "internal-error",
    502: "bad-gateway",
    503: "service-unavailable",
    504: "gateway-timeout",
}


def _status(request: web.Request, rule: FaultRule) -> web.Response:
    headers = {}
    if rule.retry_after is not None:
        headers["Retry-After"] = str(rule.retry_after)
    message = rule.message or f"injected by fault rule {rule.id}"
    problem = Problem(
        rule.status,
        _SLUGS.get(rule.status, "injected-fault"),
        message,
        [ErrorItem("fault", message, "")],
        headers,
    )
    return error_response(request, problem)


async def _stream(
    request: web.Request, response: web.StreamResponse, rule: FaultRule
) -> web.StreamResponse:
    """Send the real answer badly: cut in the middle (truncate) or dribbled (slow-body)."""
    body = response.body if isinstance(response, web.Response) else b""
    data = body if isinstance(body, bytes) else b""
    stream = web.StreamResponse(status=response.status, headers=response.headers)
    stream.content_length = len(data)
    await stream.prepare(request)
    if rule.action == "truncate":
        await stream.write(data[: len(data) // 2])
        _disconnect(request, reset=False)
        return stream
    step = max(1, -(-len(data) // rule.chunks))
    pause = rule.duration.total_seconds() / max(1, -(-len(data) // step))
    for start in range(0, len(data), step):
        await stream.write(data[start : start + step])
        await asyncio.sleep(pause)
    await stream.write_eof()
    return stream


def journal_entries(request: web.Request) -> list[dict[str, Any]]:
    """Journal entries as dicts, filtered by the request's ``method``/``path``/``status``, and
    to one org (and sandbox) when the request names them with Adobe's headers."""
    state = request.app[STATE]
    for name in ("method", "path", "status"):
        if len(request.query.getall(name, [])) > 1:
            raise _bad_filter(name, f"give {name} at most once")
    status = request.query.get("status")
    try:
        status_code = int(status) if status is not None else None
    except ValueError:
        raise _bad_filter("status", f"status must be a number, not {status!r}") from None
    entries = state.journal.entries(
        method=request.query.get("method"), path=request.query.get("path"), status=status_code
    )
    org = request.headers.get("x-gw-ims-org-id")
    sandbox = request.headers.get("x-sandbox-name")
    if org is not None:
        entries = [
            e
            for e in entries
            if header(e.headers, "x-gw-ims-org-id") == org
            and (sandbox is None or header(e.headers, "x-sandbox-name") == sandbox)
        ]
    return [state.journal.render(e) for e in entries]


def _bad_filter(name: str, message: str) -> Problem:
    return Problem(400, "bad-control", message, [ErrorItem("control", message, f"/query/{name}")])


@web.middleware
async def persistence_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """With ``--state-file``: save the state after each request that may have changed it."""
    try:
        return await handler(request)
    finally:
        state = request.app[STATE]
        if state.config.state_file is not None and persistence.changes_state(request):
            try:
                persistence.save(state.export(), Path(state.config.state_file))
            except Exception:  # the answer stands; the failed save must be loud, not a 500
                log.exception("could not save the state to %s", state.config.state_file)
