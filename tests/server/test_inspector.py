"""A real third-party client: the MCP Inspector CLI (npm @modelcontextprotocol/inspector, --cli mode)
against `scp-mcp serve --sandbox`: strict schema check of tools/list (no finding at all), a read, and a destructive tool
through its confirmation round trip (the Inspector declares no elicitation, so the argument is used).

Install for CI:  npm install --prefix .ci/inspector @modelcontextprotocol/inspector@2.12.0
Or point SCP_MCP_INSPECTOR at an installed `mcp-inspector` executable. Skipped when neither exists.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import anyio
import pytest

from scp_mcp.tools.operator import OPERATOR_TOOLS

pytestmark = pytest.mark.anyio

REPO = Path(__file__).parents[2]
DEFAULT_BIN = REPO / ".ci" / "inspector" / "node_modules" / ".bin" / "mcp-inspector"


def _unavailable(reason: str) -> None:
    # CI installs the Inspector and sets SCP_MCP_REQUIRE_INSPECTOR: there a missing client fails.
    if os.environ.get("SCP_MCP_REQUIRE_INSPECTOR"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def inspector() -> str:
    found = os.environ.get("SCP_MCP_INSPECTOR") or (str(DEFAULT_BIN) if DEFAULT_BIN.exists() else None)
    if not found or not Path(found).exists():
        _unavailable(
            "MCP Inspector not installed: npm install --prefix .ci/inspector @modelcontextprotocol/inspector@2.12.0 "
            "(or set SCP_MCP_INSPECTOR to its mcp-inspector executable)"
        )
    if shutil.which("node") is None:
        _unavailable("node is not installed")
    assert found is not None
    return found


async def _inspect(inspector: str, exe: str, env: dict[str, str], *method: str) -> tuple[int, dict[str, Any], str]:
    # The Inspector CLI starts a server per call and passes it a reduced environment: the preview's
    # token is verified by the next process, as by another replica, so all share a seal key file and
    # a state directory (the store of used tokens).
    home = Path(env["HOME"])
    key = home / "seal.key"
    if not key.exists():
        key.write_text("inspector-test-seal-key-0123456789", encoding="utf-8")
    shared = ["--seal-key-file", str(key), "--state-dir", str(home / "state")]
    argv = [inspector, "--cli", "-q", "--format", "json", exe, "serve", "--sandbox", *shared, *method]
    with anyio.fail_after(60):
        done = await anyio.run_process(argv, env=env, check=False, cwd=env["HOME"])
    out = done.stdout.decode()
    return done.returncode, (json.loads(out) if out.strip() else {}), done.stderr.decode()


async def test_inspector_lists_and_calls_tools(inspector: str, scp_mcp_exe: str, clean_env: dict[str, str]) -> None:
    rc, listed, err = await _inspect(inspector, scp_mcp_exe, clean_env, "--strict", "--method", "tools/list")
    assert rc == 0, err
    assert len(listed["result"]["tools"]) == 116 + len(OPERATOR_TOOLS)
    # --strict lints every input and output schema for portability; each finding is a "Warning:" or
    # "Error:" block on stderr. None, in either kind of schema.
    assert "Warning:" not in err, err[:2000]
    assert "Error:" not in err, err[:2000]

    call = ("--method", "tools/call", "--tool-name")
    rc, read, err = await _inspect(inspector, scp_mcp_exe, clean_env, *call, "eventstreams_list_clusters")
    assert rc == 0, err
    contents = read["result"]["structuredContent"]["data"]["contents"]
    cluster_id = next(c["id"] for c in contents if c["name"] == "orders-kafka")

    target = ("--tool-arg", f"cluster_id={cluster_id}")
    rc, preview, err = await _inspect(
        inspector, scp_mcp_exe, clean_env, *call, "eventstreams_terminate_cluster", *target
    )
    assert rc == 0, err
    content = preview["result"]["structuredContent"]
    assert content["status"] == "confirmation_required"
    assert content["confirm_with"]["confirm"] == "orders-kafka"
    token = content["confirm_with"]["confirm_token"]

    confirmed = (*target, "confirm=orders-kafka", "--tool-arg", f"confirm_token={token}")
    rc, done, err = await _inspect(
        inspector, scp_mcp_exe, clean_env, *call, "eventstreams_terminate_cluster", *confirmed
    )
    assert rc == 0, err
    assert done["result"]["structuredContent"]["status"] == "accepted", done["result"]["content"][0]["text"]
    assert done["result"]["content"][0]["text"].startswith("Terminate Cluster accepted on cluster 'orders-kafka'")
