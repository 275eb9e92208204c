"""What a server loads before its first tools/list: a server for real SCP never imports the sandbox, and
no server imports a model module or builds a generated tool's argument model (the listing's input schemas
are compiled); the first call of a tool builds its own, and loads only the models it needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import json, sys
import anyio
from mcp.server.mcpserver.utilities.func_metadata import ArgModelBase
from scp_mcp.server import ServerSettings, build_server, choose_backend
from scp_mcp.tools.builder import DeferredTool

def built():
    return {
        "model_modules": sorted(m for m in sys.modules if m.startswith("scp_mcp.catalog.models.")),
        "argument_models": sorted(m.__name__.removesuffix("Arguments") for m in ArgModelBase.__subclasses__()
                                  if m.__name__.removesuffix("Arguments") in deferred),
        "completed": sorted(t.name for t in tools if isinstance(t, DeferredTool) and t.is_complete),
        "call_path": sorted(m for m in sys.modules if m.removeprefix("scp_mcp.tools.") in
                            ("pipeline", "guard", "precheck", "answer", "search", "diagnose", "operations")),
    }

settings = ServerSettings.from_env()
server = build_server(settings, choose_backend(settings))
listed = anyio.run(server.list_tools)
tools = [server._tool_manager.get_tool(t.name) for t in listed]
deferred = {t.name for t in tools if isinstance(t, DeferredTool)}
report = {
    "backend": server.backend.kind,
    "tools": len(listed),
    "deferred": sum(isinstance(t, DeferredTool) for t in tools),
    "sandbox_modules": sorted(m for m in sys.modules if m.startswith("scp_mcp.sandbox")),
    "http_client_built": server.backend.client._pool.built,
    "listed": built(),
}
result = anyio.run(server.call_tool, "eventstreams_set_block_storage_size",
                   {"block_storage_group_id": "bs-1", "size_gb": "many"})
report["called"] = built() | {"text": result.content[0].text}
print(json.dumps(report))
"""


REAL_SCP = {
    "SCP_ACCESS_KEY": "bench-access-key",
    "SCP_SECRET_KEY": "bench-secret-key",
    "SCP_ENDPOINT_TEMPLATE": "http://127.0.0.1:9",
}


def _probe(tmp_path: Path, **scp: str) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCP_")}
    env |= {"HOME": str(tmp_path), "SCP_MCP_STATE_DIR": str(tmp_path / "state"), **scp}
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    report: dict[str, object] = json.loads(done.stdout)
    return report


def test_a_server_for_real_scp_does_not_import_the_sandbox(tmp_path: Path) -> None:
    report = _probe(tmp_path, **REAL_SCP)
    assert report["backend"] == "scp"
    assert report["sandbox_modules"] == []


def test_a_server_for_real_scp_builds_its_http_client_at_the_first_call(tmp_path: Path) -> None:
    # Building it loads the CA bundle: not needed to answer initialize and tools/list.
    report = _probe(tmp_path, **REAL_SCP)
    assert report["http_client_built"] is False


def test_listing_the_tools_builds_no_argument_model_and_loads_no_model_module(tmp_path: Path) -> None:
    report = _probe(tmp_path, **REAL_SCP)
    listed = report["listed"]
    assert isinstance(listed, dict)
    assert report["deferred"] == report["tools"]
    assert listed["model_modules"] == []
    assert listed["completed"] == []
    assert listed["argument_models"] == []
    assert listed["call_path"] == []  # the call path loads with the first call, the ranker with discover


def test_the_first_call_of_a_tool_builds_its_argument_model_and_loads_its_body_models(tmp_path: Path) -> None:
    report = _probe(tmp_path, **REAL_SCP)
    called = report["called"]
    assert isinstance(called, dict)
    assert called["completed"] == ["eventstreams_set_block_storage_size"]
    assert called["argument_models"] == ["eventstreams_set_block_storage_size"]
    assert called["model_modules"] == ["scp_mcp.catalog.models.eventstreams_requests"]
    assert str(called["text"]).startswith("Invalid arguments for eventstreams_set_block_storage_size: size_gb")


def test_the_sandbox_server_imports_it(tmp_path: Path) -> None:
    report = _probe(tmp_path)
    assert report["backend"] == "sandbox"
    assert "scp_mcp.sandbox.sandbox" in report["sandbox_modules"]  # so the check above can fail
