"""``mockxcore record``: a pass-through proxy that records a real service and reports drift.

Every request is forwarded to the upstream as it came (the caller's own credentials
included, untouched), the answer is sent back as it came, and the exchange is written to a JSON
Lines recording in the journal's shape (secrets masked). Each real answer is also checked
against the contracts, strictly: a status or body the contracts reject, or a field the
contracts do not know, is *drift*: the real API moved and mock-based tests may be lying.
"""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from pathlib import Path
from typing import IO, Any

import aiohttp
import orjson
from aiohttp import web

from mockxcore.conformance import Conformance, parse_body
from mockxcore.control.clock import Clock
from mockxcore.control.journal import Journal

HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
    }
)


class Recorder:
    def __init__(
        self,
        upstream: str,
        out: str | Path,
        conformance: Conformance,
        report: IO[str] | None = None,
    ) -> None:
        self.upstream = upstream.rstrip("/")
        self.conformance = conformance
        self.journal = Journal(size=1)
        self.clock = Clock()
        self._out = open(out, "ab")  # noqa: SIM115 - closed with the app
        self._report = report if report is not None else sys.stderr
        self.drift: Counter[str] = Counter()
        self.session: aiohttp.ClientSession | None = None

    async def forward(self, request: web.Request) -> web.Response:
        assert self.session is not None
        body = await request.read()
        entry = self.journal.start(
            request.method,
            request.path,
            request.rel_url.raw_query_string,
            request.headers,
            self.clock.micros(),
        )
        entry.body = body or None
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        url = self.upstream + request.rel_url.raw_path_qs
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            async with self.session.request(
                request.method, url, headers=headers, data=body or None, allow_redirects=False
            ) as answer:
                payload = await answer.read()
                status = answer.status
                answer_headers = {
                    k: v
                    for k, v in answer.headers.items()
                    if k.lower() not in HOP_BY_HOP | {"content-encoding"}
                }
        except aiohttp.ClientError as exc:
            self._say(f"upstream unreachable for {request.method} {request.path}: {exc}")
            return web.json_response({"status": 502, "message": f"upstream: {exc}"}, status=502)
        entry.duration_ms = (loop.time() - started) * 1000
        entry.status = status
        entry.response_headers = answer_headers
        entry.response_body = payload or None
        drift = [
            v.to_dict()
            for v in self.conformance.check_response(
                request.method, request.path, status, answer_headers, parse_body(payload)
            )
        ]
        line = {**self.journal.render(entry), "drift": drift}
        self._out.write(orjson.dumps(line) + b"\n")
        self._out.flush()
        for item in drift:
            self.drift[item["kind"]] += 1
            self._say(
                f"drift: {request.method} {request.path} -> {status}: "
                f"{item['pointer'] or '/'}: {item['message']}"
            )
        response = web.Response(body=payload, status=status)
        for name, value in answer_headers.items():
            response.headers.add(name, value)
        return response

    def _say(self, text: str) -> None:
        print(text, file=self._report, flush=True)

    def summary(self) -> str:
        if not self.drift:
            return "no drift: every answer conformed to the contracts"
        kinds = ", ".join(f"{kind}: {count}" for kind, count in sorted(self.drift.items()))
        return f"drift found ({sum(self.drift.values())}): {kinds}"

    def close(self) -> None:
        self._out.close()


RECORDER = web.AppKey("recorder", Recorder)


async def _forward(request: web.Request) -> web.Response:
    return await request.app[RECORDER].forward(request)


def build_app(recorder: Recorder, max_body: int = 1 << 20) -> web.Application:
    app = web.Application(client_max_size=max_body)
    app[RECORDER] = recorder

    async def session(app: web.Application) -> Any:
        recorder.session = aiohttp.ClientSession(auto_decompress=True)
        yield
        await recorder.session.close()
        recorder.close()

    app.cleanup_ctx.append(session)
    app.router.add_route("*", "/{tail:.*}", _forward)
    return app
