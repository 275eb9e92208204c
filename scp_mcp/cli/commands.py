"""The command-line commands of scp_mcp.cli; each imports only what it needs.

Every ``run_<command>(args, settings)`` returns the exit code; problems the user can fix are
raised as CliError (one line on stderr, exit 2).
"""

from __future__ import annotations

import argparse
import contextlib
import sys

import anyio

from scp_mcp.cli.errors import CliError
from scp_mcp.cli.launch import open_backend, open_server
from scp_mcp.server.settings import ServerSettings


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


def run_describe(args: argparse.Namespace, settings: ServerSettings) -> int:
    from scp_mcp.cli.describe import describe

    print(describe(args.tool, settings))
    return 0


def run_serve(args: argparse.Namespace, settings: ServerSettings) -> int:
    from scp_mcp.cli.logs import configure_logging
    from scp_mcp.cli.parser import http_settings_from, log_settings_from
    from scp_mcp.cli.ports import check_free

    http = http_settings_from(args)
    if args.transport == "http":
        from scp_mcp.server.http_security import check_bind, token_verifier

        check_bind(http.host, authenticated=token_verifier(http) is not None)  # before anything is opened
        check_free(args.host, args.port)
    configure_logging(log_settings_from(args))
    server = open_server(settings, repair="fix it, delete it, or pass another --sandbox-state")
    from scp_mcp.server.transports import serve

    with contextlib.suppress(KeyboardInterrupt):
        anyio.run(serve, server, args.transport, http)
    return 0


def run_call(args: argparse.Namespace, settings: ServerSettings) -> int:
    from scp_mcp.cli.oneshot import call_session

    if args.help or not args.tool:
        return _call_help(args, settings)
    return call_session(args, settings)


def _call_help(args: argparse.Namespace, settings: ServerSettings) -> int:
    if args.tool:
        from scp_mcp.cli.describe import describe

        print(describe(args.tool, settings))
        return 0
    if not args.help:
        raise CliError("call needs a tool name, e.g. `scp-mcp call eventstreams_list_clusters` (see `scp-mcp tools`)")
    args.print_call_help()
    return 0


def run_config(args: argparse.Namespace, settings: ServerSettings) -> int:
    from scp_mcp.cli.clientconfig import DEFAULT_PROFILES, render, scope_hint, where

    if args.url is not None:
        return run_remote_config(args)
    extra = serve_flags(args)
    profile = getattr(args, "profile", None) or DEFAULT_PROFILES[args.client]
    if getattr(args, "profile", None) or profile != "full":
        extra = ["--profile", profile, *extra]
    _err(where(args.client))
    sys.stdout.write(render(args.client, extra, credentials=args.with_credentials))
    hint = scope_hint(args.client, extra, credentials=args.with_credentials)
    if hint:
        _err(hint)
    return 0


def run_remote_config(args: argparse.Namespace) -> int:
    """`config CLIENT --url URL`: the client connects to a running server; the token stays out of the output."""
    from scp_mcp.cli.clientconfig import remote_hint, remote_where, render_remote
    from scp_mcp.server.settings import HttpSettings

    given = (
        serve_flags(args)
        + (["--profile"] if args.profile else [])
        + (["--with-credentials"] if args.with_credentials else [])
    )
    if given:
        raise CliError(
            f"{given[0]} is for a server the client starts; with --url, pass it to that server's `scp-mcp serve`"
        )
    if not args.url.startswith(("http://", "https://")):
        raise CliError(
            f"--url {args.url!r}: use the server's http:// or https:// address, e.g. http://127.0.0.1:8000/mcp"
        )
    token = bool(HttpSettings(auth_token_file=args.auth_token_file).auth_tokens())
    _err(remote_where(args.client, token=token))
    sys.stdout.write(render_remote(args.client, args.url, token=token))
    hint = remote_hint(args.client, args.url, token=token)
    if hint:
        _err(hint)
    return 0


def serve_flags(args: argparse.Namespace) -> list[str]:
    """The `serve` flags given to `config`, to put into the client's command line."""
    flags: list[str] = []
    for name in ("sandbox", "read_only", "no_destructive"):
        if getattr(args, name, False):
            flags.append("--" + name.replace("_", "-"))
    for name in ("backend", "confirm", "toolsets", "sandbox_state", "state_dir", "seal_key_file"):
        value = getattr(args, name, None)
        if value:
            flags += ["--" + name.replace("_", "-"), str(value)]
    for name in ("allow", "deny"):
        for pattern in getattr(args, name, []):
            flags += [f"--{name}", pattern]
    return flags


def run_sandbox(args: argparse.Namespace, settings: ServerSettings) -> int:
    import scp_mcp.sandbox
    from scp_mcp.cli.ports import check_free
    from scp_mcp.cli.state import check_state_file

    check_free(args.host, args.port)
    if args.state is not None:
        check_state_file(args.state, hint="fix it, delete it, or pass another --state")
    with contextlib.suppress(KeyboardInterrupt):
        scp_mcp.sandbox.serve_sandbox(args.port, args.host, args.state, args.speed)
    return 0


def run_doctor(args: argparse.Namespace, settings: ServerSettings) -> int:
    from scp_mcp.cli.doctor import run_doctor as doctor

    backend = open_backend(settings)

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

    return anyio.run(demo, replace(settings, backend="sandbox", sandbox_state=None), print)


def run_audit(args: argparse.Namespace, settings: ServerSettings) -> int:
    """Recent entries of the audit log, oldest first."""
    from scp_mcp.cli.audit import show_audit

    return show_audit(settings, since=args.since, as_json=args.json, write=print)
