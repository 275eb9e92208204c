"""`scp-mcp call TOOL key=value ...`: one tool through the same MCP pipeline, from the shell.

The server runs in process and is called through an in-memory MCP client, so validation, policy,
the confirmation guard and the summaries are exactly what an assistant gets. Values are read as the
tool's input schema types them: strings stay strings; numbers, booleans, lists and objects are JSON.
Arguments that cannot work (unknown, missing, wrongly typed) are refused before anything is sent.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import json
import os
import secrets
import sys
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import anyio
from mcp import Client, types

from scp_mcp.catalog import load_catalog
from scp_mcp.cli.errors import EXIT_ERROR, EXIT_NOT_SENT, EXIT_OK, EXIT_USAGE, CliError
from scp_mcp.cli.launch import open_server, uses_sandbox
from scp_mcp.cli.state import catch_up, default_state_file, prepare
from scp_mcp.server.app import ScpMcpServer
from scp_mcp.server.settings import ServerSettings
from scp_mcp.store import default_state_dir
from scp_mcp.tools.schemas import accepts_string

_PY_TYPES: Mapping[str, tuple[type, ...]] = {
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


class UsageError(CliError):
    """The command line cannot become a tool call (exit 2); nothing was sent."""


def arms(schema: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The non-null alternatives of a property schema (itself when it is not an anyOf)."""
    if "anyOf" not in schema:
        return [schema]
    return [a for a in schema["anyOf"] if a.get("type") != "null"]


