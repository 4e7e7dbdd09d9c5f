"""HTTP handlers of the repository API under ``/data/core/xcore``.

Each handler parses (headers, media types, JSON), calls one method of
:class:`~mockxcore.xcore.repository.Repository`, and renders the answer.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

import orjson
from aiohttp import hdrs, web
from multidict import CIMultiDict, istr

from mockxcore.contracts import CONTAINER_SCHEMA, RESULTS_SCHEMA
from mockxcore.control.middleware import DELETE_FLOW
from mockxcore.problems import ErrorItem, Problem, bad_request
from mockxcore.store import Deletion, Record
from mockxcore.web import caller_of, query_params, read_json, respond, state_of
from mockxcore.xcore import mediatypes as mt
from mockxcore.xcore.hal import ROOT, hal_document, home_document, results_document
from mockxcore.xcore.repository import (
    MAX_FILTERS,
    DeleteFlow,
    Repository,
    etag_matches,
    parse_etags,
)

routes = web.RouteTableDef()
ETAG = istr("ETag")
"""Spelled as Adobe spells it: aiohttp's own ``hdrs.ETAG`` goes on the wire as ``Etag``."""


def _repo(request: web.Request) -> Repository:
    return state_of(request).repository


def _content_base(request: web.Request) -> str:
    return f"{request.scheme}://{request.host}{ROOT}/"


def _receipt(
    request: web.Request, record: Record, *, status: int = 200, location: str | None = None
) -> web.Response:
    headers = {"ETag": f'"{record.etag}"', "Content-Base": _content_base(request)}
    if location is not None:
        headers["Location"] = location
    return respond(record.receipt(), status=status, content_type=mt.RECEIPT, headers=headers)


class _Rendering:
    """A revision's answer to a read, made once: a revision never changes, so its body and
    headers are reused for as long as it is stored (and nothing of them is made again per
    read, which the journal would then keep)."""

    __slots__ = ("body", "headers")

    def __init__(self, record: Record, container_id: str) -> None:
        self.body = orjson.dumps(hal_document(record, container_id))
        self.headers = CIMultiDict(
            {ETAG: f'"{record.etag}"', hdrs.CONTENT_TYPE: mt.hal(record.versioned_schema)}
        )


_renderings: WeakKeyDictionary[Record, _Rendering] = WeakKeyDictionary()


def _read(request: web.Request, record: Record, container_id: str) -> web.StreamResponse:
    mt.negotiate(request.headers.get("Accept"), mt.HAL, record.schema)
    rendering = _renderings.get(record)
    if rendering is None:
        rendering = _renderings[record] = _Rendering(record, container_id)
    tags = parse_etags(request.headers.get("If-None-Match"))
    if tags is not None and etag_matches(tags, record.etag):
        return web.Response(status=304, headers={ETAG: rendering.headers[ETAG]})
    return web.Response(body=rendering.body, headers=rendering.headers)


def _deletion_answer(request: web.Request, deletion: Deletion, done: bool) -> web.Response:
    location = f"deletions/{deletion.status_id}"
    if not done:
        body = {
            "status": "pending",
            "instanceId": deletion.instance_id,
            "_links": {"self": {"href": f"/{location}"}},
        }
        return respond(
            body,
            status=202,
            headers={
                "Location": location,
                "Content-Base": _content_base(request),
                "Retry-After": "1",
            },
        )
    return respond(deletion.outcome, content_type=mt.RECEIPT)


# -- one instance (registered first: the hottest routes resolve with the fewest tries) -------
@routes.get(ROOT + "/{containerId}/instances/{instanceId}")
async def read_instance(request: web.Request) -> web.StreamResponse:
    cid = request.match_info["containerId"]
    record = _repo(request).get(caller_of(request), cid, request.match_info["instanceId"])
    return _read(request, record, cid)


@routes.put(ROOT + "/{containerId}/instances/{instanceId}")
async def replace_instance(request: web.Request) -> web.Response:
    schema = mt.request_schema(request.headers.get("Content-Type"), (mt.HAL,))
    mt.negotiate(request.headers.get("Accept"), mt.RECEIPT)
    if_match = parse_etags(request.headers.get("If-Match"))
    record = _repo(request).replace(
        caller_of(request),
        request.match_info["containerId"],
        request.match_info["instanceId"],
        schema,
        await read_json(request),
        if_match,
    )
    return _receipt(request, record)


@routes.patch(ROOT + "/{containerId}/instances/{instanceId}")
async def patch_instance(request: web.Request) -> web.Response:
    mt.request_schema(
        request.headers.get("Content-Type"), (mt.PATCH_HAL, "application/json-patch+json")
    )
    mt.negotiate(request.headers.get("Accept"), mt.RECEIPT)
    if_match = parse_etags(request.headers.get("If-Match"))
    record = _repo(request).patch(
        caller_of(request),
        request.match_info["containerId"],
        request.match_info["instanceId"],
        await read_json(request),
        if_match,
    )
    return _receipt(request, record)


@routes.delete(ROOT + "/{containerId}/instances/{instanceId}")
async def delete_instance(request: web.Request) -> web.Response:
    deletion = _repo(request).delete(
        caller_of(request),
        request.match_info["containerId"],
        request.match_info["instanceId"],
        _flow(request),
        parse_etags(request.headers.get("If-Match")),
    )
    return _deletion_answer(request, deletion, done=False)


