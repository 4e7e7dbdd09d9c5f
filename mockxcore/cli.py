"""The ``mockxcore`` command line."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Sequence

from aiohttp import web

from mockxcore import __version__
from mockxcore.app import build_app
from mockxcore.auth import AUTH_MODES
from mockxcore.config import Config
from mockxcore.problems import Problem

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
    serve.add_argument(
        "--schema",
        action="append",
        default=[],
        metavar="PATH",
        help="register a JSON Schema of your own business objects (repeatable)",
    )
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
    serve.add_argument("-v", "--verbose", action="store_true", help="log every request")
    return parser


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
        max_body=args.max_body,
    )


async def _serve(config: Config, verbose: bool) -> None:
    app = build_app(config)
    runner = web.AppRunner(
        app,
        access_log=logging.getLogger("aiohttp.access") if verbose else None,
        shutdown_timeout=3.0,
    )
    await runner.setup()
    site = web.TCPSite(runner, config.host, config.port)
    await site.start()
    host, port = runner.addresses[0][:2]
    shown = f"[{host}]" if ":" in host else host
    print(f"mockxcore listening on http://{shown}:{port}", flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    if args.command == "serve":
        try:
            config = _config(args)
            asyncio.run(_serve(config, args.verbose))
        except (ValueError, Problem) as exc:
            print(f"mockxcore: {exc}", file=sys.stderr)
            return 2
        except OSError as exc:
            print(
                f"mockxcore: cannot listen on {args.host}:{args.port}: {exc.strerror}",
                file=sys.stderr,
            )
            return 1
        return 0
    return 2
