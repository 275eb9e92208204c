"""The audit log: every write, disruptive and destructive call lands in the store, confirmed,
declined or refused, with what became of it; nothing secret is in it. Reads are not audited."""

from __future__ import annotations

import json
from typing import Any

import anyio
import pytest
from mcp import Client, types

from scp_mcp.store import AuditEntry
from tests.support.fleet import hints
from tests.support.schema_args import arguments
from tests.support.stack import Stack

pytestmark = pytest.mark.anyio
TERMINATE = "eventstreams_terminate_cluster"
PASSWORD = "Sup3r-Secret-Pa55!"


def _entries(stack: Stack) -> list[AuditEntry]:
    return stack.server.runtime.store.audit_entries()


def _cluster_id(stack: Stack, name: str = "orders-kafka") -> str:
    record = stack.sandbox.find_cluster(name, "eventstreams")
    assert record is not None
    return str(record["id"])


async def _named_client(stack: Stack, mode: str, **kwargs: Any) -> Client:
    return Client(stack.server, mode=mode, client_info=types.Implementation(name="audit-test", version="1"), **kwargs)


async def test_confirmed_and_refused_calls_are_recorded(stack: Stack, mode: str) -> None:
    cluster_id = _cluster_id(stack)
    args = {"cluster_id": cluster_id}
    start = len(_entries(stack))
    with anyio.fail_after(10):
        async with await _named_client(stack, mode) as client:
            await client.call_tool("eventstreams_list_clusters", {})
            preview = await client.call_tool(TERMINATE, args)
            assert preview.structured_content is not None
            confirm_with = preview.structured_content["confirm_with"]
            await client.call_tool(TERMINATE, {**args, "confirm": "legacy-kafka", "confirm_token": "x"})
            done = await client.call_tool(TERMINATE, {**args, **confirm_with})
    entries = _entries(stack)[start:]
    assert [(e.tool, e.decision, e.outcome) for e in entries] == [
        (TERMINATE, "refused", "not_sent"),
        (TERMINATE, "confirmed", "executed"),
    ]
    refused, executed = entries
    assert refused.detail is not None
    assert "does not match" in refused.detail
    assert executed.client == "audit-test"
    assert executed.confirmation == "argument"
    assert (executed.target_kind, executed.target_id, executed.target_name) == ("cluster", cluster_id, "orders-kafka")
    assert done.structured_content is not None
    assert executed.request_id is not None
    assert executed.at.endswith("+00:00")
    assert "confirm_token" not in executed.arguments
    assert executed.arguments["confirm"] == "orders-kafka"


async def test_a_declined_dialog_is_recorded(stack: Stack, mode: str) -> None:
    async def decline(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        return types.ElicitResult(action="decline")

    start = len(_entries(stack))
    with anyio.fail_after(10):
        async with await _named_client(stack, mode, elicitation_callback=decline) as client:
            await client.call_tool(TERMINATE, {"cluster_id": _cluster_id(stack)})
    [entry] = _entries(stack)[start:]
    assert (entry.decision, entry.confirmation, entry.outcome) == ("declined", "elicitation", "not_sent")
    assert entry.target_name == "orders-kafka"


async def test_an_accepted_dialog_is_recorded_as_executed(stack: Stack, mode: str) -> None:
    async def accept(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
        return types.ElicitResult(action="accept", content={"confirm": True})

    start = len(_entries(stack))
    with anyio.fail_after(10):
        async with await _named_client(stack, mode, elicitation_callback=accept) as client:
            await client.call_tool(TERMINATE, {"cluster_id": _cluster_id(stack)})
    [entry] = _entries(stack)[start:]
    assert (entry.decision, entry.confirmation, entry.outcome) == ("confirmed", "elicitation", "executed")


def _plant(value: Any) -> int:
    """Put PASSWORD into every password field of generated arguments; how many there were."""
    planted = 0
    if isinstance(value, dict):
        for key in value:
            if "password" in key:
                value[key] = PASSWORD
                planted += 1
            else:
                planted += _plant(value[key])
    elif isinstance(value, list):
        planted += sum(_plant(item) for item in value)
    return planted


async def test_a_failed_write_is_recorded_and_a_create_keeps_no_secret(stack: Stack, client: Client) -> None:
    """A create carries a password: the audit log shows it masked, nowhere in clear."""
    tool = next(t for t in (await client.list_tools()).tools if t.name == "eventstreams_create_cluster")
    from scp_mcp.catalog import load_catalog

    op = load_catalog().by_tool_name("eventstreams_create_cluster")
    values: dict[str, Any] = {**arguments(tool.input_schema, hints(stack.sandbox, op)), "name": "auditedKafka"}
    assert _plant(values) > 0, values
    start = len(_entries(stack))
    with anyio.fail_after(10):
        created = await client.call_tool("eventstreams_create_cluster", values)
        stack.sandbox.faults.add("eventstreams_create_cluster", kind="5xx", status=500, times=None)
        failed = await client.call_tool("eventstreams_create_cluster", {**values, "name": "auditedKafkaTwo"})
    assert not created.is_error, created
    assert failed.is_error
    entries = _entries(stack)[start:]
    assert [(e.decision, e.confirmation, e.outcome) for e in entries] == [
        ("not_required", "none", "executed"),
        ("not_required", "none", "failed"),
    ]
    dumped = json.dumps([e.as_dict() for e in entries])
    assert PASSWORD not in dumped
    assert entries[0].arguments["name"] == "auditedKafka"
    assert "password" in dumped  # the field is there, masked


async def test_unreadable_targets_and_policy_refusals_are_recorded(stack: Stack, client: Client) -> None:
    stack.sandbox.faults.add("eventstreams_show_cluster", kind="5xx", status=500, times=None)
    start = len(_entries(stack))
    with anyio.fail_after(10):
        await client.call_tool(TERMINATE, {"cluster_id": _cluster_id(stack), "confirm": "orders-kafka"})
    [entry] = _entries(stack)[start:]
    assert (entry.decision, entry.outcome) == ("refused", "not_sent")
    assert entry.detail is not None
    assert "could not be read" in entry.detail
