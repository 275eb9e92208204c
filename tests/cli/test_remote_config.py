"""`scp-mcp config CLIENT --url URL`: each client's own format for a server over streamable HTTP, with a
bearer header the client fills in; the token itself never appears in the output."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import pytest

from scp_mcp.cli.clientconfig import CLIENTS
from tests.support.cli import run_main

URL = "https://mcp.example.com/mcp"
TOKEN = "tok-0123456789abcdef0123456789"


@pytest.fixture
def token_file(tmp_path: Path) -> Path:
    path = tmp_path / "tokens"
    path.write_text(f"{TOKEN}\n")
    return path


def _config(capsys: pytest.CaptureFixture[str], client: str, *flags: str) -> tuple[dict[str, Any], str]:
    code, out, err = run_main(capsys, "config", client, "--url", URL, *flags)
    assert code == 0, err
    assert TOKEN not in out + err
    return json.loads(out), err


def test_claude_code_gets_an_http_entry_for_mcp_json(capsys: pytest.CaptureFixture[str], token_file: Path) -> None:
    document, err = _config(capsys, "claude-code", "--auth-token-file", str(token_file))
    assert document == {
        "mcpServers": {
            "scp": {"type": "http", "url": URL, "headers": {"Authorization": "Bearer ${SCP_MCP_AUTH_TOKEN}"}}
        }
    }
    [line] = [line for line in err.splitlines() if line.startswith("claude mcp add")]
    words = shlex.split(line, posix=True)
    assert words[3:6] == ["--transport", "http", "--header"]
    assert words[6].startswith("Authorization: Bearer $SCP_MCP_AUTH_TOKEN")  # the shell fills it in
    assert words[-2:] == ["scp", URL]


def test_vscode_prompts_for_the_token_as_a_password(capsys: pytest.CaptureFixture[str], token_file: Path) -> None:
    document, _ = _config(capsys, "vscode", "--auth-token-file", str(token_file))
    [prompt] = document["inputs"]
    assert prompt["type"] == "promptString"
    assert prompt["password"] is True
    server = document["servers"]["scp"]
    assert server == {"type": "http", "url": URL, "headers": {"Authorization": f"Bearer ${{input:{prompt['id']}}}"}}


def test_cursor_reads_the_token_from_its_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCP_MCP_AUTH_TOKEN", TOKEN)
    document, err = _config(capsys, "cursor")
    assert document == {
        "mcpServers": {"scp": {"url": URL, "headers": {"Authorization": "Bearer ${env:SCP_MCP_AUTH_TOKEN}"}}}
    }
    assert "SCP_MCP_AUTH_TOKEN" in err


def test_claude_desktop_is_told_plainly_and_bridged_through_mcp_remote(
    capsys: pytest.CaptureFixture[str], token_file: Path
) -> None:
    document, err = _config(capsys, "claude-desktop", "--auth-token-file", str(token_file))
    assert "does not take remote servers" in err
    assert "mcp-remote" in err
    entry = document["mcpServers"]["scp"]
    assert entry["command"] == "npx"
    assert entry["args"] == ["-y", "mcp-remote", URL, "--header", "Authorization:${AUTH_HEADER}"]
    assert entry["env"]["AUTH_HEADER"].startswith("Bearer ")


@pytest.mark.parametrize("client", CLIENTS)
def test_without_a_token_no_header_is_written(capsys: pytest.CaptureFixture[str], client: str) -> None:
    document, _ = _config(capsys, client)
    assert "Authorization" not in json.dumps(document)
    assert "inputs" not in document


@pytest.mark.parametrize("flag", [["--read-only"], ["--profile", "discover"], ["--with-credentials"]])
def test_serve_flags_are_refused_with_a_url(capsys: pytest.CaptureFixture[str], flag: list[str]) -> None:
    code, out, err = run_main(capsys, "config", "cursor", "--url", URL, *flag)
    assert code == 2
    assert out == ""
    assert flag[0] in err
    assert "scp-mcp serve" in err


def test_a_url_must_be_http(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_main(capsys, "config", "vscode", "--url", "mcp.example.com")
    assert code == 2
    assert "http://" in err


def test_an_unreadable_token_file_says_so(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run_main(capsys, "config", "vscode", "--url", URL, "--auth-token-file", str(tmp_path / "none"))
    assert code != 0
    assert out == ""
    assert "auth token file" in err
