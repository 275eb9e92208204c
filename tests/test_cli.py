"""The command line, in process: tools, call, config, doctor, sandbox, and settings from flags and env."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anyio
import pytest
from pydantic import SecretStr

from scp_mcp import cli
from scp_mcp.catalog import load_catalog
from scp_mcp.client import ClientSettings, ScpClient
from scp_mcp.sandbox import SANDBOX_ACCESS_KEY, SANDBOX_SECRET_KEY, Sandbox, SandboxClock
from scp_mcp.server import Backend
from scp_mcp.server.clientconfig import CLIENTS
from scp_mcp.server.doctor import run_doctor
from scp_mcp.tools.operator import OPERATOR_TOOLS

README = Path(__file__).parents[1] / "README.md"
ORDERS_KAFKA = "orders-kafka"


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Whatever the machine has configured, these tests run on the sandbox."""
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("SCP_ACCESS_KEY", "SCP_SECRET_KEY", "SCP_ENDPOINT_TEMPLATE", "SCP_REGION", "SCP_ENVIRONMENT"):
        monkeypatch.delenv(name, raising=False)
    for name in ("BACKEND", "CONFIRM", "READ_ONLY", "NO_DESTRUCTIVE", "TOOLSETS", "ALLOW", "DENY", "SANDBOX_STATE"):
        monkeypatch.delenv(f"SCP_MCP_{name}", raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_tools_lists_every_tool_with_its_risk(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "tools")
    assert code == 0
    assert "116 tools: 50 read, 45 write, 9 disruptive, 12 destructive" in out
    assert "eventstreams_terminate_cluster" in out


def test_tools_json_and_filters(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "tools", "--json", "--read-only", "--toolsets", "vertica")
    assert code == 0
    items = json.loads(out)
    assert {i["risk"] for i in items} == {"read"}
    assert {i["service"] for i in items} == {"vertica"}
    assert set(items[0]) >= {"name", "title", "risk", "async", "service", "operation", "method", "path", "versions"}


def test_readme_tool_table_is_generated_from_the_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "tools", "--markdown")
    assert code == 0
    assert out.count("\n| `") == 116
    assert out in README.read_text(encoding="utf-8"), "paste `scp-mcp tools --markdown` into README.md"


def test_unknown_toolset_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "tools", "--toolsets", "kafka")
    assert code == 2
    assert "unknown toolsets kafka" in err


def test_call_runs_a_read_on_the_sandbox(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "call", "eventstreams_list_clusters", "--json")
    assert code == 0
    assert out.startswith("List Clusters: 2 found.")
    assert f"'{ORDERS_KAFKA}'" in out
    assert '"backend": "sandbox"' in out


def test_call_guarded_round_trip_from_the_shell(capsys: pytest.CaptureFixture[str]) -> None:
    cluster_id = _cluster_id(capsys)
    code, out, _ = run(capsys, "call", "eventstreams_stop_cluster", f"cluster_id={cluster_id}")
    assert code == 3
    assert "Nothing was sent yet." in out
    assert f"confirm='{ORDERS_KAFKA}'" in out
    code, out, _ = run(
        capsys, "call", "eventstreams_stop_cluster", f"cluster_id={cluster_id}", f"confirm={ORDERS_KAFKA}"
    )
    assert code == 0
    assert "Stop Cluster accepted on cluster 'orders-kafka'; it runs asynchronously." in out
    assert "Check it with eventstreams_show_request(request_id=" in out


def _cluster_id(capsys: pytest.CaptureFixture[str]) -> str:
    code, out, _ = run(capsys, "call", "eventstreams_list_clusters", "--json")
    assert code == 0
    content: dict[str, Any] = json.loads(out[out.index("{") :])
    return next(c["id"] for c in content["data"]["contents"] if c["name"] == ORDERS_KAFKA)


def test_call_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "call", "eventstreams_show_cluster", "clusterid=x")
    assert code == 2
    assert "this tool takes: cluster_id" in err
    code, _, err = run(capsys, "call", "eventstreams_nothing")
    assert code == 2
    assert "no tool 'eventstreams_nothing'" in err
    code, out, _ = run(capsys, "call", "eventstreams_show_cluster", "cluster_id=nope")
    assert code == 1
    assert "does not exist" in out


def test_call_values_follow_the_schema_types(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "call", "eventstreams_list_clusters", "size=1", "name=orders-kafka", "--json")
    assert code == 0, out
    assert "1 found" in out


def test_read_only_hides_writes_from_call(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "call", "--read-only", "eventstreams_stop_cluster", "cluster_id=x")
    assert code == 2
    assert "no tool 'eventstreams_stop_cluster'" in err


