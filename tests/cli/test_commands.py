"""The command line, in process: tools, doctor, sandbox, demo, and settings from flags and env."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anyio
import pytest
from pydantic import SecretStr

from scp_mcp.catalog import load_catalog
from scp_mcp.cli import parser
from scp_mcp.cli.doctor import run_doctor
from scp_mcp.cli.parser import build_parser
from scp_mcp.client import ClientSettings, ScpClient
from scp_mcp.sandbox import SANDBOX_ACCESS_KEY, SANDBOX_SECRET_KEY, Sandbox, SandboxClock
from scp_mcp.server import Backend
from scp_mcp.tools.operator import OPERATOR_TOOLS
from tests.support.cli import run_main

README = Path(__file__).parents[2] / "README.md"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    return run_main(capsys, *argv)


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
    args = build_parser().parse_args(["serve", "--deny", "*_delete*", "--confirm", "elicit", "--sandbox"])
    settings = parser.settings_from(args)
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
    from scp_mcp.cli import commands

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


def test_an_unexpected_error_is_one_line_unless_debugging(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from scp_mcp.cli import commands

    def broken(args: object, settings: object) -> int:
        raise RuntimeError("something broke")

    monkeypatch.setattr(commands, "run_tools", broken)
    code, _, err = run(capsys, "tools")
    assert code == 1
    assert err == (
        "scp-mcp: internal error: RuntimeError: something broke; rerun with SCP_MCP_DEBUG=1 for the traceback\n"
    )
    monkeypatch.setenv("SCP_MCP_DEBUG", "1")
    with pytest.raises(RuntimeError, match="something broke"):
        run_main(capsys, "tools")
