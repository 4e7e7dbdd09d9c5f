"""The ``mockxcore`` command line."""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aiohttp import web

from mockxcore import __version__
from mockxcore.app import build_app
from mockxcore.auth import AUTH_MODES
from mockxcore.config import Config
from mockxcore.problems import Problem
from mockxcore.runner import Runner
from mockxcore.target.tls import TlsSite
from mockxcore.web import STATE

DEFAULT_PORT = 4010


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mockxcore",
        description="Test double for Adobe Target Delivery and Experience Platform Decisioning.",
    )
    parser.add_argument("--version", action="version", version=f"mockxcore {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the mock server")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port (default {DEFAULT_PORT}; 0 picks a free one)",
    )
    serve.add_argument(
        "--data",
        action="append",
        default=[],
        metavar="PATH",
        help="load a state snapshot (repeatable; 'demo' is the embedded demo "
        "data, loaded by default when no --data is given)",
    )
    serve.add_argument("--no-demo", action="store_true", help="start empty")
    _schema_option(serve)
    serve.add_argument("--seed", type=int, default=0, help="seed of every random choice")
    serve.add_argument(
        "--auth",
        choices=AUTH_MODES,
        default="headers",
        help="'headers': Adobe's headers required, any token; 'off': none needed",
    )
    serve.add_argument(
        "--no-auto-container",
        action="store_true",
        help="do not give a new org + sandbox a default container",
    )
    serve.add_argument(
        "--delete-polls",
        type=int,
        default=1,
        metavar="N",
        help="202 answers a delete gets before its outcome (default 1)",
    )
    serve.add_argument(
        "--max-body",
        type=int,
        default=1 << 20,
        metavar="BYTES",
        help="largest accepted request body (default 1 MiB)",
    )
    serve.add_argument(
        "--delete-after",
        metavar="DURATION",
        help="time-based deletes: the outcome shows this long after the DELETE ('2s')",
    )
    serve.add_argument(
        "--latency",
        metavar="DELAY",
        help="delay every answer: '40ms', 'uniform:min=10ms,max=50ms', "
        "'lognormal:median=30ms,sigma=0.4'",
    )
    serve.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="JSON",
        help='a fault rule, e.g. \'{"method": "PATCH", "action": "conflict", "times": 1}\' '
        "(repeatable)",
    )
    serve.add_argument(
        "--record", metavar="FILE", help="append every journal entry to FILE as JSON Lines"
    )
    serve.add_argument(
        "--journal-size", type=int, default=1000, metavar="N", help="entries kept (default 1000)"
    )
    serve.add_argument(
        "--cors",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="answer CORS preflights and allow any origin (default on)",
    )
    serve.add_argument(
        "--strict",
        action="store_true",
        help="answer requests that break the contracts with 400 (they are journaled anyway)",
    )
    serve.add_argument(
        "--state-file",
        metavar="FILE",
        help="keep the state in FILE across restarts (written atomically after every write)",
    )
    serve.add_argument(
        "--tokens-file",
        metavar="FILE",
        help="with --auth tokens: the accepted bearer tokens, one per line",
    )
    serve.add_argument(
        "--admin-token", metavar="TOKEN", help="/__admin requests need x-admin-token: TOKEN"
    )
    serve.add_argument(
        "--admin-port",
        type=int,
        metavar="PORT",
        help="serve /__admin on this port only (0 picks one), not on the API port",
    )
    serve.add_argument(
        "--admin-remote",
        action="store_true",
        help="let other hosts than this one use /__admin (refused by default)",
    )
    serve.add_argument(
        "--tls",
        action="store_true",
        help="also speak HTTPS on the port and answer CONNECT tunnels for Adobe hosts, with a "
        "local CA whose certificate file is printed on start-up",
    )
    serve.add_argument(
        "--target-client",
        metavar="CODE",
        help="Target client of Delivery API calls that do not say which client they are for",
    )
    serve.add_argument("-v", "--verbose", action="store_true", help="log every request")

    record = commands.add_parser(
        "record", help="proxy a real service, record the traffic and report contract drift"
    )
    record.add_argument(
        "--upstream",
        required=True,
        metavar="URL",
        help="the real service, e.g. https://platform.adobe.io",
    )
    record.add_argument("--out", required=True, metavar="FILE", help="JSON Lines recording")
    record.add_argument("--host", default="127.0.0.1")
    record.add_argument("--port", type=int, default=DEFAULT_PORT + 1)
    _schema_option(record)

    generate = commands.add_parser(
        "generate", help="write a realistic catalog (a snapshot) for demos and load tests"
    )
    generate.add_argument(
        "--table",
        action="store_true",
        help="a Target decision table for client --client, not a repository catalog",
    )
    generate.add_argument("--offers", type=int, default=100, help="catalog: offers")
    generate.add_argument(
        "--activities", type=int, default=None, help="activities (default: 5; 100 with --table)"
    )
    generate.add_argument("--tags", type=int, default=8, help="catalog: tags")
    generate.add_argument("--mboxes", type=int, default=30, help="table: mboxes")
    generate.add_argument("--client", default="demo", help="table: the Target client code")
    generate.add_argument("--seed", type=int, default=0)
    generate.add_argument("--org", default="demo@AdobeOrg")
    generate.add_argument("--sandbox", default="prod")
    generate.add_argument("-o", "--output", metavar="FILE", help="write here, not to stdout")

    verify = commands.add_parser(
        "verify", help="check a recorded journal against the contracts and domain rules"
    )
    verify.add_argument("recording", help="JSON Lines from --record, or a saved /__admin/journal")
    verify.add_argument("--format", choices=("human", "json", "junit"), default="human")
    verify.add_argument("-o", "--output", metavar="FILE", help="write the report here")
    verify.add_argument(
        "--if-match",
        choices=("error", "warning", "off"),
        default="warning",
        help="how to count writes without If-Match (default: warning)",
    )
    _schema_option(verify)

    check = commands.add_parser(
        "contract-test",
        help="check that a server honours the repository contract (generated requests)",
    )
    check.add_argument("base_url", help="the server, e.g. http://127.0.0.1:4010")
    check.add_argument(
        "--max-examples", type=int, default=10, metavar="N", help="examples per check (10)"
    )
    check.add_argument("--seed", type=int, default=0, help="seed of the generated examples")
    check.add_argument("--org", default="contract-test@AdobeOrg", help="x-gw-ims-org-id")
    check.add_argument("--sandbox", default="prod", help="x-sandbox-name")
    check.add_argument(
        "--token",
        default=os.environ.get("MOCKXCORE_TOKEN", "contract-test"),
        help="bearer token (default: $MOCKXCORE_TOKEN)",
    )
    check.add_argument("--api-key", default="mockxcore", help="x-api-key")
    check.add_argument("--format", choices=("human", "json", "junit"), default="human")
    check.add_argument("-o", "--output", metavar="FILE", help="write the report here")
    return parser


