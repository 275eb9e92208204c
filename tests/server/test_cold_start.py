"""What a server loads before its first tools/list: a server for real SCP never imports the sandbox, and
no server imports the response models (only the request bodies' models, which the arguments need)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import json, sys
import anyio
from scp_mcp.server import ServerSettings, build_server, choose_backend

settings = ServerSettings.from_env()
server = build_server(settings, choose_backend(settings))
listed = anyio.run(server.list_tools)
print(json.dumps({
    "backend": server.backend.kind,
    "tools": len(listed),
    "sandbox_modules": sorted(m for m in sys.modules if m.startswith("scp_mcp.sandbox")),
    "model_modules": sorted(m for m in sys.modules if m.startswith("scp_mcp.catalog.models.")),
    "http_client_built": server.backend.client._pool.built,
}))
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


def test_listing_the_tools_loads_only_the_request_bodies_models(tmp_path: Path) -> None:
    report = _probe(tmp_path, **REAL_SCP)
    modules = report["model_modules"]
    assert isinstance(modules, list)
    assert report["tools"]
    assert modules, "the arguments need the request bodies' models"
    assert all(m.endswith("_requests") for m in modules), modules


def test_the_sandbox_server_imports_it(tmp_path: Path) -> None:
    report = _probe(tmp_path)
    assert report["backend"] == "sandbox"
    assert "scp_mcp.sandbox.sandbox" in report["sandbox_modules"]  # so the check above can fail
