"""`scp-mcp config <client>`: working client configurations, credentials supplied by the client."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest

from scp_mcp.cli.clientconfig import CLIENTS
from tests.support.cli import run_main


@pytest.mark.parametrize("client", CLIENTS)
def test_config_prints_a_working_client_configuration(capsys: pytest.CaptureFixture[str], client: str) -> None:
    code, out, err = run_main(capsys, "config", client, "--read-only", "--deny", "*_delete*")
    assert code == 0
    assert err  # where it goes, on stderr
    if client == "claude-code":
        assert out.startswith("claude mcp add --transport stdio scp -- ")
        assert out.rstrip().endswith("serve --read-only --deny '*_delete*'")
        return
    document = json.loads(out)
    entry = document["servers" if client == "vscode" else "mcpServers"]["scp"]
    profile = ["--profile", "discover"] if client in ("cursor", "vscode") else []
    assert entry["args"] == ["serve", *profile, "--read-only", "--deny", "*_delete*"]
    assert Path(entry["command"]).name.startswith("scp-mcp") or entry["command"] == "scp-mcp"
    assert "env" not in entry  # credentials come from the environment or ~/.scpconf


def test_claude_code_options_come_before_the_name(capsys: pytest.CaptureFixture[str]) -> None:
    """`claude mcp add [options] <name> -- <command> [args...]`, as Claude Code documents it."""
    code, out, _ = run_main(capsys, "config", "claude-code", "--with-credentials", "--read-only")
    assert code == 0
    words = shlex.split(out)
    name = words.index("scp")
    assert words[:3] == ["claude", "mcp", "add"]
    assert words[name + 1] == "--"
    options = words[3:name]
    assert options[:2] == ["--transport", "stdio"]
    assert all(options[i] == "--env" for i in range(2, len(options), 2))
    assert {o.split("=", 1)[0] for o in options[3::2]} >= {"SCP_ACCESS_KEY", "SCP_SECRET_KEY"}
    assert words[name + 2 :][1:] == ["serve", "--read-only"]
    assert '"SCP_SECRET_KEY=$SCP_SECRET_KEY"' in out  # taken from this shell, not typed into the snippet


def test_claude_code_project_scope_is_a_separate_working_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(capsys, "config", "claude-code", "--with-credentials")
    assert code == 0
    assert "--scope" not in out
    [project] = [line for line in err.splitlines() if line.startswith("claude mcp add")]
    words = shlex.split(project)
    assert words[3:5] == ["--scope", "project"]
    assert words.index("--scope") < words.index("scp") < words.index("--")
    assert "SCP_SECRET_KEY=${SCP_SECRET_KEY}" in words  # literal: Claude Code expands it; .mcp.json holds no secret


def test_vscode_prompts_for_credentials_as_passwords(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_main(capsys, "config", "vscode", "--with-credentials")
    assert code == 0
    document = json.loads(out)
    inputs = {i["id"]: i for i in document["inputs"]}
    assert set(inputs) == {"scp-access-key", "scp-secret-key"}
    assert all(i["type"] == "promptString" and i["password"] is True for i in inputs.values())
    env = document["servers"]["scp"]["env"]
    assert env["SCP_ACCESS_KEY"] == "${input:scp-access-key}"
    assert env["SCP_SECRET_KEY"] == "${input:scp-secret-key}"
    assert "<your" not in out


def test_config_can_carry_credential_placeholders(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_main(capsys, "config", "cursor", "--with-credentials")
    assert code == 0
    env = json.loads(out)["mcpServers"]["scp"]["env"]
    assert set(env) >= {"SCP_ACCESS_KEY", "SCP_SECRET_KEY"}


@pytest.mark.parametrize(("client", "profile"), [("cursor", "discover"), ("vscode", "discover")])
def test_clients_with_small_tool_limits_get_the_discover_profile(
    capsys: pytest.CaptureFixture[str], client: str, profile: str
) -> None:
    code, out, _ = run_main(capsys, "config", client)
    assert code == 0
    document = json.loads(out)
    entry = document["servers" if client == "vscode" else "mcpServers"]["scp"]
    assert entry["args"] == ["serve", "--profile", profile]


def test_claude_clients_keep_the_full_profile_unless_asked(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_main(capsys, "config", "claude-desktop")
    assert json.loads(out)["mcpServers"]["scp"]["args"] == ["serve"]
    _, out, _ = run_main(capsys, "config", "claude-code", "--profile", "discover")
    assert out.rstrip().endswith("serve --profile discover")
    _, out, _ = run_main(capsys, "config", "cursor", "--profile", "full")
    assert json.loads(out)["mcpServers"]["scp"]["args"] == ["serve", "--profile", "full"]


def test_serve_takes_a_profile() -> None:
    from scp_mcp.cli.parser import build_parser, settings_from

    assert settings_from(build_parser().parse_args(["serve", "--profile", "discover"])).profile == "discover"
    assert settings_from(build_parser().parse_args(["serve"])).profile == "full"
