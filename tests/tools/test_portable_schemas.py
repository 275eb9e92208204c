"""Every tool's schemas, as listed through mcp.Client, taken unchanged by the real converters of the
major providers (the `compat` extra: openai-agents, google-genai), by Anthropic's tool rules and by the
MCP Inspector's `--strict` lint; and what the advertised schema leaves to the description text is
still enforced by the server, with the same clear message."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

import anyio
import pytest
from mcp import Client, types

from scp_mcp.catalog import load_catalog
from scp_mcp.tools.operator import OPERATOR_TOOLS
from tests.support.fleet import hints
from tests.support.schema_args import arguments
from tests.support.stack import Stack

pytestmark = pytest.mark.anyio

strict_schema = pytest.importorskip("agents.strict_schema", reason="the compat extra: pip install -e '.[compat]'")
genai_types = pytest.importorskip("google.genai.types", reason="the compat extra: pip install -e '.[compat]'")
mcp_utils = pytest.importorskip("google.genai._mcp_utils", reason="the compat extra: pip install -e '.[compat]'")

# What Gemini's closed types.Schema refuses, and what no converter can type (an object with no properties).
REFUSED = frozenset({"examples", "multipleOf", "exclusiveMinimum", "exclusiveMaximum", "const", "additionalProperties"})


def _nodes(schema: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every subschema with its path (schema positions only: a property called "examples" is a name)."""
    yield path, schema
    if not isinstance(schema, dict):
        return
    for key in ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas"):
        for name, sub in (schema.get(key) or {}).items():
            yield from _nodes(sub, f"{path}.{key}.{name}")
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        for i, sub in enumerate(schema.get(key) or []):
            yield from _nodes(sub, f"{path}.{key}[{i}]")
    for key in ("items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else"):
        if key in schema:
            yield from _nodes(schema[key], f"{path}.{key}")


def _value(prop: dict[str, Any]) -> dict[str, Any]:
    arms = [a for a in prop.get("anyOf", []) if a != {"type": "null"}]
    return arms[0] if len(arms) == 1 else prop


def _said(prop: dict[str, Any]) -> str | None:
    arms = [a for a in prop.get("anyOf", []) if a != {"type": "null"}]
    text = prop.get("description") or (arms[0].get("description") if len(arms) == 1 else None)
    return text if isinstance(text, str) else None


# -- OpenAI ------------------------------------------------------------------------------------------


async def test_openai_strict_conversion_takes_every_input_schema(listed: dict[str, types.Tool]) -> None:
    assert len(listed) == 116 + len(OPERATOR_TOOLS)
    for name, tool in listed.items():
        strict = strict_schema.ensure_strict_json_schema(copy.deepcopy(tool.input_schema))
        # What strict mode means, done by the converter: closed objects, every property required.
        for path, node in _nodes(strict):
            if isinstance(node, dict) and node.get("type") == "object":
                assert node.get("additionalProperties") is False, (name, path)
                assert sorted(node.get("required", [])) == sorted(node.get("properties", {})), (name, path)
        # An argument that is optional for us is nullable or defaulted, so "required" costs the model nothing
        # it cannot say: null, or the default.
        schema = tool.input_schema
        for arg, prop in schema["properties"].items():
            if arg not in schema.get("required", []):
                nullable = {"type": "null"} in prop.get("anyOf", [])
                assert nullable or "default" in prop, (name, arg)


# -- Google ------------------------------------------------------------------------------------------


async def test_google_mcp_conversion_takes_all_116_tools_and_keeps_every_description(
    listed: dict[str, types.Tool],
) -> None:
    tools = list(listed.values())
    converted = mcp_utils.mcp_to_gemini_tools(tools)
    assert len(converted) == 116 + len(OPERATOR_TOOLS)
    for tool, gemini in zip(tools, converted, strict=True):
        (declaration,) = gemini.function_declarations
        assert declaration.name == tool.name
        kept = declaration.parameters.properties or {}
        assert sorted(kept) == sorted(tool.input_schema["properties"])
        for arg, prop in tool.input_schema["properties"].items():
            assert kept[arg].description == _said(prop), (tool.name, arg)


