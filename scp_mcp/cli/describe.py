"""`scp-mcp describe TOOL` (also `scp-mcp call TOOL --help`): what a tool takes and what it risks;
`scp-mcp describe SERVICE`: what the service's API can and cannot do (the capability matrix).

Derived from the tool's real input schema, listed by a server built like the one an assistant
talks to (same confirmation mode), so the two never disagree; the risk class and the asynchronous
kind come from the catalog.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

import anyio
from mcp import types

from scp_mcp.catalog import Operation, load_catalog
from scp_mcp.catalog.capabilities import describe_service
from scp_mcp.cli.oneshot import UsageError, arms, type_name, unknown_tool
from scp_mcp.server.prompt_steps import service_named
from scp_mcp.server.settings import ServerSettings
from scp_mcp.tools.policy import ToolPolicy

_RISK = {
    "read": "read (changes nothing)",
    "write": "write (creates or changes something; no confirmation)",
    "disruptive": "disruptive (interrupts service: nothing is sent until you confirm)",
    "destructive": "destructive (deletes: nothing is sent until you confirm with the target's name)",
}
_ASYNC = {
    "sync": "no: answers at once",
    "request": "yes: SCP answers with a request id; pass wait_seconds=N to wait for the end",
    "resource": "yes: the resource changes state over time; pass wait_seconds=N to wait for the end",
}


def list_tools(settings: ServerSettings) -> list[types.Tool]:
    """Every catalog tool as this configuration's server lists it (on a throwaway in-memory sandbox)."""
    from scp_mcp.sandbox import Sandbox, SandboxClock
    from scp_mcp.server.app import build_server
    from scp_mcp.server.backend import sandbox_backend

    full = replace(settings, backend="sandbox", sandbox_state=None, policy=ToolPolicy())
    server = build_server(full, sandbox_backend(Sandbox(clock=SandboxClock.manual())))
    return anyio.run(server.list_tools)


def describe(tool: str, settings: ServerSettings) -> str:
    host = service_named(tool)
    if host is not None:
        return describe_service(host)
    listed = {t.name: t for t in list_tools(settings)}
    if tool not in listed:
        raise UsageError(unknown_tool(tool, list(listed)))
    op = load_catalog().get(tool)
    return render(listed[tool], op, settings.policy.refusal(op) if op else None)


def render(tool: types.Tool, op: Operation | None, hidden: str | None = None) -> str:
    """One tool's description; ``op`` is None for the server's own tools (fleet_overview, diagnose)."""
    lines = [f"{tool.name} — {tool.title or (op.name if op else tool.name)}"]
    if op is not None:
        lines.append(f"  {op.method} {op.path} ({op.service} {op.name}; API versions {', '.join(op.versions)})")
    if tool.description:
        lines.append(f"  {tool.description}")
    read_only = bool(tool.annotations and tool.annotations.read_only_hint)
    lines.append(f"risk:          {_RISK[op.risk if op else 'read' if read_only else 'write']}")
    if op is not None:
        lines.append(f"asynchronous:  {_ASYNC[op.async_kind]}")
    else:
        lines.append("asynchronous:  no (the server's own tool; it reads across SCP operations)")
    if hidden:
        lines.append(f"not callable here: {hidden}")
    schema = tool.input_schema
    props: Mapping[str, Any] = schema.get("properties", {})
    lines.append("arguments:" if props else "arguments:     none")
    lines.extend(_fields(props, set(schema.get("required", [])), "  "))
    lines.append(f"usage: {usage(tool.name, schema)}")
    return "\n".join(lines)


def usage(name: str, schema: Mapping[str, Any]) -> str:
    props: Mapping[str, Any] = schema.get("properties", {})
    required = [f"{k}=<{type_name(props[k])}>" for k in schema.get("required", []) if k in props]
    optional = " [key=value ...]" if set(props) - set(schema.get("required", [])) else ""
    return " ".join(["scp-mcp call", name, *required]) + optional


def _fields(props: Mapping[str, Any], required: set[str], indent: str) -> Iterator[str]:
    for name, schema in props.items():
        yield f"{indent}{name}  {_facts(schema, name in required)}"
        description = schema.get("description")
        if description:
            yield f"{indent}    {description}"
        nested = _nested(schema)
        if nested is not None:
            yield from _fields(nested.get("properties", {}), set(nested.get("required", [])), indent + "    ")


def _facts(schema: Mapping[str, Any], required: bool) -> str:
    """`string, required`, `integer, optional, default 20, 0..900`, `string, one of A|B`, ..."""
    facts = [_type(schema), "required" if required else "optional"]
    if "default" in schema and schema["default"] is not None:
        facts.append(f"default {json.dumps(schema['default'], ensure_ascii=False)}")
    for arm in arms(schema):
        if arm.get("enum"):
            facts.append("one of " + "|".join(map(str, arm["enum"])))
        if "minimum" in arm or "maximum" in arm:
            facts.append(f"{arm.get('minimum', '')}..{arm.get('maximum', '')}")
        if "pattern" in arm:
            facts.append(f"pattern {arm['pattern']}")
        if "minLength" in arm or "maxLength" in arm:
            facts.append(_length(arm.get("minLength"), arm.get("maxLength")))
    return ", ".join(facts)


def _length(least: int | None, most: int | None) -> str:
    if least is not None and most is not None:
        return f"length {least}..{most}"
    return f"at most {most} characters" if most is not None else f"at least {least} characters"


def _type(schema: Mapping[str, Any]) -> str:
    text = _plain_type(schema)
    return f"{text} (JSON)" if "array" in text or "object" in text else text


def _plain_type(schema: Mapping[str, Any]) -> str:
    names = []
    for arm in arms(schema):
        kind = str(arm.get("type", "any"))
        if kind == "array" and arm.get("items"):
            kind = f"array of {_plain_type(arm['items'])}"
        names.append(kind)
    return " or ".join(names) or "any"


def _nested(schema: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The object schema whose fields to show under this argument (itself, or its array's items)."""
    for arm in arms(schema):
        target = arm.get("items", {}) if arm.get("type") == "array" else arm
        if target.get("type") == "object" and target.get("properties"):
            return target
    return None
