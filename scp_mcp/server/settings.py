"""Server settings: which backend, how to confirm, which tools, and how to wait.

Command-line flags win over environment variables, which win over defaults:
SCP_MCP_BACKEND (auto|sandbox|scp), SCP_MCP_CONFIRM (either|elicit|argument), SCP_MCP_READ_ONLY,
SCP_MCP_NO_DESTRUCTIVE (1/true), SCP_MCP_TOOLSETS, SCP_MCP_ALLOW, SCP_MCP_DENY (comma separated),
SCP_MCP_SANDBOX_STATE (a JSON file that keeps the embedded sandbox's state between runs),
SCP_MCP_STATE_DIR (the store: used confirmations and the audit log; default $XDG_STATE_HOME/scp-mcp,
else ~/.local/state/scp-mcp), SCP_MCP_STORE (a PostgreSQL URL shared by replicas, or a SQLite file; default
the SQLite file in the state dir), SCP_MCP_SEAL_KEY (the key that seals confirmation tokens; replicas
behind one client share it; default: a random key per process),
SCP_MCP_PROFILE (full: one typed tool per operation; discover: three meta tools that reach them all).
SCP credentials, region and endpoint come from the client's settings (SCP_ACCESS_KEY, ...).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from scp_mcp.catalog import load_catalog
from scp_mcp.tools.policy import ToolPolicy
from scp_mcp.tools.runtime import ConfirmationMode

BackendChoice = Literal["auto", "sandbox", "scp"]
BACKENDS: tuple[BackendChoice, ...] = ("auto", "sandbox", "scp")
CONFIRM_MODES: tuple[ConfirmationMode, ...] = ("either", "elicit", "argument")
Profile = Literal["full", "discover"]
PROFILES: tuple[Profile, ...] = ("full", "discover")


class SettingsError(ValueError):
    """A setting has a value the server cannot use."""


@dataclass(frozen=True)
class ServerSettings:
    backend: BackendChoice = "auto"
    confirmation: ConfirmationMode = "either"
    policy: ToolPolicy = field(default_factory=ToolPolicy)
    profile: Profile = "full"  # full: the typed tools listed; discover: search, describe and call them
    poll_interval_s: float | None = None  # None: 5 s on SCP, 2 s on the sandbox
    max_wait_s: int = 900
    call_deadline_s: float | None = None  # None: every attempt timing out, plus the retry budget
    sandbox_speed: float = 60.0  # simulated seconds per wall second for the embedded sandbox
    sandbox_state: Path | None = None  # keep the embedded sandbox's state in this JSON file
    state_dir: Path | None = None  # the store's directory; None: $SCP_MCP_STATE_DIR, else the user's state dir
    seal_key_file: Path | None = None  # a file holding the seal key; None: $SCP_MCP_SEAL_KEY, else random
    store: str | None = None  # postgresql://… or a SQLite file; None: the SQLite file in the state dir

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ServerSettings:
        env = os.environ if env is None else env
        backend = env.get("SCP_MCP_BACKEND", "auto").strip().lower() or "auto"
        confirm = env.get("SCP_MCP_CONFIRM", "either").strip().lower() or "either"
        if backend not in BACKENDS:
            raise SettingsError(f"SCP_MCP_BACKEND={backend!r}: use one of {', '.join(BACKENDS)}")
        if confirm not in CONFIRM_MODES:
            raise SettingsError(f"SCP_MCP_CONFIRM={confirm!r}: use one of {', '.join(CONFIRM_MODES)}")
        profile = env.get("SCP_MCP_PROFILE", "full").strip().lower() or "full"
        if profile not in PROFILES:
            raise SettingsError(f"SCP_MCP_PROFILE={profile!r}: use one of {', '.join(PROFILES)}")
        toolsets = split_list(env.get("SCP_MCP_TOOLSETS"))
        policy = ToolPolicy(
            read_only=flag(env.get("SCP_MCP_READ_ONLY")),
            no_destructive=flag(env.get("SCP_MCP_NO_DESTRUCTIVE")),
            toolsets=frozenset(toolsets) if toolsets else None,
            allow=tuple(split_list(env.get("SCP_MCP_ALLOW"))),
            deny=tuple(split_list(env.get("SCP_MCP_DENY"))),
        )
        state = env.get("SCP_MCP_SANDBOX_STATE", "").strip()
        state_dir = env.get("SCP_MCP_STATE_DIR", "").strip()
        return cls(
            backend=backend,
            confirmation=confirm,
            policy=policy,
            profile=profile,
            sandbox_state=Path(state).expanduser() if state else None,
            state_dir=Path(state_dir).expanduser() if state_dir else None,
            store=env.get("SCP_MCP_STORE", "").strip() or None,
        )

    def seal_key(self, env: Mapping[str, str] | None = None) -> bytes | None:
        """The configured seal key (--seal-key-file, else $SCP_MCP_SEAL_KEY), or None for a random one."""
        env = os.environ if env is None else env
        if self.seal_key_file is not None:
            try:
                key = self.seal_key_file.read_bytes().strip()
            except OSError as exc:
                raise SettingsError(f"seal key file {self.seal_key_file}: {exc.strerror or exc}") from None
        else:
            key = env.get("SCP_MCP_SEAL_KEY", "").strip().encode()
            if not key:
                return None
        if len(key) < 16:
            raise SettingsError("the seal key needs at least 16 characters (e.g. `openssl rand -hex 32`)")
        return key

    def check(self) -> None:
        unknown = self.policy.unknown_toolsets()
        if unknown:
            services = ", ".join(load_catalog().services)
            raise SettingsError(f"unknown toolsets {', '.join(unknown)}; use service names such as {services}")


def flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def split_list(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
DEFAULT_READ_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class OAuthSettings:
    """`serve --oauth-issuer URL --oauth-audience AUD`: JWT access tokens from one issuer (server/oauth.py)."""

    issuer: str
    audience: str
    resource: str  # this server's /mcp URL as clients reach it: the metadata's ``resource``
    jwks_url: str | None = None  # None: the issuer's metadata says (``jwks_uri``)
    scopes: tuple[str, ...] = ()  # every one required in a token (403 insufficient_scope otherwise)


@dataclass(frozen=True)
class HttpSettings:
    """How `serve --transport http` listens and whom it answers (see server/http_security.py).

    Env: SCP_MCP_AUTH_TOKEN (one bearer token), SCP_MCP_ALLOWED_HOSTS, SCP_MCP_ALLOWED_ORIGINS
    (comma separated, added to the loopback names), SCP_MCP_MAX_BODY_BYTES, SCP_MCP_READ_TIMEOUT
    (seconds a client may take to send one request, head and body), SCP_MCP_OAUTH_ISSUER and
    SCP_MCP_OAUTH_AUDIENCE (OAuth resource-server mode instead of static tokens), SCP_MCP_OAUTH_SCOPES (the
    scopes a token must carry, comma separated).
    """

    host: str = "127.0.0.1"
    port: int = 8000
    auth_token_file: Path | None = None  # one token per line; None: $SCP_MCP_AUTH_TOKEN, else no auth
    allowed_hosts: tuple[str, ...] = ()
    allowed_origins: tuple[str, ...] = ()
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    read_timeout_s: float = DEFAULT_READ_TIMEOUT_S
    oauth_issuer: str | None = None
    oauth_audience: str | None = None
    oauth_resource: str | None = None  # None: http://HOST:PORT/mcp
    oauth_jwks_url: str | None = None
    oauth_scopes: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> HttpSettings:
        env = os.environ if env is None else env
        return cls(
            oauth_issuer=env.get("SCP_MCP_OAUTH_ISSUER", "").strip() or None,
            oauth_audience=env.get("SCP_MCP_OAUTH_AUDIENCE", "").strip() or None,
            oauth_scopes=tuple(split_list(env.get("SCP_MCP_OAUTH_SCOPES"))),
            allowed_hosts=tuple(split_list(env.get("SCP_MCP_ALLOWED_HOSTS"))),
            allowed_origins=tuple(split_list(env.get("SCP_MCP_ALLOWED_ORIGINS"))),
            max_body_bytes=_positive(env, "SCP_MCP_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES, int),
            read_timeout_s=_positive(env, "SCP_MCP_READ_TIMEOUT", DEFAULT_READ_TIMEOUT_S, float),
        )

    def auth_tokens(self, env: Mapping[str, str] | None = None) -> tuple[str, ...]:
        """The accepted bearer tokens (--auth-token-file, one a line, else $SCP_MCP_AUTH_TOKEN); () for none."""
        env = os.environ if env is None else env
        if self.auth_token_file is not None:
            try:
                text = self.auth_token_file.read_text()
            except (OSError, UnicodeDecodeError) as exc:
                problem = getattr(exc, "strerror", None) or exc
                raise SettingsError(f"auth token file {self.auth_token_file}: {problem}") from None
            tokens = tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))
            if not tokens:
                raise SettingsError(f"auth token file {self.auth_token_file} holds no token")
        else:
            token = env.get("SCP_MCP_AUTH_TOKEN", "").strip()
            tokens = (token,) if token else ()
        if any(len(token) < 16 for token in tokens):
            raise SettingsError("an auth token needs at least 16 characters (e.g. `openssl rand -hex 32`)")
        return tokens

    def oauth(self) -> OAuthSettings | None:
        """The OAuth resource-server settings, or None without --oauth-issuer."""
        if self.oauth_issuer is None:
            if self.oauth_scopes:
                raise SettingsError("--oauth-scope needs --oauth-issuer: scopes are checked in OAuth tokens")
            return None
        if not self.oauth_issuer.startswith(("https://", "http://")):
            raise SettingsError(
                f"--oauth-issuer {self.oauth_issuer!r}: use the issuer's URL, e.g. https://login.example.com"
            )
        where = f"[{self.host}]" if ":" in self.host else self.host
        resource = self.oauth_resource or f"http://{where}:{self.port}/mcp"
        if self.oauth_audience is None:
            raise SettingsError(
                "--oauth-issuer needs --oauth-audience: the `aud` your issuer puts in tokens for this server "
                f"(often {resource})"
            )
        bad = [scope for scope in self.oauth_scopes if not scope or any(c.isspace() or c in '"\\' for c in scope)]
        if bad:
            raise SettingsError(f"--oauth-scope {bad[0]!r}: a scope is one word without quotes or backslashes")
        scopes = tuple(dict.fromkeys(self.oauth_scopes))
        return OAuthSettings(self.oauth_issuer, self.oauth_audience, resource, self.oauth_jwks_url, scopes)


@dataclass(frozen=True)
class LogSettings:
    """`serve --log-level LEVEL --log-file FILE` (env SCP_MCP_LOG_LEVEL; default WARNING, to stderr)."""

    level: str = "WARNING"
    file: Path | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> LogSettings:
        env = os.environ if env is None else env
        return cls(level=log_level(env.get("SCP_MCP_LOG_LEVEL", "") or "WARNING"))


def log_level(text: str) -> str:
    level = text.strip().upper()
    if level not in LOG_LEVELS:
        raise SettingsError(f"log level {text!r}: use one of {', '.join(LOG_LEVELS)}")
    return level


def _positive(env: Mapping[str, str], name: str, default: float, kind: type[int] | type[float]) -> Any:
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = kind(text)
    except ValueError:
        raise SettingsError(f"{name}={text!r} is not a number") from None
    if value <= 0:
        raise SettingsError(f"{name}={text!r}: use a positive number")
    return value
