"""The command-line commands of scp_mcp.cli; each imports only what it needs."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from typing import TYPE_CHECKING

import anyio

from scp_mcp.server.settings import ServerSettings, SettingsError

if TYPE_CHECKING:
    from scp_mcp.server.app import ScpMcpServer


def _err(message: str) -> None:
    print(f"scp-mcp: {message}", file=sys.stderr)


def run_tools(args: argparse.Namespace, settings: ServerSettings) -> int:
    from scp_mcp.tools import listing

    items = listing.rows(settings.policy)
    if args.json:
        print(listing.as_json(items))
    elif args.markdown:
        sys.stdout.write(listing.as_markdown(items))
    else:
        print(listing.as_text(items))
    return 0


def _server_or_none(settings: ServerSettings) -> ScpMcpServer | None:
    """The server for these settings; None (after saying why on stderr) when they cannot work."""
    from scp_mcp.server.app import build_server
    from scp_mcp.server.backend import choose_backend

    try:
        return build_server(settings, choose_backend(settings))
    except SettingsError as exc:
        _err(str(exc))
        return None


def run_serve(args: argparse.Namespace, settings: ServerSettings) -> int:
    from scp_mcp.server.transports import serve

    server = _server_or_none(settings)
    if server is None:
        return 2
    with contextlib.suppress(KeyboardInterrupt):
        anyio.run(serve, server, args.transport, args.host, args.port)
    return 0


def run_call(args: argparse.Namespace, settings: ServerSettings) -> int:
    from scp_mcp.cli.oneshot import EXIT_USAGE, UsageError, call_once, exit_code, text_of

    server = _server_or_none(settings)
    if server is None:
        return 2

    async def once() -> int:
        try:
            result = await call_once(server, args.tool, args.arguments)
        except UsageError as exc:
            _err(str(exc))
            return EXIT_USAGE
        finally:
            await server.backend.aclose()
        print(text_of(result))
        if args.json and result.structured_content is not None:
            print(json.dumps(result.structured_content, indent=2, ensure_ascii=False))
        return exit_code(result)

    code: int = anyio.run(once)
    return code


def run_config(args: argparse.Namespace, settings: ServerSettings) -> int:
    from scp_mcp.cli.clientconfig import render, where

    extra = serve_flags(args)
    _err(where(args.client))
    sys.stdout.write(render(args.client, extra, placeholders=args.with_credentials))
    return 0


def serve_flags(args: argparse.Namespace) -> list[str]:
    """The `serve` flags given to `config`, to put into the client's command line."""
    flags: list[str] = []
    for name in ("sandbox", "read_only", "no_destructive"):
        if getattr(args, name, False):
            flags.append("--" + name.replace("_", "-"))
    for name in ("backend", "confirm", "toolsets", "sandbox_state"):
        value = getattr(args, name, None)
        if value:
            flags += ["--" + name.replace("_", "-"), str(value)]
    for name in ("allow", "deny"):
        for pattern in getattr(args, name, []):
            flags += [f"--{name}", pattern]
    return flags


def run_sandbox(args: argparse.Namespace, settings: ServerSettings) -> int:
    from scp_mcp.sandbox import serve_sandbox

    with contextlib.suppress(KeyboardInterrupt):
        serve_sandbox(args.port, args.host, args.state, args.speed)
    return 0


def run_doctor(args: argparse.Namespace, settings: ServerSettings) -> int:
    from scp_mcp.cli.doctor import run_doctor as doctor
    from scp_mcp.server.backend import choose_backend

    try:
        backend = choose_backend(settings)
    except SettingsError as exc:
        _err(str(exc))
        return 2

    async def check() -> int:
        try:
            return await doctor(backend, print)
        finally:
            await backend.aclose()

    code: int = anyio.run(check)
    return code


def run_demo(args: argparse.Namespace, settings: ServerSettings) -> int:
    """A read and a guarded preview on the sandbox, through the same pipeline, then what to do next."""
    from dataclasses import replace

    from scp_mcp.cli.demo import demo

    return anyio.run(demo, replace(settings, backend="sandbox"), print)