def _schema_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--schema",
        action="append",
        default=[],
        metavar="PATH",
        help="a JSON Schema of your own business objects (repeatable)",
    )


def _fault(text: str) -> dict[str, Any]:
    try:
        rule = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"--fault {text!r} is not JSON: {exc}") from None
    if not isinstance(rule, dict):
        raise ValueError(f"--fault {text!r} is not a JSON object")
    return rule


def _config(args: argparse.Namespace) -> Config:
    data = list(args.data) or ([] if args.no_demo else ["demo"])
    return Config(
        host=args.host,
        port=args.port,
        data=data,
        schemas=args.schema,
        seed=args.seed,
        auth=args.auth,
        auto_container=not args.no_auto_container,
        delete_polls=args.delete_polls,
        delete_after=args.delete_after,
        latency=args.latency,
        faults=[_fault(text) for text in args.fault],
        record=args.record,
        journal_size=args.journal_size,
        cors=args.cors,
        strict=args.strict,
        tokens_file=args.tokens_file,
        state_file=args.state_file,
        admin_token=args.admin_token,
        admin_port=args.admin_port,
        admin_remote=args.admin_remote,
        tls=args.tls,
        target_client=args.target_client,
        max_body=args.max_body,
    )


async def _serve(config: Config, verbose: bool) -> None:
    app = build_app(config)
    state = app[STATE]
    runner = Runner(
        app,
        access_log=logging.getLogger("aiohttp.access") if verbose else None,
        shutdown_timeout=3.0,
    )
    await runner.setup()
    site: web.BaseSite = web.TCPSite(runner, config.host, config.port)
    if config.tls:
        site = TlsSite(runner, config.host, config.port)
    await site.start()
    # What is loaded by now (modules, contracts, the start-up data) lives as long as the
    # server: kept out of the cyclic collector, whose full passes over all of it would pause
    # the loop for tens of milliseconds every few thousand requests (latency spikes).
    gc.collect()
    gc.freeze()
    host, port = runner.addresses[0][:2]
    shown = f"[{host}]" if ":" in host else host
    print(f"mockxcore listening on http://{shown}:{port}", flush=True)
    if isinstance(site, TlsSite):
        print(f"mockxcore TLS CA certificate: {site.ca_path}", flush=True)
    if config.admin_port is not None:
        admin_site = web.TCPSite(runner, config.host, config.admin_port)
        await admin_site.start()
        del admin_site
        state.admin_port = runner.addresses[-1][1]
        print(f"mockxcore control plane on http://{shown}:{state.admin_port}/__admin", flush=True)

    await _until_signalled(runner)