def parse_assignments(tool: str, pairs: Sequence[str], schema: Mapping[str, Any]) -> dict[str, Any]:
    props: Mapping[str, Any] = schema.get("properties", {})
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"{pair!r} is not key=value; see `scp-mcp describe {tool}`")
        if key not in props:
            close = difflib.get_close_matches(key, list(props), n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            raise UsageError(f"{tool} has no argument {key!r}; {hint}this tool takes: {', '.join(props) or 'nothing'}")
        out[key] = raw if accepts_string(props[key]) else _json_or_text(raw)
        _check_type(tool, key, raw, out[key], props[key])
    missing = [name for name in schema.get("required", []) if name not in out]
    if missing:
        needs = ", ".join(f"{name}=<{type_name(props.get(name, {}))}>" for name in missing)
        raise UsageError(f"{tool} needs {needs}; see `scp-mcp describe {tool}`")
    return out


def _json_or_text(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _check_type(tool: str, key: str, raw: str, value: Any, schema: Mapping[str, Any]) -> None:
    alternatives = arms(schema)
    if len(alternatives) != 1:
        return
    only = alternatives[0]
    wanted = str(only.get("type", ""))
    if wanted in _PY_TYPES and not _is_a(value, wanted):
        example = _EXAMPLES.get(wanted, "")
        form = f" (JSON, e.g. {key}={example})" if example else ""
        raise UsageError(f"{tool}: {key} must be {article(wanted)} {wanted}{form}, not {raw!r}")
    enum = only.get("enum")
    if enum and value not in enum:
        raise UsageError(f"{tool}: {key} must be one of {', '.join(map(str, enum))}, not {raw!r}")


_EXAMPLES = {"array": '\'["a","b"]\'', "object": '\'{"key": "value"}\'', "boolean": "true"}


def _is_a(value: Any, wanted: str) -> bool:
    if isinstance(value, bool) and wanted != "boolean":
        return False
    return isinstance(value, _PY_TYPES[wanted])


def type_name(schema: Mapping[str, Any]) -> str:
    names = [str(a.get("type", "any")) for a in arms(schema)]
    return " or ".join(names) if names else "any"


def article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


async def call_once(server: ScpMcpServer, tool: str, pairs: Sequence[str]) -> types.CallToolResult:
    listed = {t.name: t for t in await server.list_tools()}
    if tool not in listed:
        raise UsageError(unknown_tool(tool, list(listed), server))
    arguments = parse_assignments(tool, pairs, listed[tool].input_schema)
    async with Client(server) as client:
        return await client.call_tool(tool, arguments)


def unknown_tool(tool: str, names: Sequence[str], server: ScpMcpServer | None = None) -> str:
    """No such tool on this server: hidden by its policy, or a near miss with suggestions."""
    try:
        op = load_catalog().by_tool_name(tool)
    except KeyError:
        op = None
    if op is not None and server is not None:
        why = server.runtime.settings.policy.refusal(op) or f"{tool} is hidden"
        return f"no tool {tool!r} on this server: {why}"
    close = difflib.get_close_matches(tool, names, n=3, cutoff=0.6)
    close = close or sorted(n for n in names if tool.split("_")[0] in n)[:3]
    hint = f"; did you mean {' or '.join(close)}?" if close else "; run `scp-mcp tools` to list them"
    return f"no tool {tool!r}{hint}"


def exit_code(result: types.CallToolResult) -> int:
    content = result.structured_content or {}
    if result.is_error:
        return EXIT_USAGE if content.get("error") == "invalid_arguments" else EXIT_ERROR
    return EXIT_NOT_SENT if content.get("status") in ("confirmation_required", "declined") else EXIT_OK


def text_of(result: types.CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if isinstance(block, types.TextContent))


def call_session(args: argparse.Namespace, settings: ServerSettings) -> int:
    """`scp-mcp call`: on the sandbox, its state (and clock) is loaded before and saved after the call."""
    settings, state = _call_settings(settings, fresh=args.fresh)
    settings = with_kept_seal_key(settings)
    server = open_server(settings, simulated_waits=True, repair="fix it, delete it, or run with --fresh")
    backend = server.backend
    if backend.sandbox is not None and state is not None:
        catch_up(backend.sandbox, state)

    async def once() -> types.CallToolResult:
        try:
            return await call_once(server, args.tool, args.arguments)
        finally:
            if backend.sandbox is not None and state is not None:
                backend.sandbox.save()
            await backend.aclose()

    result = anyio.run(once)
    code = exit_code(result)
    if code == EXIT_USAGE:
        print(f"scp-mcp: {' '.join(text_of(result).split())}", file=sys.stderr)
    else:
        print(text_of(result))
        if args.json and result.structured_content is not None:
            print(json.dumps(result.structured_content, indent=2, ensure_ascii=False))
    print(answered_by(backend.where if backend.sandbox is None else None, state), file=sys.stderr)
    return code


def answered_by(where: str | None, state: Path | None) -> str:
    """The last line of every call: which backend answered (and, for the sandbox, where its state is)."""
    if where is not None:
        return f"(answered by {where})"
    kept = f"; state kept in {state}, --fresh starts over" if state is not None else "; state in memory only"
    return f"(answered by the embedded SCP sandbox: simulated, nothing real is touched{kept})"


def _call_settings(settings: ServerSettings, *, fresh: bool) -> tuple[ServerSettings, Path | None]:
    """On the sandbox, the state file every call shares (the default one unless told otherwise)."""
    if not uses_sandbox(settings):
        if fresh:
            raise UsageError("--fresh starts the sandbox again, but this call goes to real SCP; add --sandbox")
        return settings, None
    state = settings.sandbox_state
    if state is None:
        state = default_state_file()
        prepare(state, fresh=fresh, make_parents=True)
    else:
        prepare(state, fresh=fresh)
    return replace(settings, sandbox_state=state), state


def with_kept_seal_key(settings: ServerSettings) -> ServerSettings:
    """Each call is its own process: unless a seal key is configured, one kept in the state dir (made
    once, readable by the user only) lets the next call's confirm_token be checked."""
    if settings.seal_key_file is not None or os.environ.get("SCP_MCP_SEAL_KEY", "").strip():
        return settings
    key_file = (settings.state_dir or default_state_dir()) / "seal.key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):  # another call made it meanwhile
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(32))
    return replace(settings, seal_key_file=key_file)
