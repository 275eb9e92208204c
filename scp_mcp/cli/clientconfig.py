"""`scp-mcp config <client>`: a working configuration for Claude Desktop, Claude Code, Cursor or VS Code.

The command is the absolute path of the installed `scp-mcp`, so the client need not share the
shell's PATH. Credentials are not written into client files (the server reads them from the
environment or ~/.scpconf) unless --with-credentials asks the client to supply them: VS Code
prompts for them (`inputs` with "password": true, kept in its secret storage); the Claude Code
command takes them from the shell's SCP_* variables, and its --scope project variant leaves
`${SCP_...}` references for Claude Code to expand, so no secret lands in a shared .mcp.json;
Claude Desktop and Cursor get placeholders to replace.
"""

from __future__ import annotations

import json
import shlex
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

CLIENTS = ("claude-desktop", "claude-code", "cursor", "vscode")
# The profile each client gets unless --profile says otherwise (README "Profiles"): Cursor (40-100 tools)
# and VS Code (128 per request, built-in tools included) cannot take 116 typed tools next to others;
# the Claude clients can (Claude Code defers tools itself), and typed tools keep one call per action.
DEFAULT_PROFILES = {"claude-desktop": "full", "claude-code": "full", "cursor": "discover", "vscode": "discover"}
SERVER_KEY = "scp"
SECRETS = {"SCP_ACCESS_KEY": "access key", "SCP_SECRET_KEY": "secret key"}
DEFAULTS = {"SCP_REGION": "kr-west1", "SCP_ENVIRONMENT": "e"}
CREDENTIAL_PLACEHOLDERS = {**{k: f"<your SCP {what}>" for k, what in SECRETS.items()}, **DEFAULTS}

_WHERE = {
    "claude-desktop": "Add to claude_desktop_config.json (Settings > Developer > Edit Config), then restart Claude.",
    "cursor": "Add to ~/.cursor/mcp.json (or .cursor/mcp.json in a project).",
    "vscode": "Add to .vscode/mcp.json in your workspace (or run 'MCP: Add Server').",
    "claude-code": "Run this once (it registers the server for you, in this project):",
}


def executable() -> str:
    found = shutil.which("scp-mcp")
    if found:
        return str(Path(found).resolve())
    return str(Path(sys.argv[0]).resolve()) if sys.argv and sys.argv[0].endswith("scp-mcp") else "scp-mcp"


def where(client: str) -> str:
    """Where the configuration goes (printed to stderr, so stdout can be redirected into the file)."""
    return _WHERE[client]


def input_id(variable: str) -> str:
    """VS Code input id for a credential variable: SCP_SECRET_KEY -> scp-secret-key."""
    return variable.lower().replace("_", "-")


def render(client: str, serve_args: Sequence[str], *, credentials: bool = False, command: str | None = None) -> str:
    """The configuration for `client`: JSON for the editors and Claude Desktop, a command for Claude Code."""
    if client not in CLIENTS:
        raise ValueError(f"unknown client {client!r}; use one of {', '.join(CLIENTS)}")
    cmd = command or executable()
    if client == "claude-code":
        return claude_code(cmd, serve_args, credentials=credentials) + "\n"
    entry: dict[str, object] = {"command": cmd, "args": ["serve", *serve_args]}
    if client == "vscode":
        document: dict[str, object] = {}
        if credentials:
            document["inputs"] = [
                {"type": "promptString", "id": input_id(k), "description": f"SCP {what}", "password": True}
                for k, what in SECRETS.items()
            ]
            entry["env"] = {**{k: f"${{input:{input_id(k)}}}" for k in SECRETS}, **DEFAULTS}
        document["servers"] = {SERVER_KEY: {"type": "stdio", **entry}}
    else:
        if credentials:
            entry["env"] = dict(CREDENTIAL_PLACEHOLDERS)
        document = {"mcpServers": {SERVER_KEY: entry}}
    return json.dumps(document, indent=2) + "\n"


def claude_code(command: str, serve_args: Sequence[str], *, credentials: bool = False, scope: str | None = None) -> str:
    """`claude mcp add [options] <name> -- <command> [args...]`: every option before the name.

    With credentials, the local command takes the values from this shell ("$SCP_ACCESS_KEY"); the
    project-scoped one keeps literal ${SCP_ACCESS_KEY} references that Claude Code expands at start.
    """
    options = ["claude", "mcp", "add", *(["--scope", scope] if scope else []), "--transport", "stdio"]
    words = [shlex.quote(w) for w in options]
    if credentials:
        for name in SECRETS:
            words += ["--env", f"'{name}=${{{name}}}'" if scope == "project" else f'"{name}=${name}"']
        for name, value in DEFAULTS.items():
            words += ["--env", shlex.quote(f"{name}={value}")]
    words += [SERVER_KEY, "--", shlex.quote(command), "serve", *(shlex.quote(a) for a in serve_args)]
    return " ".join(words)


def scope_hint(client: str, serve_args: Sequence[str], *, credentials: bool = False, command: str | None = None) -> str:
    """For Claude Code, the command that shares the server with the project instead (for stderr)."""
    if client != "claude-code":
        return ""
    line = claude_code(command or executable(), serve_args, credentials=credentials, scope="project")
    return f"To share it with everyone on the project through .mcp.json instead, run:\n{line}"
