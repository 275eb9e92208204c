"""`scp-mcp config <client>`: a working configuration for Claude Desktop, Claude Code, Cursor or VS Code.

The command is the absolute path of the installed `scp-mcp`, so the client need not share the
shell's PATH; credentials are not written into client files (they come from the environment or
~/.scpconf), unless placeholders are asked for.
"""

from __future__ import annotations

import json
import shlex
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

CLIENTS = ("claude-desktop", "claude-code", "cursor", "vscode")
SERVER_KEY = "scp"
CREDENTIAL_PLACEHOLDERS = {
    "SCP_ACCESS_KEY": "<your SCP access key>",
    "SCP_SECRET_KEY": "<your SCP secret key>",
    "SCP_REGION": "kr-west1",
    "SCP_ENVIRONMENT": "e",
}

_WHERE = {
    "claude-desktop": "Add to claude_desktop_config.json (Settings > Developer > Edit Config), then restart Claude.",
    "cursor": "Add to ~/.cursor/mcp.json (or .cursor/mcp.json in a project).",
    "vscode": "Add to .vscode/mcp.json in your workspace (or run 'MCP: Add Server').",
    "claude-code": "Run this once (add --scope project to share it through .mcp.json):",
}


def executable() -> str:
    found = shutil.which("scp-mcp")
    if found:
        return str(Path(found).resolve())
    return str(Path(sys.argv[0]).resolve()) if sys.argv and sys.argv[0].endswith("scp-mcp") else "scp-mcp"


def where(client: str) -> str:
    """Where the configuration goes (printed to stderr, so stdout can be redirected into the file)."""
    return _WHERE[client]


def render(client: str, serve_args: Sequence[str], *, placeholders: bool = False, command: str | None = None) -> str:
    """The configuration for `client`: JSON for the editors and Claude Desktop, a command for Claude Code."""
    if client not in CLIENTS:
        raise ValueError(f"unknown client {client!r}; use one of {', '.join(CLIENTS)}")
    cmd = command or executable()
    args = ["serve", *serve_args]
    env = dict(CREDENTIAL_PLACEHOLDERS) if placeholders else {}
    if client == "claude-code":
        env_flags = [f"--env={k}={v}" for k, v in env.items()]
        line = shlex.join(["claude", "mcp", "add", SERVER_KEY, *env_flags, "--", cmd, *args])
        return line + "\n"
    entry: dict[str, object] = {"command": cmd, "args": args}
    if env:
        entry["env"] = env
    if client == "vscode":
        document: dict[str, object] = {"servers": {SERVER_KEY: {"type": "stdio", **entry}}}
    else:
        document = {"mcpServers": {SERVER_KEY: entry}}
    return json.dumps(document, indent=2) + "\n"
