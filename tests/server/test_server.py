"""build_server in process: backend choice, instructions, prompts, resources, and the backend label."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import anyio
import pytest
from mcp import Client, types
from pydantic import SecretStr

from scp_mcp.catalog import load_catalog
from scp_mcp.client import ClientSettings, ScpClient
from scp_mcp.sandbox import ENDPOINT_TEMPLATE_IN_PROCESS, SANDBOX_ACCESS_KEY, SANDBOX_SECRET_KEY, Sandbox, SandboxClock
from scp_mcp.server import Backend, ServerSettings, SettingsError, build_server, choose_backend, sandbox_backend
from scp_mcp.server.resources import LEDGER_URI, SERVER_URI
from scp_mcp.tools.policy import ToolPolicy

pytestmark = pytest.mark.anyio

CREDENTIALS = {"SCP_ACCESS_KEY": "AKEXAMPLE0001", "SCP_SECRET_KEY": "not-a-real-secret", "SCP_REGION": "kr-east1"}


def test_credentials_choose_real_scp_and_their_absence_the_sandbox(tmp_path: Path) -> None:
    real = choose_backend(ServerSettings(), env=CREDENTIALS, home=tmp_path)
    assert real.kind == "scp"
    assert "region kr-east1" in real.where
    assert choose_backend(ServerSettings(), env={}, home=tmp_path).kind == "sandbox"
    assert choose_backend(ServerSettings(backend="sandbox"), env=CREDENTIALS, home=tmp_path).kind == "sandbox"
    with pytest.raises(SettingsError, match="needs credentials"):
        choose_backend(ServerSettings(backend="scp"), env={}, home=tmp_path)


def test_instructions_state_backend_region_and_confirmation_rules(tmp_path: Path) -> None:
    backend = choose_backend(ServerSettings(), env=CREDENTIALS, home=tmp_path)
    server = build_server(ServerSettings(policy=ToolPolicy(no_destructive=True)), backend)
    text = server.instructions or ""
    assert "real SCP, region kr-east1" in text
    assert "104 tools (no destructive tools)" in text
    assert "confirm_with" in text
    assert len(text.splitlines()) <= 6


def _real_backend_on_the_sandbox(sandbox: Sandbox) -> Backend:
    """A backend labelled "scp" whose wire is the sandbox: proves the label comes from the backend."""
    settings = ClientSettings(
        access_key=SANDBOX_ACCESS_KEY,
        secret_key=SecretStr(SANDBOX_SECRET_KEY),
        endpoint_template=ENDPOINT_TEMPLATE_IN_PROCESS,
    )
    return Backend(client=ScpClient(settings, transport=sandbox.transport()), kind="scp", settings=settings)


async def test_structured_content_says_which_backend_answered(mode: str) -> None:
    sandbox = Sandbox(clock=SandboxClock.manual())
    server = build_server(
        ServerSettings(policy=ToolPolicy(toolsets=frozenset({"vertica"}))), _real_backend_on_the_sandbox(sandbox)
    )
    with anyio.fail_after(10):
        async with Client(server, mode=mode) as client:
            ok = await client.call_tool("vertica_list_clusters", {})
            failed = await client.call_tool("vertica_show_cluster", {"cluster_id": "0" * 32})
    assert ok.structured_content is not None
    assert ok.structured_content["backend"] == "scp"
    assert failed.structured_content is not None
    assert failed.structured_content["backend"] == "scp"


@pytest.fixture(scope="module")
def sandbox_server() -> object:
    sandbox = Sandbox(clock=SandboxClock.manual())
    from scp_mcp.server import sandbox_backend

    return build_server(
        ServerSettings(policy=ToolPolicy(toolsets=frozenset({"eventstreams"}))), sandbox_backend(sandbox)
    )


async def test_resources_show_configuration_and_ledger(sandbox_server: object, mode: str) -> None:
    with anyio.fail_after(10):
        async with Client(sandbox_server, mode=mode) as client:  # type: ignore[arg-type]
            uris = {str(r.uri) for r in (await client.list_resources()).resources}
            config = await client.read_resource(SERVER_URI)
            ledger = await client.read_resource(LEDGER_URI)
    assert {SERVER_URI, LEDGER_URI} <= uris
    first = config.contents[0]
    assert isinstance(first, types.TextResourceContents)
    shown = json.loads(first.text)
    assert shown["backend"] == "sandbox"
    assert shown["toolsets"] == ["eventstreams"]
    assert shown["tools"] == sum(1 for op in load_catalog().operations if op.service == "eventstreams")
    entries = ledger.contents[0]
    assert isinstance(entries, types.TextResourceContents)
    assert json.loads(entries.text)["backend"] == "sandbox"


def test_read_only_instructions_carry_no_confirmation_rules(tmp_path: Path) -> None:
    backend = choose_backend(ServerSettings(backend="sandbox"), env={}, home=tmp_path)
    server = build_server(ServerSettings(policy=ToolPolicy(read_only=True)), backend)
    text = server.instructions or ""
    reads = sum(1 for op in load_catalog().operations if op.risk == "read")
    assert f"{reads} tools (read-only)" in text
    assert "nothing can be created, changed or deleted" in text
    assert "confirm_with" not in text
    assert "wait_seconds" not in text
    full = build_server(ServerSettings(), backend).instructions or ""
    assert "confirm_with" in full
    assert "the target's name" in full


async def test_closing_the_server_closes_its_backend_and_its_store(tmp_path: Path) -> None:
    """What `serve` does when the client leaves or the process is interrupted."""
    server = build_server(ServerSettings(state_dir=tmp_path), sandbox_backend(Sandbox(clock=SandboxClock.manual())))
    assert server.runtime.store.audit_entries() == []
    await server.aclose()
    assert server.backend.client.closed
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        server.runtime.store.audit_entries()
