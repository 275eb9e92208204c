"""HTTP settings: flags over the environment, tokens from a file or SCP_MCP_AUTH_TOKEN (too short or
none at all is a settings error), the allow-lists' matching, and the static tokens' principals."""

from __future__ import annotations

from pathlib import Path

import pytest

from scp_mcp.cli.parser import build_parser, http_settings_from, log_settings_from
from scp_mcp.server.http_security import (
    StaticTokens,
    allowed_hosts,
    allowed_origins,
    check_bind,
    matches,
    principal_of,
)
from scp_mcp.server.settings import HttpSettings, LogSettings, SettingsError

pytestmark = pytest.mark.anyio

TOKEN = "a-token-of-sixteen-or-more"


def test_flags_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCP_MCP_ALLOWED_HOSTS", "env.example")
    monkeypatch.setenv("SCP_MCP_MAX_BODY_BYTES", "2048")
    monkeypatch.setenv("SCP_MCP_READ_TIMEOUT", "7")
    monkeypatch.setenv("SCP_MCP_LOG_LEVEL", "info")
    from_env = http_settings_from(build_parser().parse_args(["serve"]))
    assert (from_env.allowed_hosts, from_env.max_body_bytes, from_env.read_timeout_s) == (("env.example",), 2048, 7.0)
    assert log_settings_from(build_parser().parse_args(["serve"])).level == "INFO"
    argv = ["serve", "--allowed-host", "a.example", "--allowed-host", "b.example:*", "--max-body-bytes", "4096"]
    argv += ["--read-timeout", "3", "--log-level", "debug", "--allowed-origin", "https://app.example"]
    flags = http_settings_from(build_parser().parse_args(argv))
    assert flags.allowed_hosts == ("env.example", "a.example", "b.example:*")  # the flags add to the env's list
    assert flags.allowed_origins == ("https://app.example",)
    assert (flags.max_body_bytes, flags.read_timeout_s) == (4096, 3.0)
    assert log_settings_from(build_parser().parse_args(argv)).level == "DEBUG"


def test_bad_values_are_settings_errors() -> None:
    with pytest.raises(SettingsError, match="SCP_MCP_MAX_BODY_BYTES"):
        HttpSettings.from_env({"SCP_MCP_MAX_BODY_BYTES": "lots"})
    with pytest.raises(SettingsError, match="positive"):
        HttpSettings.from_env({"SCP_MCP_READ_TIMEOUT": "0"})
    with pytest.raises(SettingsError, match="log level"):
        LogSettings.from_env({"SCP_MCP_LOG_LEVEL": "chatty"})


def test_tokens_come_from_the_file_else_the_environment(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens"
    tokens.write_text(f"# comment\n\n{TOKEN}\n{TOKEN}-2\n")
    assert HttpSettings(auth_token_file=tokens).auth_tokens({"SCP_MCP_AUTH_TOKEN": "x" * 20}) == (TOKEN, f"{TOKEN}-2")
    assert HttpSettings().auth_tokens({"SCP_MCP_AUTH_TOKEN": f" {TOKEN} "}) == (TOKEN,)
    assert HttpSettings().auth_tokens({}) == ()


def test_unusable_tokens_are_settings_errors(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="at least 16"):
        HttpSettings().auth_tokens({"SCP_MCP_AUTH_TOKEN": "short"})
    empty = tmp_path / "empty"
    empty.write_text("# nothing here\n")
    with pytest.raises(SettingsError, match="holds no token"):
        HttpSettings(auth_token_file=empty).auth_tokens({})
    with pytest.raises(SettingsError, match="auth token file"):
        HttpSettings(auth_token_file=tmp_path / "missing").auth_tokens({})


def test_only_loopback_binds_go_without_authentication() -> None:
    for host in ("127.0.0.1", "127.0.0.2", "localhost", "::1"):
        check_bind(host, authenticated=False)
    for host in ("0.0.0.0", "::", "10.1.2.3", "example.com"):
        with pytest.raises(SettingsError, match="without authentication"):
            check_bind(host, authenticated=False)
        check_bind(host, authenticated=True)


def test_the_allow_lists_match_names_and_ports_exactly() -> None:
    hosts = allowed_hosts("0.0.0.0", ["mcp.example.com"])
    assert matches("127.0.0.1:8000", hosts)
    assert matches("LOCALHOST:8000", hosts)
    assert matches("[::1]:8000", hosts)
    assert matches("mcp.example.com", hosts)
    assert not matches("mcp.example.com:8443", hosts)  # a port needs "mcp.example.com:*"
    assert not matches("127.0.0.1.evil.com", hosts)
    assert not matches("127.0.0.1:80x", hosts)
    assert not matches("evil.com", hosts)
    assert not matches("0.0.0.0:8000", hosts)
    assert matches("10.1.2.3:8000", allowed_hosts("10.1.2.3"))  # a specific bind address is its own name
    origins = allowed_origins(["https://app.example.com"])
    assert matches("http://localhost:5173", origins)
    assert matches("https://app.example.com", origins)
    assert not matches("http://evil.com", origins)
    assert not matches("http://localhost.evil.com:80", origins)


async def test_each_static_token_is_its_own_principal() -> None:
    verifier = StaticTokens([TOKEN, f"{TOKEN}-2"])
    first, second = await verifier.verify_token(TOKEN), await verifier.verify_token(f"{TOKEN}-2")
    assert first is not None
    assert second is not None
    assert first.client_id == principal_of(TOKEN)
    assert first.client_id.startswith("token:")
    assert len(first.client_id) == len("token:") + 12
    assert first.client_id != second.client_id
    assert TOKEN not in first.client_id
    assert TOKEN not in first.token  # the secret is not kept in the request's state
    assert await verifier.verify_token(TOKEN[:-1]) is None
    assert await verifier.verify_token("") is None