# -- home and containers -------------------------------------------------------------------
@routes.get(ROOT)
@routes.get(ROOT + "/")
async def home(request: web.Request) -> web.Response:
    mt.negotiate(request.headers.get("Accept"), mt.HOME_HAL)
    containers = _repo(request).home(caller_of(request), _products(request))
    return respond(home_document(containers), content_type=mt.HOME_HAL)


def _products(request: web.Request) -> list[str]:
    """``?product=`` filters, repeated or comma-separated."""
    given = request.query.getall("product", [])
    if len(given) > MAX_FILTERS:
        raise bad_request(
            "too-many-filters", f"at most {MAX_FILTERS} product parameters", rule="limits"
        )
    return [p for value in given for p in value.split(",") if p]


def _container_schema(request: web.Request) -> None:
    schema = mt.request_schema(request.headers.get("Content-Type"), (mt.HAL,))
    if schema is not None and schema != CONTAINER_SCHEMA:
        raise Problem(
            415,
            "unsupported-media-type",
            f"containers use schema {CONTAINER_SCHEMA!r}, not {schema!r}",
            [ErrorItem("content-type", "wrong schema", "/headers/Content-Type")],
        )


@routes.post(ROOT + "/containers")
async def create_container(request: web.Request) -> web.Response:
    _container_schema(request)
    mt.negotiate(request.headers.get("Accept"), mt.RECEIPT)
    record = _repo(request).create_container(caller_of(request), await read_json(request))
    return _receipt(request, record, status=201, location=f"containers/{record.instance_id}")


@routes.get(ROOT + "/containers")
async def list_containers(request: web.Request) -> web.Response:
    mt.negotiate(request.headers.get("Accept"), mt.HAL, RESULTS_SCHEMA)
    containers = _repo(request).home(caller_of(request), _products(request))
    body: dict[str, Any] = {
        "requestTime": _repo(request).now(),
        "_embedded": {
            "results": [hal_document(c, c.instance_id) for c in containers],
            "total": len(containers),
            "count": len(containers),
        },
        "_links": {"self": {"href": "/containers"}},
    }
    return respond(body, content_type=mt.RESULTS)


@routes.get(ROOT + "/containers/{containerId}")
async def read_container(request: web.Request) -> web.StreamResponse:
    record = _repo(request).container(caller_of(request), request.match_info["containerId"])
    return _read(request, record, record.instance_id)


@routes.put(ROOT + "/containers/{containerId}")
async def replace_container(request: web.Request) -> web.Response:
    _container_schema(request)
    mt.negotiate(request.headers.get("Accept"), mt.RECEIPT)
    if_match = parse_etags(request.headers.get("If-Match"))
    record = _repo(request).replace_container(
        caller_of(request), request.match_info["containerId"], await read_json(request), if_match
    )
    return _receipt(request, record)


def _flow(request: web.Request) -> DeleteFlow | None:
    """A ``delete`` fault rule may set how this delete's outcome is revealed."""
    rule = request.get(DELETE_FLOW)
    if rule is None:
        return None
    return DeleteFlow(rule.polls or 1, rule.after)


@routes.delete(ROOT + "/containers/{containerId}")
async def delete_container(request: web.Request) -> web.Response:
    deletion = _repo(request).delete_container(
        caller_of(request),
        request.match_info["containerId"],
        _flow(request),
        parse_etags(request.headers.get("If-Match")),
    )
    return _deletion_answer(request, deletion, done=False)


@routes.get(ROOT + "/deletions/{statusId}")
async def poll_deletion(request: web.Request) -> web.Response:
    deletion, done = _repo(request).poll_deletion(
        caller_of(request), request.match_info["statusId"]
    )
    return _deletion_answer(request, deletion, done)


# -- instances -----------------------------------------------------------------------------
@routes.post(ROOT + "/{containerId}/instances")
async def create_instance(request: web.Request) -> web.Response:
    schema = mt.request_schema(request.headers.get("Content-Type"), (mt.HAL,))
    if schema is None:
        raise Problem(
            415,
            "unsupported-media-type",
            f'creating an instance needs Content-Type: {mt.HAL}; schema="<schema id>"',
            [ErrorItem("content-type", "missing schema parameter", "/headers/Content-Type")],
        )
    mt.negotiate(request.headers.get("Accept"), mt.RECEIPT)
    cid = request.match_info["containerId"]
    record = _repo(request).create(caller_of(request), cid, schema, await read_json(request))
    return _receipt(request, record, status=201, location=f"{cid}/instances/{record.instance_id}")


async def _page(request: web.Request, *, search: bool) -> web.Response:
    mt.negotiate(request.headers.get("Accept"), mt.HAL, RESULTS_SCHEMA)
    cid = request.match_info["containerId"]
    repo = _repo(request)
    params = query_params(request)
    query, page = repo.query(caller_of(request), cid, params, search=search)
    path = f"/{cid}/queries/core/search" if search else f"/{cid}/instances"
    schema = repo.contracts.info(query.schema).versioned_id if query.schema else None
    body = results_document(
        page, container_id=cid, path=path, params=params, schema=schema, request_time=repo.now()
    )
    return respond(body, content_type=mt.RESULTS)


@routes.get(ROOT + "/{containerId}/instances")
async def list_instances(request: web.Request) -> web.Response:
    return await _page(request, search=False)


@routes.get(ROOT + "/{containerId}/queries/core/search")
async def search_instances(request: web.Request) -> web.Response:
    return await _page(request, search=True)
