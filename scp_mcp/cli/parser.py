"""The argument parser of `scp-mcp`, and the server settings its flags give (flags over env).

Usage errors are one line (what is wrong, and which --help to read), never argparse's usage block.
"""

from __future__ import annotations

import argparse
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import NoReturn

from scp_mcp.cli.clientconfig import CLIENTS
from scp_mcp.cli.errors import CliError
from scp_mcp.server.settings import (
    BACKENDS,
    CONFIRM_MODES,
    LOG_LEVELS,
    PROFILES,
    HttpSettings,
    LogSettings,
    ServerSettings,
    split_list,
)
from scp_mcp.tools.policy import ToolPolicy


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line, raised as CliError (exit 2)."""

    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message} (see '{self.prog} --help')")


def port(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"{number} is not a port number (use 1-65535)")
    return number


def positive(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not number > 0:
        raise argparse.ArgumentTypeError(f"{text} must be more than 0")
    return number


def package_version() -> str:
    try:
        return version("scp-mcp")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _policy_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("which tools (deny wins; a hidden tool cannot be called)")
    group.add_argument("--read-only", action="store_true", help="only read tools are listed and callable")
    group.add_argument("--no-destructive", action="store_true", help="hide destructive tools")
    group.add_argument("--toolsets", help="services to expose, comma separated (e.g. eventstreams,vertica)")
    group.add_argument("--allow", action="append", default=[], help="tool-name pattern to allow (repeatable)")
    group.add_argument("--deny", action="append", default=[], help="tool-name pattern to deny (repeatable)")


def _backend_flags(parser: argparse.ArgumentParser, *, state_help: str) -> None:
    group = parser.add_argument_group("backend")
    group.add_argument("--sandbox", action="store_true", help="use the embedded SCP sandbox even if credentials exist")
    group.add_argument("--backend", choices=BACKENDS, help="auto (default): SCP when credentials exist, else sandbox")
    group.add_argument("--sandbox-state", type=Path, metavar="FILE", help=state_help)
    group.add_argument("--confirm", choices=CONFIRM_MODES, help="how guarded tools are confirmed (default: either)")
    _store_flags(group)


def _store_flags(group: argparse._ArgumentGroup) -> None:
    group.add_argument("--state-dir", type=Path, metavar="DIR", help=_STATE_DIR)
    group.add_argument("--store", metavar="URL", help=_STORE)
    group.add_argument(
        "--seal-key-file",
        type=Path,
        metavar="FILE",
        help="the key that seals confirmation tokens, shared by replicas (default: $SCP_MCP_SEAL_KEY, else random)",
    )


def _http_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("HTTP (with --transport http)")
    group.add_argument(
        "--auth-token-file",
        type=Path,
        metavar="FILE",
        help="bearer tokens that may call, one a line (default: $SCP_MCP_AUTH_TOKEN; required off loopback)",
    )
    group.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="HOST",
        help="a Host header to answer besides loopback (HOST or HOST:* for any port; repeatable)",
    )
    group.add_argument(
        "--allowed-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="a browser Origin to answer besides loopback (e.g. https://app.example.com; repeatable)",
    )
    group.add_argument("--max-body-bytes", type=positive, metavar="N", help="largest request body (default 1 MiB)")
    group.add_argument(
        "--read-timeout",
        type=positive,
        metavar="SECONDS",
        help="time a client has to send one request before it is disconnected (default 10)",
    )


def _oauth_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "OAuth resource server (instead of --auth-token-file; pip install 'scp-mcp[oauth]')"
    )
    group.add_argument(
        "--oauth-issuer",
        metavar="URL",
        help="accept JWT access tokens from this issuer, checked against its JWKS (default: $SCP_MCP_OAUTH_ISSUER)",
    )
    group.add_argument(
        "--oauth-audience",
        metavar="AUD",
        help="the `aud` the tokens must carry for this server (default: $SCP_MCP_OAUTH_AUDIENCE)",
    )
    group.add_argument(
        "--oauth-resource",
        metavar="URL",
        help="this server's /mcp URL as clients reach it, for the metadata (default: http://HOST:PORT/mcp)",
    )
    group.add_argument("--oauth-jwks-url", metavar="URL", help="the issuer's JWKS (default: its metadata's jwks_uri)")
    group.add_argument(
        "--oauth-scope",
        metavar="SCOPE",
        action="append",
        default=[],
        help="a scope every token must carry, else 403 (repeatable; default: $SCP_MCP_OAUTH_SCOPES)",
    )


def _log_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("logging")
    group.add_argument("--log-level", type=str.upper, choices=LOG_LEVELS, help="default WARNING, or $SCP_MCP_LOG_LEVEL")
    group.add_argument("--log-file", type=Path, metavar="FILE", help="append the log to FILE (default: stderr)")


_STATE_DIR = (
    "where the audit log and used confirmations are kept (default: $SCP_MCP_STATE_DIR, else "
    "$XDG_STATE_HOME/scp-mcp, else ~/.local/state/scp-mcp)"
)
_STORE = (
    "postgresql://user@host/db (shared by replicas; pip install 'scp-mcp[postgres]') or a SQLite file "
    "(default: $SCP_MCP_STORE, else the SQLite file in the state dir)"
)
_PROFILE = "full: one typed tool per operation; discover: 3 tools that search, describe and call them"
_STATE = "keep the sandbox's state in this JSON file (created if missing)"
_CALL_STATE = (
    "where the sandbox's state is kept between calls (default: $SCP_MCP_SANDBOX_STATE, else "
    "$XDG_STATE_HOME/scp-mcp/sandbox.json, else ~/.local/state/scp-mcp/sandbox.json)"
)


def build_parser() -> Parser:
    parser = Parser(prog="scp-mcp", description="MCP server for SCP Data Analytics APIs.")
    parser.add_argument("--version", action="version", version=f"scp-mcp {package_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = sub.add_parser("serve", help="run the MCP server (stdio by default)")
    serve.add_argument("--transport", choices=("stdio", "http"), default="stdio")
    serve.add_argument("--host", default="127.0.0.1", help="HTTP host (loopback by default)")
    serve.add_argument("--port", type=port, default=8000, help="HTTP port (default 8000)")
    _backend_flags(serve, state_help=_STATE + "; default: in memory")
    serve.add_argument("--profile", choices=PROFILES, help=_PROFILE + " (default: full, or $SCP_MCP_PROFILE)")
    _policy_flags(serve)
    _http_flags(serve)
    _oauth_flags(serve)
    _log_flags(serve)
    tools = sub.add_parser("tools", help="list the tools with their risk classes")
    fmt = tools.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--markdown", action="store_true", help="the markdown table embedded in README.md")
    _policy_flags(tools)
    describe = sub.add_parser("describe", help="a tool's arguments, risk class and whether it is asynchronous")
    describe.add_argument("tool")
    _call_parser(sub)
    config = sub.add_parser("config", help="print a working MCP client configuration")
    config.add_argument("client", choices=CLIENTS)
    config.add_argument("--with-credentials", action="store_true", help="have the client supply SCP credentials")
    remote = config.add_argument_group("a server already running over HTTP (serve --transport http)")
    remote.add_argument("--url", metavar="URL", help="connect to this server (e.g. https://mcp.example.com/mcp)")
    remote.add_argument(
        "--auth-token-file",
        type=Path,
        metavar="FILE",
        help="the server's token file (or $SCP_MCP_AUTH_TOKEN): the client sends a bearer header it fills in",
    )
    _backend_flags(config, state_help=_STATE)
    config.add_argument("--profile", choices=PROFILES, help=_PROFILE + " (default: the client's, see README)")
    _policy_flags(config)
    sandbox = sub.add_parser("sandbox", help="serve the SCP sandbox on loopback (for other SCP clients)")
    sandbox.add_argument("--port", type=port, default=8765, help="port (default 8765)")
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--state", type=Path, metavar="FILE", help=_STATE + "; default: in memory")
    sandbox.add_argument("--speed", type=positive, default=60.0, help="simulated seconds per wall second")
    sub.add_parser("demo", help="show the server working on the embedded sandbox (what bare `scp-mcp` does)")
    doctor = sub.add_parser("doctor", help="check configuration, endpoints and one signed read")
    _backend_flags(doctor, state_help=_STATE)
    audit = sub.add_parser("audit", help="recent write, disruptive and destructive calls from the audit log")
    audit.add_argument("--since", default="24h", help="a duration (30m, 24h, 7d) or a UTC ISO time (default 24h)")
    audit.add_argument("--json", action="store_true", help="one JSON object per line")
    audit.add_argument("--state-dir", type=Path, metavar="DIR", help=_STATE_DIR)
    audit.add_argument("--store", metavar="URL", help=_STORE)
    return parser


def _call_parser(sub: argparse._SubParsersAction[Parser]) -> None:
    call = sub.add_parser(
        "call",
        add_help=False,
        help="run one tool through the server's pipeline and print the summary",
        description="Run one tool through the server's pipeline. `scp-mcp call TOOL --help` shows its arguments.",
    )
    call.add_argument("-h", "--help", action="store_true", help="this help, or the tool's arguments after TOOL")
    call.add_argument("tool", nargs="?", help="the tool's name (see `scp-mcp tools`)")
    call.add_argument("arguments", nargs="*", metavar="key=value")
    call.add_argument("--json", action="store_true", help="also print the structured content")
    call.add_argument("--fresh", action="store_true", help="start the sandbox from its seeded fleet again")
    _backend_flags(call, state_help=_CALL_STATE)
    _policy_flags(call)
    call.set_defaults(print_call_help=call.print_help)


def settings_from(args: argparse.Namespace) -> ServerSettings:
    base = ServerSettings.from_env()
    toolsets = split_list(getattr(args, "toolsets", None))
    policy = ToolPolicy(
        read_only=getattr(args, "read_only", False) or base.policy.read_only,
        no_destructive=getattr(args, "no_destructive", False) or base.policy.no_destructive,
        toolsets=frozenset(toolsets) if toolsets else base.policy.toolsets,
        allow=tuple(getattr(args, "allow", [])) or base.policy.allow,
        deny=(*base.policy.deny, *getattr(args, "deny", [])),
    )
    backend = "sandbox" if getattr(args, "sandbox", False) else (getattr(args, "backend", None) or base.backend)
    return ServerSettings(
        backend=backend,
        confirmation=getattr(args, "confirm", None) or base.confirmation,
        policy=policy,
        profile=getattr(args, "profile", None) or base.profile,
        sandbox_state=getattr(args, "sandbox_state", None) or base.sandbox_state,
        state_dir=getattr(args, "state_dir", None) or base.state_dir,
        seal_key_file=getattr(args, "seal_key_file", None) or base.seal_key_file,
        store=getattr(args, "store", None) or base.store,
    )


def http_settings_from(args: argparse.Namespace) -> HttpSettings:
    base = HttpSettings.from_env()
    return HttpSettings(
        host=args.host,
        port=args.port,
        auth_token_file=args.auth_token_file,
        allowed_hosts=(*base.allowed_hosts, *args.allowed_host),
        allowed_origins=(*base.allowed_origins, *args.allowed_origin),
        max_body_bytes=int(args.max_body_bytes or base.max_body_bytes),
        read_timeout_s=args.read_timeout or base.read_timeout_s,
        oauth_issuer=args.oauth_issuer or base.oauth_issuer,
        oauth_audience=args.oauth_audience or base.oauth_audience,
        oauth_resource=args.oauth_resource,
        oauth_jwks_url=args.oauth_jwks_url,
        oauth_scopes=tuple(args.oauth_scope) or base.oauth_scopes,
    )


def log_settings_from(args: argparse.Namespace) -> LogSettings:
    base = LogSettings.from_env()
    return LogSettings(level=args.log_level or base.level, file=args.log_file)
