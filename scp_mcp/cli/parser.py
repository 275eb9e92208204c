"""The argument parser of `scp-mcp`, and the server settings its flags give (flags over env)."""

from __future__ import annotations

import argparse
from pathlib import Path

from scp_mcp.server.settings import BACKENDS, CONFIRM_MODES, ServerSettings, split_list
from scp_mcp.tools.policy import ToolPolicy


def _policy_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("which tools (deny wins; a hidden tool cannot be called)")
    group.add_argument("--read-only", action="store_true", help="only read tools are listed and callable")
    group.add_argument("--no-destructive", action="store_true", help="hide destructive tools")
    group.add_argument("--toolsets", help="services to expose, comma separated (e.g. eventstreams,vertica)")
    group.add_argument("--allow", action="append", default=[], help="tool-name pattern to allow (repeatable)")
    group.add_argument("--deny", action="append", default=[], help="tool-name pattern to deny (repeatable)")


def _backend_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("backend")
    group.add_argument("--sandbox", action="store_true", help="use the embedded SCP sandbox even if credentials exist")
    group.add_argument("--backend", choices=BACKENDS, help="auto (default): SCP when credentials exist, else sandbox")
    group.add_argument("--sandbox-state", type=Path, help="keep the sandbox's state in this JSON file")
    group.add_argument("--confirm", choices=CONFIRM_MODES, help="how guarded tools are confirmed (default: either)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scp-mcp", description="MCP server for SCP Data Analytics APIs.")
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="run the MCP server (stdio by default)")
    serve.add_argument("--transport", choices=("stdio", "http"), default="stdio")
    serve.add_argument("--host", default="127.0.0.1", help="HTTP host (loopback by default)")
    serve.add_argument("--port", type=int, default=8000, help="HTTP port")
    _backend_flags(serve)
    _policy_flags(serve)
    tools = sub.add_parser("tools", help="list the tools with their risk classes")
    fmt = tools.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--markdown", action="store_true", help="the markdown table embedded in README.md")
    _policy_flags(tools)
    call = sub.add_parser("call", help="run one tool through the server's pipeline and print the summary")
    call.add_argument("tool")
    call.add_argument("arguments", nargs="*", metavar="key=value")
    call.add_argument("--json", action="store_true", help="also print the structured content")
    _backend_flags(call)
    _policy_flags(call)
    config = sub.add_parser("config", help="print a working MCP client configuration")
    config.add_argument("client", choices=("claude-desktop", "claude-code", "cursor", "vscode"))
    config.add_argument("--with-credentials", action="store_true", help="include credential placeholders")
    _backend_flags(config)
    _policy_flags(config)
    sandbox = sub.add_parser("sandbox", help="serve the SCP sandbox on loopback (for other SCP clients)")
    sandbox.add_argument("--port", type=int, default=8765)
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--state", type=Path, help="keep state in this JSON file across restarts")
    sandbox.add_argument("--speed", type=float, default=60.0, help="simulated seconds per wall second")
    sub.add_parser("demo", help="show the server working on the embedded sandbox (what bare `scp-mcp` does)")
    doctor = sub.add_parser("doctor", help="check configuration, endpoints and one signed read")
    _backend_flags(doctor)
    return parser


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
        sandbox_state=getattr(args, "sandbox_state", None) or base.sandbox_state,
    )