async def test_google_confirm_description_survives_the_conversion(listed: dict[str, types.Tool]) -> None:
    tool = listed["vertica_terminate_cluster"]
    (gemini,) = mcp_utils.mcp_to_gemini_tools([tool])
    confirm = gemini.function_declarations[0].parameters.properties["confirm"]
    assert confirm.description is not None
    assert "confirm_with" in confirm.description
    assert confirm.nullable is True


async def test_google_schema_model_takes_every_input_schema(listed: dict[str, types.Tool]) -> None:
    for tool in listed.values():
        schema = genai_types.Schema.model_validate(tool.input_schema)
        genai_types.FunctionDeclaration(name=tool.name, description=tool.description, parameters=schema)
        genai_types.FunctionDeclaration(
            name=tool.name, description=tool.description, parameters_json_schema=tool.input_schema
        )


# -- Anthropic and the keywords themselves -------------------------------------------------------------


async def test_anthropic_tool_rules(listed: dict[str, types.Tool]) -> None:
    for name, tool in listed.items():
        assert re.fullmatch(r"[a-zA-Z0-9_-]{1,64}", name)
        assert tool.input_schema["type"] == "object"
        assert not {"anyOf", "oneOf", "allOf", "$ref", "$defs"} & set(tool.input_schema)


async def test_no_input_schema_carries_a_keyword_a_provider_refuses(listed: dict[str, types.Tool]) -> None:
    for name, tool in listed.items():
        for path, node in _nodes(tool.input_schema):
            assert isinstance(node, dict), (name, path)
            assert not REFUSED & set(node), (name, path, REFUSED & set(node))
            if node.get("type") == "object":
                assert node.get("properties"), (name, path)  # no free-form object: a real shape


async def test_refused_keywords_are_said_in_the_description(listed: dict[str, types.Tool]) -> None:
    size = listed["vertica_set_block_storage_size"].input_schema["properties"]["size_gb"]
    assert size["description"] == "Size in GB. Multiple of 8. Example: 16."
    assert (size["minimum"], size["maximum"]) == (16, 5120)
    groups = listed["vertica_create_cluster"].input_schema["properties"]["instance_groups"]
    nested = groups["items"]["properties"]["block_storage_groups"]["items"]["properties"]["size_gb"]
    assert "Multiple of 8." in nested["description"]


async def test_free_form_objects_are_typed_from_the_documented_example(listed: dict[str, types.Tool]) -> None:
    props = listed["dataflow_create_service"].input_schema["properties"]
    assert _value(props["account"])["properties"] == {
        "account_id": {"type": "string"},
        "account_password": {"type": "string"},
    }
    workload = _value(props["service_workload"])
    assert set(workload["properties"]) == {"nifi", "nifi_registry", "zookeeper"}
    assert set(workload["properties"]["nifi"]["properties"]) == {"cpu", "memory", "replica", "version"}
    aliases = listed["dataops_create_data_ops"].input_schema["properties"]["host_alias_list"]
    assert _value(aliases)["items"]["properties"] == {
        "hostnames": {"type": "array", "items": {"type": "string"}},
        "ip": {"type": "string"},
    }


# -- The MCP Inspector's --strict lint, input and output schemas ------------------------------------
# (the rules of @modelcontextprotocol/inspector 2.12.0, clients/cli: tests/server/test_inspector.py runs
# the real one; this runs everywhere)

CONSTRAINING = frozenset(
    [
        "type",
        "enum",
        "const",
        "multipleOf",
        "maximum",
        "exclusiveMaximum",
        "minimum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "pattern",
        "format",
        "contentMediaType",
        "contentEncoding",
        "contentSchema",
        "maxItems",
        "minItems",
        "uniqueItems",
        "maxContains",
        "minContains",
        "maxProperties",
        "minProperties",
        "required",
        "dependentRequired",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "items",
        "prefixItems",
        "contains",
        "additionalItems",
        "unevaluatedItems",
        "properties",
        "patternProperties",
        "additionalProperties",
        "unevaluatedProperties",
        "propertyNames",
        "dependentSchemas",
        "dependencies",
        "$ref",
        "$dynamicRef",
        "$recursiveRef",
    ]
)


