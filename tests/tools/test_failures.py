"""Failures reach the assistant as results that say what to change: never a traceback, never a hang,
and never a secret."""

from __future__ import annotations

import anyio
import pytest
from mcp import Client, types

from scp_mcp.catalog import Operation, load_catalog
from scp_mcp.server import ServerSettings
from scp_mcp.tools.redact import MASK, redact, redact_text
from tests.support.fleet import hints
from tests.support.schema_args import arguments
from tests.support.stack import Stack, make_stack

pytestmark = pytest.mark.anyio


def _op(tool: str) -> Operation:
    return load_catalog().by_tool_name(tool)


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
    text = _text(result)
    assert text.startswith("Vertica(DBaaS): Show Cluster failed: 404 Not Found")
    assert text.endswith("Check the id with vertica_list_clusters.")  # the tool to call, once
    assert text.count("vertica_list_clusters") == 1


async def test_a_missing_id_answered_with_400_points_to_the_listing_tool(stack: Stack, client: Client) -> None:
    with anyio.fail_after(5):
        result = await client.call_tool("dataflow_show_data_flow", {"data_flow_id": "nope"})
    assert result.is_error
    assert result.structured_content is not None
    assert result.structured_content["error"] == "NotFound"
    assert result.structured_content["http_status"] == 400
    assert _text(result).endswith(
        'data_flow_id "nope" does not exist (or is not visible to this access key). '
        "Check the id with dataflow_list_data_flows."
    )


@pytest.mark.parametrize(
    ("kind", "error", "advice"),
    [
        ("5xx", "ServerError", "retry later"),
        ("429", "RateLimited", "SCP is rate limiting requests (gave up after 4 attempts); wait a little and retry"),
        ("drop", "TransportError", "could not reach"),
        ("malformed", "UnreadableResponse", "the body could not be read"),
    ],
)
async def test_a_read_that_keeps_failing_is_an_error_result(
    stack: Stack, client: Client, kind: str, error: str, advice: str
) -> None:
    stack.sandbox.faults.add("eventstreams_list_clusters", kind=kind, times=None)  # type: ignore[arg-type]
    with anyio.fail_after(10):
        result = await client.call_tool("eventstreams_list_clusters", {})
    assert result.is_error
    assert result.structured_content is not None
    assert result.structured_content["error"] == error
    assert result.structured_content["backend"] == "sandbox"
    text = _text(result)
    assert text.startswith("Event Streams: List Clusters failed: ")
    assert advice in text
    assert "Traceback" not in text


async def test_a_create_whose_answer_is_lost_says_the_outcome_is_unknown(stack: Stack, client: Client) -> None:
    tools = {t.name: t for t in (await client.list_tools()).tools}
    args = arguments(
        tools["eventstreams_create_cluster"].input_schema, hints(stack.sandbox, _op("eventstreams_create_cluster"))
    )
    stack.sandbox.faults.add("eventstreams_create_cluster", kind="drop", times=None)
    with anyio.fail_after(10):
        result = await client.call_tool("eventstreams_create_cluster", args)
    assert result.is_error
    assert result.structured_content is not None
    assert result.structured_content["error"] == "OutcomeUnknown"
    text = _text(result)
    assert "Outcome unknown — check the resource before retrying (e.g. with eventstreams_list_clusters)" in text
    creates = [r for r in stack.sandbox.received if r.operation == "eventstreams_create_cluster"]
    assert len(creates) == 1  # not sent again


async def test_an_answer_slower_than_the_deadline_is_an_error_not_a_hang(mode: str) -> None:
    """The in-process transport has no socket timeouts: the pipeline's own deadline bounds every call."""
    stack = make_stack(ServerSettings(call_deadline_s=0.2))
    stack.sandbox.faults.add("*", kind="latency", seconds=60, times=None)
    cluster = stack.sandbox.find_cluster("legacy-kafka", "eventstreams")
    assert cluster is not None
    with anyio.fail_after(5):
        async with Client(stack.server, mode=mode) as client:
            read = await client.call_tool("eventstreams_list_clusters", {})
            start = await client.call_tool("eventstreams_start_cluster", {"cluster_id": cluster["id"]})
    assert read.is_error
    assert read.structured_content is not None
    assert read.structured_content["error"] == "Timeout"
    assert "no answer within 0.2 s. Retry later." in _text(read)
    assert start.is_error
    assert start.structured_content is not None
    assert start.structured_content["error"] == "OutcomeUnknown"
    assert "Outcome unknown — check the resource before retrying" in _text(start)


