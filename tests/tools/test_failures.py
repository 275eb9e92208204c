"""Failures reach the assistant as results that say what to change: never a traceback, never a hang,
and never a secret."""

from __future__ import annotations

import anyio
import pytest
from mcp import Client, types
from tool_stack import Stack

from scp_mcp.tools.redact import MASK, redact, redact_text

pytestmark = pytest.mark.anyio


def _text(result: types.CallToolResult) -> str:
    block = result.content[0]
    assert isinstance(block, types.TextContent)
    return block.text


async def test_invalid_arguments_name_the_field_and_send_nothing(stack: Stack, client: Client) -> None:
    before = len(stack.sandbox.received)
    with anyio.fail_after(5):
        result = await client.call_tool("eventstreams_create_cluster", {"name": "x"})
    assert result.is_error
    text = _text(result)
    assert text.startswith("Invalid arguments for eventstreams_create_cluster:")
    assert "name: String should have at least 3 characters" in text
    assert "dbaas_engine_version_id: Field required" in text
    assert "errors.pydantic.dev" not in text
    assert "Traceback" not in text
    assert len(stack.sandbox.received) == before
    assert result.structured_content is not None
    assert result.structured_content["backend"] == "sandbox"
    assert result.structured_content["error"] == "invalid_arguments"


async def test_api_errors_are_results_with_a_hint(stack: Stack, client: Client) -> None:
    with anyio.fail_after(5):
        result = await client.call_tool("vertica_show_cluster", {"cluster_id": "f" * 32})
    assert result.is_error
    assert result.structured_content is not None
    assert result.structured_content["error"] == "NotFound"
    assert result.structured_content["http_status"] == 404
    assert result.structured_content["backend"] == "sandbox"
    assert "To find the right id, call vertica_list_clusters." in _text(result)


async def test_server_failures_after_retries_do_not_hang(stack: Stack, client: Client) -> None:
    stack.sandbox.faults.add("eventstreams_list_clusters", kind="5xx", times=None)
    with anyio.fail_after(10):
        result = await client.call_tool("eventstreams_list_clusters", {})
    assert result.is_error
    assert result.structured_content is not None
    assert result.structured_content["error"] == "ServerError"
    assert "retry later" in _text(result)


async def test_old_api_versions_work_and_carry_the_deprecation_warning(stack: Stack, client: Client) -> None:
    with anyio.fail_after(5):
        result = await client.call_tool("dataflow_list_data_flows", {"api_version": "1.0"})
    assert not result.is_error, _text(result)
    assert result.structured_content is not None
    assert result.structured_content["api_version"] == "1.0"
    assert any("past its support guarantee" in w for w in result.structured_content["warnings"])
    assert "Warning:" in _text(result)


async def test_unknown_version_is_refused_by_the_schema(stack: Stack, client: Client) -> None:
    with anyio.fail_after(5):
        result = await client.call_tool("dataflow_list_data_flows", {"api_version": "9.9"})
    assert result.is_error
    assert "api_version" in _text(result)


def test_secrets_are_masked_at_any_depth() -> None:
    body = {
        "name": "orders",
        "init_config_option": {"broker_sasl_password": "hunter22", "broker_sasl_id": "admin"},
        "users": [{"database_user_password": "s3cret!", "secret_key": "k"}],
        "access_key": "AKIA",
    }
    masked = redact(body)
    assert masked["init_config_option"] == {"broker_sasl_password": MASK, "broker_sasl_id": "admin"}
    assert masked["users"] == [{"database_user_password": MASK, "secret_key": MASK}]
    assert masked["access_key"] == MASK
    assert masked["name"] == "orders"
    assert redact_text("signed with topsecretvalue", ("topsecretvalue",)) == f"signed with {MASK}"