async def _until_signalled(runner: web.AppRunner) -> None:
    """Serve until SIGINT or SIGTERM, then shut down cleanly (in-flight requests finish)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def _emit(text: str, output: str | None) -> None:
    """A report or document: to ``-o FILE`` when given, else to stdout."""
    if output:
        Path(output).write_text(text)
    else:
        sys.stdout.write(text)


def _verify(args: argparse.Namespace) -> int:
    from mockxcore import contracts, openapi, verify
    from mockxcore.conformance import Conformance

    try:
        entries = verify.read(args.recording)
        registry = contracts.default().extended(contracts.read_schema(s) for s in args.schema)
    except (OSError, ValueError) as exc:
        print(f"mockxcore: {exc}", file=sys.stderr)
        return 2
    findings = verify.check(entries, Conformance(openapi.build(registry)), if_match=args.if_match)
    report = {
        "human": lambda: verify.human(findings, len(entries)),
        "json": lambda: verify.as_json(findings, len(entries)),
        "junit": lambda: verify.junit(findings, entries),
    }[args.format]()
    _emit(report, args.output)
    return 1 if any(f.severity == "error" for f in findings) else 0


async def _record(args: argparse.Namespace) -> int:
    from mockxcore import contracts, openapi, record
    from mockxcore.conformance import Conformance

    registry = contracts.default().extended(contracts.read_schema(s) for s in args.schema)
    checker = Conformance(openapi.build(registry), unknown_fields=True)
    recorder = record.Recorder(args.upstream, args.out, checker)
    runner = Runner(record.build_app(recorder), access_log=None, shutdown_timeout=3.0)
    await runner.setup()
    site = web.TCPSite(runner, args.host, args.port)
    await site.start()
    host, port = runner.addresses[0][:2]
    print(f"mockxcore recording on http://{host}:{port} -> {args.upstream}", flush=True)
    await _until_signalled(runner)
    print(recorder.summary(), file=sys.stderr, flush=True)
    return 1 if recorder.drift else 0


def _generate(args: argparse.Namespace) -> int:
    from mockxcore import generate

    try:
        if args.table:
            table = generate.decision_table(
                100 if args.activities is None else args.activities, args.mboxes, seed=args.seed
            )
            snapshot = generate.target_snapshot(table, args.client, args.org)
        else:
            snapshot = generate.catalog(
                args.offers,
                5 if args.activities is None else args.activities,
                seed=args.seed,
                tags=args.tags,
                org=args.org,
                sandbox=args.sandbox,
            )
    except ValueError as exc:
        print(f"mockxcore: {exc}", file=sys.stderr)
        return 2
    text = json.dumps(snapshot, indent=1, ensure_ascii=False) + "\n"
    _emit(text, args.output)
    return 0


def _contract_test(args: argparse.Namespace) -> int:
    from mockxcore import contract_test
    from mockxcore.conformance import default

    if args.max_examples < 1:
        print("mockxcore: --max-examples must be at least 1", file=sys.stderr)
        return 2
    headers = {
        "Authorization": f"Bearer {args.token}",
        "x-api-key": args.api_key,
        "x-gw-ims-org-id": args.org,
        "x-sandbox-name": args.sandbox,
    }
    results = contract_test.run(
        args.base_url, headers, default(), max_examples=args.max_examples, seed_value=args.seed
    )
    report = {
        "human": contract_test.human,
        "json": contract_test.as_json,
        "junit": contract_test.junit,
    }[args.format](results, args.base_url)
    _emit(report, args.output)
    return 0 if all(r.passed for r in results) else 1


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if getattr(args, "verbose", False) else logging.WARNING,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    if args.command == "verify":
        return _verify(args)
    if args.command == "generate":
        return _generate(args)
    if args.command == "contract-test":
        return _contract_test(args)
    if args.command == "record":
        try:
            return asyncio.run(_record(args))
        except (ValueError, OSError) as exc:
            print(f"mockxcore: {exc}", file=sys.stderr)
            return 2
    if args.command == "serve":
        try:
            config = _config(args)
            asyncio.run(_serve(config, args.verbose))
        except (ValueError, Problem) as exc:
            print(f"mockxcore: {exc}", file=sys.stderr)
            return 2
        except OSError as exc:
            where = exc.filename or f"{args.host}:{args.port}"
            print(f"mockxcore: cannot use {where}: {exc.strerror}", file=sys.stderr)
            return 1
        return 0
    return 2
