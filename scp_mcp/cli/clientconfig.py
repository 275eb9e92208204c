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


# A server over streamable HTTP (`config CLIENT --url URL`). The bearer token is never written: each
# client gets a reference it resolves itself.
TOKEN_VARIABLE = "SCP_MCP_AUTH_TOKEN"
TOKEN_INPUT = "scp-mcp-auth-token"
_REMOTE_REFERENCES = {
    "claude-code": f"${{{TOKEN_VARIABLE}}}",  # .mcp.json expands ${VAR} in url and headers
    "cursor": f"${{env:{TOKEN_VARIABLE}}}",
    "vscode": f"${{input:{TOKEN_INPUT}}}",  # prompted once, kept in VS Code's secret storage
}
_REMOTE_WHERE = {
    "claude-code": "Save as .mcp.json in your project (Claude Code reads ${SCP_MCP_AUTH_TOKEN} from its environment).",
    "cursor": "Add to ~/.cursor/mcp.json (Cursor reads ${env:SCP_MCP_AUTH_TOKEN} from its environment).",
    "vscode": "Add to .vscode/mcp.json (VS Code asks for the token once and keeps it in its secret storage).",
    "claude-desktop": (
        "Claude Desktop does not take remote servers in claude_desktop_config.json (it adds them under "
        "Settings > Connectors, which signs in with OAuth and sends no bearer header). This entry bridges "
        "through `npx mcp-remote` (Node.js needed), which can send a bearer header."
    ),
}


def render_remote(client: str, url: str, *, token: bool) -> str:
    """The configuration for a running server at `url`; with `token`, a bearer header the client fills in."""
    if client not in CLIENTS:
        raise ValueError(f"unknown client {client!r}; use one of {', '.join(CLIENTS)}")
    if client == "claude-desktop":
        return json.dumps({"mcpServers": {SERVER_KEY: mcp_remote(url, token=token)}}, indent=2) + "\n"
    entry: dict[str, object] = {"url": url} if client == "cursor" else {"type": "http", "url": url}
    if token:
        entry["headers"] = {"Authorization": f"Bearer {_REMOTE_REFERENCES[client]}"}
    document: dict[str, object] = {}
    if client == "vscode":
        if token:
            document["inputs"] = [
                {"type": "promptString", "id": TOKEN_INPUT, "description": "scp-mcp bearer token", "password": True}
            ]
        document["servers"] = {SERVER_KEY: entry}
    else:
        document["mcpServers"] = {SERVER_KEY: entry}
    return json.dumps(document, indent=2) + "\n"


def mcp_remote(url: str, *, token: bool) -> dict[str, object]:
    """A stdio entry that runs mcp-remote against `url`."""
    args = ["-y", "mcp-remote", url]
    if not token:
        return {"command": "npx", "args": args}
    # "Authorization:${AUTH_HEADER}" with no space and the value in env, as mcp-remote's README advises:
    # Claude Desktop on Windows splits arguments that contain spaces.
    return {
        "command": "npx",
        "args": [*args, "--header", "Authorization:${AUTH_HEADER}"],
        "env": {"AUTH_HEADER": "Bearer <your scp-mcp token>"},
    }


def remote_where(client: str, *, token: bool) -> str:
    fill_in = " Put your token in AUTH_HEADER." if token and client == "claude-desktop" else ""
    return _REMOTE_WHERE[client] + fill_in


def remote_hint(client: str, url: str, *, token: bool) -> str:
    """What else to do (for stderr): set the variable the client reads, or the Claude Code command."""
    if client == "claude-code":
        # Double quotes: this shell puts the token in, as the stdio command does with credentials.
        header = f' --header "Authorization: Bearer ${TOKEN_VARIABLE}"' if token else ""
        line = f"claude mcp add --transport http{header} {SERVER_KEY} {shlex.quote(url)}"
        return f"Or register it for yourself only{f' (with {TOKEN_VARIABLE} exported)' if token else ''}:\n{line}"
    if client == "cursor" and token:
        return f"Set {TOKEN_VARIABLE} to your token in the environment Cursor starts from."
    return ""
