"""How to reach SCP: credentials, region, endpoint template, language, timeouts, retries, versions.

Precedence, field by field: environment variables > the SCP CLI's files (~/.scpconf) > defaults.

Environment variables: SCP_ACCESS_KEY, SCP_SECRET_KEY, SCP_REGION, SCP_ENVIRONMENT,
SCP_ENDPOINT_TEMPLATE, SCP_LANGUAGE, SCP_TIMEOUT (seconds per attempt), SCP_MAX_ATTEMPTS,
SCP_MAX_RETRY_TIME (seconds for all attempts), SCP_API_VERSIONS ("data-flow=1.0,quick-query=1.0").
Files: ~/.scpconf/credentials.json ("access-key", "secret-key") and ~/.scpconf/config.json
("default-region"; the environment letter is read from "auth-url", e.g. https://iam.e.samsungsdscloud.com/v1).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from pydantic import SecretStr

from scp_mcp.catalog import load_catalog
from scp_mcp.client.errors import ConfigError

if TYPE_CHECKING:
    import httpx

DEFAULT_ENDPOINT_TEMPLATE = "https://{service}.{region}.{environment}.samsungsdscloud.com"
DEFAULT_REGION = "kr-west1"
DEFAULT_ENVIRONMENT = "e"
DEFAULT_LANGUAGE = "en-US"
_T = TypeVar("_T")


@dataclass(frozen=True)
class ClientSettings:
    access_key: str | None = None
    secret_key: SecretStr | None = field(default=None, repr=False)
    region: str = DEFAULT_REGION
    environment: str = DEFAULT_ENVIRONMENT
    endpoint_template: str = DEFAULT_ENDPOINT_TEMPLATE
    language: str = DEFAULT_LANGUAGE
    timeout_s: float = 30.0
    max_attempts: int = 4
    max_retry_time_s: float = 60.0
    default_versions: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if isinstance(self.secret_key, str):  # tolerate a plain string; never keep it bare
            object.__setattr__(self, "secret_key", SecretStr(self.secret_key))
        object.__setattr__(self, "default_versions", dict(self.default_versions))  # a private copy

    @property
    def has_credentials(self) -> bool:
        return bool(self.access_key) and self.secret_key is not None and bool(self.secret_key.get_secret_value())

    @property
    def template_overridden(self) -> bool:
        return self.endpoint_template != DEFAULT_ENDPOINT_TEMPLATE

    def endpoint(self, service: str) -> str:
        """Base URL for a service (host prefix), without a trailing slash."""
        if not self.template_overridden:
            self._check_region(service)
        try:
            url = self.endpoint_template.format(service=service, region=self.region, environment=self.environment)
        except (KeyError, IndexError, ValueError) as exc:
            raise ConfigError(
                f"SCP_ENDPOINT_TEMPLATE {self.endpoint_template!r} is invalid ({exc!r}); "
                "it may use {service}, {region} and {environment}."
            ) from None
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            raise ConfigError(f"SCP_ENDPOINT_TEMPLATE gives {url!r}, which is not an http(s) URL.")
        return url.rstrip("/")

    def _check_region(self, service: str) -> None:
        pairs = valid_pairs(service)
        if (self.environment, self.region) not in pairs:
            listed = ", ".join(f"{env}/{region}" for env, region in pairs)
            raise ConfigError(
                f"SCP_ENVIRONMENT/SCP_REGION {self.environment}/{self.region} is not documented for "
                f"{service}; valid pairs (environment/region): {listed}. "
                "Set SCP_ENDPOINT_TEMPLATE to reach another endpoint."
            )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, home: Path | None = None) -> ClientSettings:
        env = os.environ if env is None else env
        files = _ScpConf(_scpconf_dir(home))
        secret = _env(env, "SCP_SECRET_KEY") or files.credential("secret-key")
        return cls(
            access_key=_env(env, "SCP_ACCESS_KEY") or files.credential("access-key"),
            secret_key=SecretStr(secret) if secret else None,
            region=_env(env, "SCP_REGION") or files.config("default-region") or DEFAULT_REGION,
            environment=_env(env, "SCP_ENVIRONMENT") or files.environment() or DEFAULT_ENVIRONMENT,
            endpoint_template=_env(env, "SCP_ENDPOINT_TEMPLATE") or DEFAULT_ENDPOINT_TEMPLATE,
            language=_env(env, "SCP_LANGUAGE") or DEFAULT_LANGUAGE,
            timeout_s=_number(env, "SCP_TIMEOUT", float, 30.0),
            max_attempts=_number(env, "SCP_MAX_ATTEMPTS", int, 4),
            max_retry_time_s=_number(env, "SCP_MAX_RETRY_TIME", float, 60.0),
            default_versions=_versions(_env(env, "SCP_API_VERSIONS")),
        )


def half_set_credentials(env: Mapping[str, str] | None = None, home: Path | None = None) -> str | None:
    """What is missing when only one of the access key and the secret key is configured; None otherwise.

    Either may come from its variable or from ~/.scpconf/credentials.json (field by field, as in from_env).
    """
    env = os.environ if env is None else env
    files = _ScpConf(_scpconf_dir(home))
    path = files.path("credentials.json")
    found = {
        key: f"the {var} variable" if _env(env, var) else (f"{path}" if files.credential(key) else None)
        for key, var in (("access-key", "SCP_ACCESS_KEY"), ("secret-key", "SCP_SECRET_KEY"))
    }
    if bool(found["access-key"]) == bool(found["secret-key"]):
        return None
    have, missing = ("access-key", "secret-key") if found["access-key"] else ("secret-key", "access-key")
    var = "SCP_SECRET_KEY" if missing == "secret-key" else "SCP_ACCESS_KEY"
    return (
        f"an SCP {have.replace('-', ' ')} is configured (from {found[have]}) but no {missing.replace('-', ' ')}: "
        f'set {var} (or "{missing}" in {path}), or remove the {have.replace("-", " ")} to use the sandbox'
    )


def _scpconf_dir(home: Path | None) -> Path:
    return (Path.home() if home is None else home) / ".scpconf"


def valid_pairs(service: str) -> tuple[tuple[str, str], ...]:
    """(environment, region) pairs the reference documents for a service."""
    services = load_catalog().services
    if service not in services:
        raise ConfigError(f"unknown SCP service {service!r}; known: {', '.join(services)}")
    return services[service].regions


def _env(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def _number(env: Mapping[str, str], name: str, kind: Callable[[str], _T], default: _T) -> _T:
    raw = _env(env, name)
    if raw is None:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ConfigError(
            f"{name}={raw!r} is not a valid {getattr(kind, '__name__', 'number')}; "
            f"set a positive number such as {name}={default}, or unset it."
        ) from None
    if not isinstance(value, int | float) or value <= 0:
        raise ConfigError(f"{name}={raw!r} must be a positive number; set one such as {name}={default}, or unset it.")
    return value


def _versions(raw: str | None) -> Mapping[str, str]:
    """Parse SCP_API_VERSIONS, e.g. "data-flow=1.0, quick-query=1.0"."""
    if not raw:
        return {}
    out: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in raw.split(","))):
        service, sep, version = (s.strip() for s in item.partition("="))
        if not sep or not service or not version:
            raise ConfigError(f"SCP_API_VERSIONS item {item!r} must look like 'data-flow=1.0'.")
        _check_version(item, service, version)
        out[service] = version
    return out


def _check_version(item: str, service: str, version: str) -> None:
    services = load_catalog().services
    if service not in services:
        raise ConfigError(f"SCP_API_VERSIONS item {item!r}: no service {service!r}; use one of {', '.join(services)}.")
    documented = sorted({v for op in services[service].operations for v in op.versions})
    if version not in documented:
        raise ConfigError(f"SCP_API_VERSIONS item {item!r}: {service} documents API versions {', '.join(documented)}.")


class _ScpConf:
    """The SCP CLI's files, each read only if a value is needed from it."""

    def __init__(self, directory: Path) -> None:
        self._dir = directory
        self._cache: dict[str, Mapping[str, Any]] = {}

    def path(self, name: str) -> Path:
        return self._dir / name

    def credential(self, key: str) -> str | None:
        return _string(self._read("credentials.json"), key, self.path("credentials.json"))

    def config(self, key: str) -> str | None:
        return _string(self._read("config.json"), key, self.path("config.json"))

    def environment(self) -> str | None:
        auth_url = self.config("auth-url")
        host = urlsplit(auth_url).hostname if auth_url else None
        parts = host.split(".") if host else []
        return parts[1] if len(parts) > 2 and parts[0] == "iam" else None

    def _read(self, name: str) -> Mapping[str, Any]:
        if name not in self._cache:
            self._cache[name] = _load_json(self._dir / name)
        return self._cache[name]


