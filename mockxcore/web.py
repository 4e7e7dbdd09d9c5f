"""HTTP plumbing shared by every part of the mock: JSON in, JSON out, errors as problems.

Handlers stay thin because of this module: :func:`read_json` turns a malformed body into a
400, :func:`respond` writes JSON with orjson, and :func:`edge_middleware` turns any
:class:`~mockxcore.problems.Problem` (or aiohttp's own 404/405/413) into an error body, and
an unexpected exception into a logged 500 without a stack trace.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from aiohttp import hdrs, web
from aiohttp.typedefs import Middleware

from mockxcore.jsonbody import MAX_DEPTH, parse_json
from mockxcore.problems import ErrorItem, Problem

log = logging.getLogger("mockxcore")

PROBLEM_JSON = "application/problem+json"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def respond(
    body: Any,
    *,
    status: int = 200,
    content_type: str = "application/json",
    headers: dict[str, str] | None = None,
) -> web.Response:
    response = web.Response(body=orjson.dumps(body), status=status, headers=headers)
    # aiohttp's own name: a plain str key costs a case-folded copy made per response
    response.headers[hdrs.CONTENT_TYPE] = content_type
    return response


def problem_response(problem: Problem) -> web.Response:
    return respond(
        problem.to_dict(), status=problem.status, content_type=PROBLEM_JSON, headers=problem.headers
    )


TARGET_PREFIX = "/rest/"


def error_response(request: web.BaseRequest, problem: Problem) -> web.Response:
    """An error in the shape its API uses: Target's Delivery API answers
    ``{"status", "message"}``; everything else answers problem+json."""
    if request.path.startswith(TARGET_PREFIX):
        return respond(
            {"status": problem.status, "message": problem.detail},
            status=problem.status,
            headers=problem.headers,
        )
    return problem_response(problem)


def unreadable_body(request: web.BaseRequest, error: web.RequestPayloadError) -> web.Response:
    """The answer to a body aiohttp could not read (gzip or deflate that does not decode).

    The connection is closed after it: what is left of the body cannot be skipped reliably.
    The body is marked as ended, or aiohttp would try to drain it after the answer, meet the
    same error again and log it as unhandled."""
    reason = getattr(error.__cause__, "message", None) or error  # without aiohttp's "400, "
    detail = f"the request body could not be read: {reason}"
    problem = Problem(400, "unreadable-body", detail, [ErrorItem("body", detail, "")])
    request.content.feed_eof()
    response = error_response(request, problem)
    response.force_close()
    return response


async def read_json(
    request: web.Request, *, limit: int | None = None, max_depth: int = MAX_DEPTH
) -> Any:
    """The request's JSON body (see :func:`~mockxcore.jsonbody.parse_json`).

    ``limit``: the bodies an admin endpoint takes whole (an artifact, a state snapshot) may be
    larger than ``--max-body``; they are read up to ``limit`` bytes instead (413 beyond)."""
    if limit is None:
        return parse_json(await request.read(), max_depth=max_depth)
    too_large = Problem(
        413,
        "body-too-large",
        f"this body is at most {limit} bytes",
        [ErrorItem("limits", f"the body is larger than {limit} bytes", "")],
    )
    if request.content_length is not None and request.content_length > limit:
        raise too_large
    chunks = []
    size = 0
    async for chunk in request.content.iter_chunked(1 << 16):
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return parse_json(b"".join(chunks), max_depth=max_depth)


def _from_http_error(error: web.HTTPException) -> Problem:
    slug = {404: "no-such-route", 405: "method-not-allowed", 413: "body-too-large"}.get(
        error.status, "http-error"
    )
    detail = error.text or error.reason
    if error.status == 404:
        detail = "no such endpoint"
    headers = {"Allow": error.headers["Allow"]} if "Allow" in error.headers else {}
    return Problem(error.status, slug, detail, [ErrorItem(slug, detail, "")], headers)


def echo_request_id(request: web.BaseRequest, response: web.StreamResponse) -> web.StreamResponse:
    request_id = request.headers.get("x-request-id")
    if request_id and len(request_id) <= 256:
        response.headers["x-request-id"] = request_id
    return response


# -- state, caller and the edge -------------------------------------------------------------
# Imported late: the state pulls in the whole core, which does not need this module.
from mockxcore.auth import Caller, identify  # noqa: E402
from mockxcore.state import MockState  # noqa: E402

STATE = web.AppKey("state", MockState)
CALLER = web.RequestKey("caller", Caller)

Check = Callable[[web.Request, MockState], web.StreamResponse | None]
"""A gate a request passes before its handler (see :func:`edge_middleware`): it raises a
Problem to refuse the request, returns an answer to give instead of the handler's, or returns
None to let it through."""


def edge_middleware(state: MockState, *checks: Check) -> Middleware:
    """Every answer echoes ``x-request-id``; every error becomes an error body in the shape of
    its API (:func:`error_response`).

    ``checks`` run in order before the handler: plain functions rather than middlewares of
    their own, since each aiohttp middleware layer costs a coroutine per request. Problems
    become their own status; aiohttp's 404/405/413 and unreadable bodies become problems too;
    anything unexpected is logged and answered 500, never with a stack trace.
    """

    @web.middleware
    async def edge(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            response = None
            for check in checks:
                response = check(request, state)
                if response is not None:
                    break
            if response is None:
                response = await handler(request)
        except Problem as problem:
            response = error_response(request, problem)
        except web.HTTPException as error:
            if error.status < 400:
                raise
            response = error_response(request, _from_http_error(error))
        except web.RequestPayloadError as error:
            response = unreadable_body(request, error)
        except Exception:
            log.exception("unexpected error handling %s %s", request.method, request.path)
            response = error_response(
                request,
                Problem(
                    500,
                    "internal-error",
                    "the mock failed to handle this request; "
                    "this is a bug in mockxcore, please report it",
                ),
            )
        return echo_request_id(request, response)

    return edge


def state_of(request: web.Request) -> MockState:
    return request.app[STATE]


def caller_of(request: web.Request) -> Caller:
    return request[CALLER]


def identify_caller(request: web.Request, state: MockState) -> None:
    """A :data:`Check`: identify the caller of every ``/data/`` request; its org + sandbox is
    its tenant.

    CORS preflights (OPTIONS) carry no credentials, by the browser's rules: they pass.
    """
    if request.path.startswith("/data/") and request.method != "OPTIONS":
        caller = identify(request.headers, state.config.auth, state.tokens)
        state.repository.ensure_tenant(caller)
        request[CALLER] = caller
    return None


def query_params(request: web.Request) -> dict[str, list[str]]:
    return {key: request.query.getall(key) for key in dict.fromkeys(request.query.keys())}
