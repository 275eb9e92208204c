"""Secret values (the passwords of AKHQ, broker and ZooKeeper SASL, database users, Data Flow / Data Ops
accounts) never reach the assistant or the audit log, even when the API's own 400 quotes the request
body back; control characters in an API's text are written out, never passed on raw."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

import anyio
import pytest
from mcp import Client, types

from scp_mcp.catalog import load_catalog
from scp_mcp.store import SqliteStore
from scp_mcp.tools.redact import MASK, error_text, is_secret_key
from tests.support.fleet import hints
from tests.support.schema_args import arguments
from tests.support.stack import Stack, make_stack

pytestmark = pytest.mark.anyio

SECRET_TOOLS = (
    "dataflow_create_data_flow",
    "dataflow_create_service",
    "dataflow_update_data_flow",
    "dataflow_update_service",
    "dataops_create_data_ops",
    "dataops_create_service",
    "dataops_update_data_ops",
    "eventstreams_create_cluster",
    "searchengine_create_cluster",
    "vertica_create_cluster",
)


@pytest.fixture(scope="module")
def shared() -> Stack:
    return make_stack()


@pytest.fixture
def stack(shared: Stack) -> Stack:
    shared.sandbox.reset()
    shared.server.runtime.reset()
    shared.server.runtime.store = SqliteStore(":memory:")
    return shared


def _secret_paths(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    if isinstance(value, Mapping):
        for key, sub in value.items():
            if is_secret_key(key) and isinstance(sub, str):
                yield (*path, key)
            else:
                yield from _secret_paths(sub, (*path, key))


def _set(args: dict[str, Any], path: tuple[str, ...], value: str) -> None:
    for key in path[:-1]:
        args = args[key]
    args[path[-1]] = value


async def _arguments(client: Client, stack: Stack, tool: str) -> tuple[dict[str, Any], list[str]]:
    """Valid arguments with every secret field set to its own distinctive value (that still fits the schema)."""
    schema = {t.name: t for t in (await client.list_tools()).tools}[tool].input_schema
    args = arguments(schema, hints(stack.sandbox, load_catalog().by_tool_name(tool)))
    _fill_secret_fields(args, schema, schema)
    values = []
    for number, path in enumerate(_secret_paths(args)):
        value = f"Zq{number}!Secret#Pw9"
        _set(args, path, value)
        values.append(value)
    return args, values


def _fill_secret_fields(args: dict[str, Any], schema: Mapping[str, Any], root: Mapping[str, Any]) -> None:
    """Reach every secret field, optional ones included (the generator fills only required ones)."""
    if "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    arms = [a for a in schema.get("anyOf", []) if a.get("type") != "null"]
    schema = arms[0] if arms else schema
    for key, sub in schema.get("properties", {}).items():
        if key == "confirm_token":
            continue
        if is_secret_key(key):
            args[key] = "placeholder"
        elif any(_secret_names(sub, root)):
            _fill_secret_fields(args.setdefault(key, {}), sub, root)


def _shown(result: types.CallToolResult) -> str:
    texts = [block.text for block in result.content if isinstance(block, types.TextContent)]
    return "\n".join(texts) + json.dumps(result.structured_content, ensure_ascii=False)


async def test_every_tool_with_a_secret_field_is_checked(stack: Stack) -> None:
    """The list above is every tool whose arguments carry a secret (other than the confirmation token)."""
    async with Client(stack.server) as client:
        listed = (await client.list_tools()).tools
    found = {t.name for t in listed if any(k != "confirm_token" for k in _secret_names(t.input_schema, t.input_schema))}
    assert found == set(SECRET_TOOLS)


def _secret_names(schema: Mapping[str, Any], root: Mapping[str, Any]) -> Iterator[str]:
    if "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    for arm in schema.get("anyOf", []):
        yield from _secret_names(arm, root)
    for key, sub in schema.get("properties", {}).items():
        if is_secret_key(key):
            yield key
        yield from _secret_names(sub, root)
    if "items" in schema:
        yield from _secret_names(schema["items"], root)


@pytest.mark.parametrize("tool", SECRET_TOOLS)
async def test_a_400_quoting_the_request_body_shows_no_secret(stack: Stack, tool: str) -> None:
    async with Client(stack.server) as client:
        args, values = await _arguments(client, stack, tool)
        assert values, f"{tool}: no secret field was filled"
        stack.sandbox.faults.add(tool, kind="echo")
        with anyio.fail_after(10):
            result = await client.call_tool(tool, args)
    wire = json.dumps([r.body for r in stack.sandbox.received if r.operation == tool], ensure_ascii=False)
    assert all(value in wire for value in values)  # the secrets were sent, and the 400 quoted them
    assert result.is_error
    assert (result.structured_content or {}).get("http_status") == 400
    shown = _shown(result)
    assert MASK in shown
    assert not [value for value in values if value in shown]
    audited = json.dumps([vars(e) for e in stack.server.runtime.store.audit_entries()], ensure_ascii=False)
    assert audited != "[]"
    assert not [value for value in values if value in audited]


def test_a_secret_cut_short_by_a_shortened_message_is_masked_too() -> None:
    text = '400 Bad Request — ValidationError: request rejected: {"akhq_password":"Zq0!Sec…'
    shown = error_text(text, ("Zq0!Secret#Pw9",))
    assert "Zq0!" not in shown
    assert shown.endswith(f'"akhq_password":"{MASK}…')


def test_a_secret_the_api_quotes_json_escaped_is_masked_too() -> None:
    shown = error_text('rejected: {"password":"a\\"b\\\\c-long"}', ('a"b\\c-long',))
    assert shown == f'rejected: {{"password":"{MASK}"}}'


async def test_control_characters_quoted_in_an_api_error_are_written_out(stack: Stack) -> None:
    """The 404 for an id holding ANSI escapes and CR/LF quotes it back; the assistant sees it written out."""
    hostile = "\x1b[2J\x1b[31mowned\r\nX-Injected: 1\x07"
    async with Client(stack.server) as client:
        with anyio.fail_after(10):
            result = await client.call_tool("vertica_show_cluster", {"cluster_id": hostile})
    assert (result.structured_content or {}).get("http_status") == 404
    [block] = result.content
    assert isinstance(block, types.TextContent)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in block.text), block.text
    assert 'cluster_id "\\x1b[2J\\x1b[31mowned\\r\\nX-Injected: 1\\x07" does not exist' in block.text
