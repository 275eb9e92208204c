"""`serve --log-level DEBUG --log-file FILE`: a call over authenticated HTTP to SCP (the sandbox
served on its own, so requests are signed with a secret key) logs the HTTP libraries' debug lines
and none of the secrets: not the SCP secret key, not the bearer token, not a password argument."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from scp_mcp.sandbox import SANDBOX_ACCESS_KEY, SANDBOX_SECRET_KEY
from scp_mcp.sandbox.handlers.cluster_records import engine_id
from scp_mcp.sandbox.profiles import DBAAS
from scp_mcp.sandbox.topology import example_groups
from tests.support.http_server import http_server, sandbox_server
from tests.support.schema_args import arguments

pytestmark = pytest.mark.anyio

TOKEN = "log-test-token-0123456789abcdef"
PASSWORDS = {"akhq_password": "Akhq-Marker-4417", "broker_sasl_password": "Sasl-Marker-5521"}


def _create_args(schema: dict[str, Any]) -> dict[str, Any]:
    hints = {
        "dbaas_engine_version_id": engine_id("eventstreams", DBAAS["eventstreams"].engines[0]),
        "server_type_name": "db1v4m8",
    }
    args = arguments(schema, hints)
    args["instance_groups"] = example_groups("eventstreams", "db1v4m8")  # Kafka roles the sandbox accepts
    args["init_config_option"] = {**args["init_config_option"], **PASSWORDS, "akhq_id": "akhqadmin"}
    args["akhq_enabled"] = True
    return args


async def test_debug_logging_leaks_no_secret(scp_mcp_exe: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCP_")}
    env |= {"HOME": str(tmp_path), "SCP_MCP_STATE_DIR": str(tmp_path / "state"), "SCP_MCP_AUTH_TOKEN": TOKEN}
    log = tmp_path / "serve.log"
    with anyio.fail_after(240):  # two servers to start on a loaded machine
        async with sandbox_server(scp_mcp_exe, env) as sandbox_port:
            env |= {
                "SCP_ENDPOINT_TEMPLATE": f"http://127.0.0.1:{sandbox_port}/{{service}}",
                "SCP_ACCESS_KEY": SANDBOX_ACCESS_KEY,
                "SCP_SECRET_KEY": SANDBOX_SECRET_KEY,
            }
            flags = ["--log-level", "debug", "--log-file", str(log)]
            async with http_server(scp_mcp_exe, env, flags, backend=("--backend", "scp")) as port:
                http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {TOKEN}"})
                url = f"http://127.0.0.1:{port}/mcp"
                async with Client(streamable_http_client(url, http_client=http)) as client:
                    tools = {t.name: t for t in (await client.list_tools()).tools}
                    listed = await client.call_tool("eventstreams_list_clusters", {})
                    args = _create_args(tools["eventstreams_create_cluster"].input_schema)
                    created = await client.call_tool("eventstreams_create_cluster", args)
    assert not listed.is_error
    assert created.structured_content is not None
    assert created.structured_content["status"] == "accepted", created.structured_content
    text = log.read_text()
    assert "httpcore" in text
    assert "httpx" in text
    assert "POST http://127.0.0.1" in text  # the create, passwords in its body, was sent and logged
    for secret in (SANDBOX_SECRET_KEY, TOKEN, *PASSWORDS.values()):
        assert secret not in text
