"""The seal key: --seal-key-file, else SCP_MCP_SEAL_KEY, else a random key per process; a key too
short to be one is a settings error; the state dir comes from the flag, else SCP_MCP_STATE_DIR."""

from __future__ import annotations

from pathlib import Path

import pytest

from scp_mcp.cli.parser import build_parser, settings_from
from scp_mcp.server import ServerSettings
from scp_mcp.server.settings import SettingsError


def test_the_file_wins_over_the_environment(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text("a" * 32 + "\n")
    settings = ServerSettings(seal_key_file=key_file)
    assert settings.seal_key({"SCP_MCP_SEAL_KEY": "b" * 32}) == b"a" * 32
    assert ServerSettings().seal_key({"SCP_MCP_SEAL_KEY": "b" * 32}) == b"b" * 32
    assert ServerSettings().seal_key({}) is None


def test_bad_keys_are_settings_errors(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="at least 16"):
        ServerSettings().seal_key({"SCP_MCP_SEAL_KEY": "short"})
    with pytest.raises(SettingsError, match="seal key file"):
        ServerSettings(seal_key_file=tmp_path / "missing").seal_key({})


def test_flags_give_the_state_dir_and_the_key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCP_MCP_STATE_DIR", str(tmp_path / "env"))
    assert ServerSettings.from_env().state_dir == tmp_path / "env"
    args = build_parser().parse_args(
        ["serve", "--state-dir", str(tmp_path / "flag"), "--seal-key-file", str(tmp_path / "k")]
    )
    settings = settings_from(args)
    assert settings.state_dir == tmp_path / "flag"
    assert settings.seal_key_file == tmp_path / "k"