def _lint(schema: dict[str, Any]) -> list[str]:
    findings = []
    for path, node in _nodes(schema):
        if isinstance(node, bool):
            if not path.endswith((".additionalProperties", ".unevaluatedProperties", ".items")):
                findings.append(f"{path}: bare boolean schema")
            continue
        if isinstance(node.get("type"), list):
            findings.append(f"{path}: type array {node['type']}")
        ref = node.get("$ref")
        if isinstance(ref, str) and ref and not ref.startswith("#"):
            findings.append(f"{path}: remote $ref")
        if not CONSTRAINING & set(node) and not path.endswith(".not"):
            findings.append(f"{path or '(top)'}: no validation keyword")
    return findings


async def test_inspector_strict_rules_find_nothing_in_input_or_output_schemas(listed: dict[str, types.Tool]) -> None:
    findings = []
    for name, tool in listed.items():
        findings += [f"{name} inputSchema{f}" for f in _lint(tool.input_schema)]
        assert tool.output_schema is not None
        findings += [f"{name} outputSchema{f}" for f in _lint(tool.output_schema)]
    assert findings == []


# -- What the advertised schema leaves to words is still enforced -------------------------------------


def _text(result: types.CallToolResult) -> str:
    block = result.content[0]
    assert isinstance(block, types.TextContent)
    return block.text


@pytest.mark.parametrize(
    ("tool", "args", "says"),
    [
        pytest.param(
            "vertica_set_block_storage_size",
            {"block_storage_group_id": "g" * 32, "size_gb": 20},
            "size_gb: Input should be a multiple of 8",
            id="multipleOf",
        ),
        pytest.param(
            "dataflow_check_service_create_resources",
            {"service_workload": {"nifi": {"cpu": 2000}}},
            "service_workload.nifi.cpu: Input should be a valid string",
            id="typed-free-form",
        ),
        pytest.param(
            "dataflow_check_service_create_resources",
            {"service_workload": "nifi=2000"},
            "service_workload: Input should be a valid dictionary",
            id="typed-free-form-not-an-object",
        ),
    ],
)
async def test_constraints_said_in_words_are_still_enforced(
    stack: Stack, client: Client, tool: str, args: dict[str, Any], says: str
) -> None:
    schema = (await client.list_tools()).tools
    listed = {t.name: t for t in schema}[tool].input_schema
    full = {**arguments(listed, hints(stack.sandbox, load_catalog().by_tool_name(tool))), **args}
    before = len(stack.sandbox.received)
    with anyio.fail_after(5):
        result = await client.call_tool(tool, full)
    assert result.is_error
    assert result.structured_content is not None
    assert result.structured_content["error"] == "invalid_arguments"
    text = _text(result)
    assert text.startswith(f"Invalid arguments for {tool}: ")
    assert says in text, text
    assert len(stack.sandbox.received) == before


async def test_nested_multiple_of_is_enforced(stack: Stack, client: Client) -> None:
    tool = "vertica_create_cluster"
    listed = {t.name: t for t in (await client.list_tools()).tools}[tool].input_schema
    args = arguments(listed, hints(stack.sandbox, load_catalog().by_tool_name(tool)))
    args["instance_groups"][0]["block_storage_groups"][0]["size_gb"] = 100
    with anyio.fail_after(5):
        result = await client.call_tool(tool, args)
    assert result.is_error
    assert "Input should be a multiple of 8" in _text(result)


async def test_a_typed_free_form_object_reaches_the_api_as_given(stack: Stack, client: Client) -> None:
    """Keys the example does not show are still sent: the shape documents, it does not cut."""
    tool = "dataops_check_service_create_resources"
    listed = {t.name: t for t in (await client.list_tools()).tools}[tool].input_schema
    workload = {
        "scheduler": {"cpu": "1000", "memory": "2048", "replica": "1", "version": "2.9.3"},
        "triggerer": {"cpu": "500", "memory": "512", "replica": "1", "version": "2.9.3"},
    }
    args = {**arguments(listed, hints(stack.sandbox, load_catalog().by_tool_name(tool))), "service_workload": workload}
    with anyio.fail_after(5):
        result = await client.call_tool(tool, args)
    assert not result.is_error, _text(result)
    assert stack.sandbox.received[-1].body["service_workload"] == workload