@pytest.mark.parametrize("client", CLIENTS)
def test_config_prints_a_working_client_configuration(capsys: pytest.CaptureFixture[str], client: str) -> None:
    code, out, err = run(capsys, "config", client, "--read-only", "--deny", "*_delete*")
    assert code == 0
    assert err  # where it goes, on stderr
    if client == "claude-code":
        assert out.startswith("claude mcp add scp -- ")
        assert out.rstrip().endswith("serve --read-only --deny '*_delete*'")
        return
    document = json.loads(out)
    entry = document["servers" if client == "vscode" else "mcpServers"]["scp"]
    assert entry["args"] == ["serve", "--read-only", "--deny", "*_delete*"]
    assert Path(entry["command"]).name.startswith("scp-mcp") or entry["command"] == "scp-mcp"


def test_config_can_carry_credential_placeholders(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "config", "cursor", "--with-credentials")
    assert code == 0
    env = json.loads(out)["mcpServers"]["scp"]["env"]
    assert set(env) >= {"SCP_ACCESS_KEY", "SCP_SECRET_KEY"}


def test_doctor_on_the_sandbox(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "doctor", "--sandbox")
    assert code == 0
    assert "embedded SCP sandbox" in out
    assert "signed read:  eventstreams_list_server_types -> HTTP 200" in out
    assert len([line for line in out.splitlines() if line.startswith("endpoint:")]) == len(load_catalog().services)


def test_sandbox_command_serves_the_simulator(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[Any, ...]] = []
    monkeypatch.setattr("scp_mcp.sandbox.serve_sandbox", lambda *args: seen.append(args))
    code, _, _ = run(capsys, "sandbox", "--port", "8799", "--speed", "10")
    assert code == 0
    assert seen == [(8799, "127.0.0.1", None, 10.0)]


def test_settings_come_from_flags_over_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCP_MCP_READ_ONLY", "1")
    monkeypatch.setenv("SCP_MCP_DENY", "vertica_*")
    monkeypatch.setenv("SCP_MCP_CONFIRM", "argument")
    args = cli._parser().parse_args(["serve", "--deny", "*_delete*", "--confirm", "elicit", "--sandbox"])
    settings = cli.settings_from(args)
    assert settings.policy.read_only is True
    assert settings.policy.deny == ("vertica_*", "*_delete*")
    assert settings.confirmation == "elicit"
    assert settings.backend == "sandbox"


def test_bad_env_settings_are_reported(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCP_MCP_CONFIRM", "sometimes")
    code, _, err = run(capsys, "tools")
    assert code == 2
    assert "SCP_MCP_CONFIRM='sometimes'" in err


class _Tty:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_bare_command_in_a_terminal_shows_the_server_working(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", _Tty(True))
    code, out, _ = run(capsys)
    assert code == 0
    assert f"{116 + len(OPERATOR_TOOLS)} MCP tools" in out
    assert "embedded SCP sandbox" in out
    assert "List Clusters: 2 found." in out
    assert "Nothing was sent yet." in out
    assert "scp-mcp serve" in out


def test_bare_command_launched_by_a_client_serves(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from scp_mcp.server import commands

    served: list[str] = []
    monkeypatch.setattr("sys.stdin", _Tty(False))
    monkeypatch.setattr(commands, "run_serve", lambda args, settings: served.append(args.transport) or 0)
    code, _, _ = run(capsys)
    assert code == 0
    assert served == ["stdio"]


@pytest.mark.parametrize(
    ("access_key", "secret", "code", "diagnosis"),
    [
        (SANDBOX_ACCESS_KEY, SANDBOX_SECRET_KEY, 0, None),
        (SANDBOX_ACCESS_KEY, "a-wrong-secret", 1, "the access key is known but the signature does not match"),
        ("UNKNOWNKEY000", SANDBOX_SECRET_KEY, 1, "SCP does not know this access key"),
    ],
)
def test_doctor_diagnoses_signing_against_an_scp_endpoint(
    access_key: str, secret: str, code: int, diagnosis: str | None
) -> None:
    """The doctor's SCP path, with the sandbox as the SCP endpoint (what `scp-mcp sandbox` serves on loopback)."""
    settings = ClientSettings(
        access_key=access_key, secret_key=SecretStr(secret), endpoint_template="http://sb.test/{service}"
    )
    sandbox = Sandbox(clock=SandboxClock.manual())
    backend = Backend(client=ScpClient(settings, transport=sandbox.transport()), kind="scp", settings=settings)
    lines: list[str] = []

    async def check() -> int:
        try:
            return await run_doctor(backend, lines.append)
        finally:
            await backend.aclose()

    assert anyio.run(check) == code
    assert lines[0] == "backend:      the SCP API at http://sb.test/{service} (set by SCP_ENDPOINT_TEMPLATE)"
    found = [line.removeprefix("diagnosis:    ") for line in lines if line.startswith("diagnosis:")]
    if diagnosis is None:
        assert found == []
        assert any(line.startswith("signed read:  eventstreams_list_server_types -> HTTP 200") for line in lines)
    else:
        assert len(found) == 1
        assert found[0].startswith(diagnosis)
