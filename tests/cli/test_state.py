"""`scp-mcp call` keeps the sandbox (records, pending changes, simulated clock) between invocations."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import anyio
import pytest

from scp_mcp.catalog import load_catalog
from scp_mcp.cli.state import default_state_file
from tests.cli.test_call import confirm_token
from tests.support.cli import clean_env, run_in_process, run_process
from tests.support.fleet import hints
from tests.support.schema_args import arguments
from tests.support.stack import make_stack

NEW = "newkafka"


def create_pairs(name: str = NEW) -> list[str]:
    """key=value words for a valid eventstreams_create_cluster, derived from its schema and the fleet."""
    stack = make_stack()
    op = load_catalog().by_tool_name("eventstreams_create_cluster")
    tool = next(t for t in anyio.run(stack.server.list_tools) if t.name == op.tool_name)
    values: dict[str, Any] = {**arguments(tool.input_schema, hints(stack.sandbox, op)), "name": name}
    return [f"{k}={v if isinstance(v, str) else json.dumps(v)}" for k, v in values.items()]


def clusters(out: str) -> dict[str, str]:
    content = json.loads(out[out.index("{") :])
    return {c["name"]: c["service_state"] for c in content["data"]["contents"]}


def test_create_wait_and_list_in_separate_processes_tell_one_story(tmp_path: Path) -> None:
    state = default_state_file(home=tmp_path)
    created = run_process(tmp_path, "call", "eventstreams_create_cluster", *create_pairs(), "wait_seconds=900")
    assert created.code == 0, created.err
    assert "finished after" in created.out
    assert state.exists()
    listed = run_process(tmp_path, "call", "eventstreams_list_clusters", "--json")
    assert clusters(listed.out)[NEW] == "RUNNING"
    assert listed.err_lines[-1].endswith(f"state kept in {state}, --fresh starts over)")
    cluster_id = next(
        c["id"] for c in json.loads(listed.out[listed.out.index("{") :])["data"]["contents"] if c["name"] == NEW
    )
    preview = run_process(tmp_path, "call", "eventstreams_terminate_cluster", f"cluster_id={cluster_id}")
    assert preview.code == 3, preview.out + preview.err
    gone = run_process(
        tmp_path,
        "call",
        "eventstreams_terminate_cluster",
        f"cluster_id={cluster_id}",
        f"confirm={NEW}",
        f"confirm_token={confirm_token(preview.out)}",
        "wait_seconds=900",
    )
    assert gone.code == 0, gone.out + gone.err
    after = run_process(tmp_path, "call", "eventstreams_list_clusters", "--json")
    assert NEW not in clusters(after.out)


def test_simulated_time_passes_between_calls(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A create started by one call progresses while nobody calls, at the sandbox's speed (60x)."""
    started = run_in_process(capsys, "call", "eventstreams_create_cluster", *create_pairs())
    assert started.code == 0, started.err
    now = run_in_process(capsys, "call", "eventstreams_list_clusters", "--json")
    assert clusters(now.out)[NEW] == "CREATING"
    state = default_state_file(home=tmp_path)
    saved = state.stat().st_mtime
    os.utime(state, (saved - 11, saved - 11))  # as if the last call ended 11 s ago: 660 simulated seconds
    later = run_in_process(capsys, "call", "eventstreams_list_clusters", "--json")
    assert clusters(later.out)[NEW] == "RUNNING"


def test_the_state_lives_where_it_is_told(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    xdg = tmp_path / "xdg"
    monkeypatch.setenv("XDG_STATE_HOME", str(xdg))
    assert run_in_process(capsys, "call", "eventstreams_list_clusters").code == 0
    assert (xdg / "scp-mcp" / "sandbox.json").exists()
    explicit = tmp_path / "mine.json"
    monkeypatch.setenv("SCP_MCP_SANDBOX_STATE", str(explicit))
    done = run_in_process(capsys, "call", "eventstreams_list_clusters")
    assert explicit.exists()
    assert f"state kept in {explicit}" in done.err
    flag = tmp_path / "flag.json"
    run_in_process(capsys, "call", "--sandbox-state", str(flag), "eventstreams_list_clusters")
    assert flag.exists()


def test_fresh_starts_from_the_seeded_fleet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_in_process(capsys, "call", "eventstreams_create_cluster", *create_pairs()).code == 0
    assert NEW in clusters(run_in_process(capsys, "call", "eventstreams_list_clusters", "--json").out)
    fresh = run_in_process(capsys, "call", "--fresh", "eventstreams_list_clusters", "--json")
    assert NEW not in clusters(fresh.out)


def test_fresh_on_real_scp_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCP_ACCESS_KEY", "AK0000")
    monkeypatch.setenv("SCP_SECRET_KEY", "secret")
    run_in_process(capsys, "call", "--fresh", "eventstreams_list_clusters").assert_one_line_error(
        "--fresh starts the sandbox again, but this call goes to real SCP"
    )


def test_serve_keeps_no_state_unless_asked(tmp_path: Path) -> None:
    done = run_process(tmp_path, "serve", env=clean_env(tmp_path), stdin="")
    assert done.code == 0, done.err
    assert not default_state_file(home=tmp_path).exists()