def _load_json(path: Path) -> Mapping[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    try:
        data = json.loads(text)
    except ValueError:
        raise ConfigError(f"{path} is not valid JSON; fix or remove it, or set the SCP_* variables.") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path} must hold a JSON object, not {type(data).__name__}; fix or remove it.")
    return data


def _string(data: Mapping[str, Any], key: str, path: Path) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigError(f'{path}: "{key}" must be a string, not {type(value).__name__}; fix or remove it.')
    return value.strip() or None


class LazyHttpClient:
    """The pooled httpx client, built on the first request rather than with the server: building it
    loads the CA bundle (40–160 ms), which a server answering ``initialize`` and ``tools/list`` does
    not need. httpx reads the proxy variables (``HTTPS_PROXY``, ``NO_PROXY``) when it is built, so they
    still apply."""

    def __init__(self, build: Callable[[], httpx.AsyncClient]) -> None:
        self._build = build
        self._client: httpx.AsyncClient | None = None
        self._closed = False

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = self._build()
        return self._client

    @property
    def built(self) -> bool:
        return self._client is not None

    @property
    def is_closed(self) -> bool:
        return self._client.is_closed if self._client is not None else self._closed

    async def aclose(self) -> None:
        self._closed = True
        if self._client is not None:
            await self._client.aclose()