async def test_waited_work_that_ends_failed_is_an_error_that_says_where_to_look(stack: Stack, client: Client) -> None:
    cluster = stack.sandbox.find_cluster("legacy-kafka", "eventstreams")
    assert cluster is not None
    stack.sandbox.faults.add("eventstreams_start_cluster", kind="fail")
    with anyio.fail_after(10):
        result = await client.call_tool(
            "eventstreams_start_cluster", {"cluster_id": cluster["id"], "wait_seconds": 900}
        )
    assert result.is_error
    content = result.structured_content
    assert content is not None
    assert content["status"] == "failed"
    assert content["async_request"]["failed"] is True
    assert content["async_request"]["state"] == "FAILED"
    text = _text(result)
    assert text.startswith(f"Start Cluster on cluster {cluster['id']} FAILED after ")
    assert f"eventstreams_show_request(request_id='{content['request_id']}')" in text
    assert f"eventstreams_show_cluster(cluster_id='{cluster['id']}')" in text


async def test_progress_that_cannot_be_checked_is_a_warning_not_a_state(stack: Stack, client: Client) -> None:
    cluster = stack.sandbox.find_cluster("legacy-kafka", "eventstreams")
    assert cluster is not None
    stack.sandbox.faults.add("eventstreams_show_request", kind="5xx", times=None)
    with anyio.fail_after(10):
        result = await client.call_tool("eventstreams_start_cluster", {"cluster_id": cluster["id"], "wait_seconds": 30})
    assert not result.is_error
    content = result.structured_content
    assert content is not None
    assert content["status"] == "still_running"
    assert content["async_request"]["state"] == "UNKNOWN"
    assert any(w.startswith("Progress could not be checked") for w in content["warnings"])
    assert "503" not in content["async_request"]["state"]


@pytest.mark.parametrize(
    ("tool", "args", "says"),
    [
        ("eventstreams_list_clusters", {"bogus": 1}, "it does not take bogus. Nothing was sent"),
        ("eventstreams_list_clusters", {"confirm": "x"}, "it does not take confirm (it is a read tool"),
        ("eventstreams_list_clusters", {"servce_state": "RUNNING"}, "(did you mean service_state?)"),
        ("dataflow_list_data_flows", {"state": "SLEEPING"}, "state: Input should be 'ACTIVE', 'CREATING'"),
        ("eventstreams_list_clusters", {"sort": "size:up"}, "sort: String should match pattern"),
        ("eventstreams_list_clusters", {"size": "many"}, "size: Input should be a valid integer"),
        ("eventstreams_show_cluster", {"cluster_id": 12}, "cluster_id: Input should be a valid string"),
        (
            "vertica_set_backup",
            {"cluster_id": "c", "retention_period_day": "99", "starting_time_hour": "3"},
            "retention_period_day: String should match pattern",
        ),
    ],
)
async def test_bad_arguments_are_refused_before_anything_is_sent(
    stack: Stack, client: Client, tool: str, args: dict[str, object], says: str
) -> None:
    before = len(stack.sandbox.received)
    with anyio.fail_after(5):
        result = await client.call_tool(tool, args)
    assert result.is_error
    assert result.structured_content is not None
    assert result.structured_content["error"] == "invalid_arguments"
    assert result.structured_content["backend"] == "sandbox"
    text = _text(result)
    assert text.startswith(f"Invalid arguments for {tool}: ")
    assert says in text
    assert len(stack.sandbox.received) == before


async def test_an_unknown_tool_suggests_close_names(client: Client) -> None:
    with anyio.fail_after(5):
        result = await client.call_tool("eventstreams_list_cluster", {})
    assert result.is_error
    assert result.structured_content is not None
    assert result.structured_content["error"] == "unknown_tool"
    assert "Did you mean eventstreams_list_clusters" in _text(result)


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
