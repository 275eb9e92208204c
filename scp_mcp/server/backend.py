"""Pick the backend: real SCP when credentials are configured, else the embedded sandbox.

Either way the tools talk to the same ``ScpClient``; for the sandbox it is signed with the
sandbox's keys and sent through an in-process ASGI transport, so nothing leaves the process.
The sandbox package is imported only when it is chosen: a server for real SCP does not pay for it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import anyio
from pydantic import SecretStr

from scp_mcp.client import ClientSettings, ScpClient
from scp_mcp.client.connection import half_set_credentials
from scp_mcp.server.settings import ServerSettings, SettingsError

if TYPE_CHECKING:
    from scp_mcp.sandbox import Sandbox


@dataclass
class Backend:
    client: ScpClient
    kind: Literal["scp", "sandbox"]
    settings: ClientSettings
    sandbox: Sandbox | None = None

    @property
    def where(self) -> str:
        if self.kind == "sandbox":
            return "the embedded SCP sandbox (simulated; nothing real is touched)"
        if self.settings.template_overridden:
            return f"the SCP API at {self.settings.endpoint_template} (set by SCP_ENDPOINT_TEMPLATE)"
        return f"real SCP, region {self.settings.region} (environment {self.settings.environment})"

    def secrets(self) -> tuple[str, ...]:
        secret = self.settings.secret_key.get_secret_value() if self.settings.secret_key else ""
        return tuple(s for s in (secret,) if s)

    async def aclose(self) -> None:
        await self.client.aclose()


def sandbox_backend(sandbox: Sandbox, *, sleep: Callable[[float], Awaitable[None]] | None = None) -> Backend:
    from scp_mcp.sandbox import ENDPOINT_TEMPLATE_IN_PROCESS, SANDBOX_ACCESS_KEY, SANDBOX_SECRET_KEY

    settings = ClientSettings(
        access_key=SANDBOX_ACCESS_KEY,
        secret_key=SecretStr(SANDBOX_SECRET_KEY),
        endpoint_template=ENDPOINT_TEMPLATE_IN_PROCESS,
    )
    client = ScpClient(settings, transport=sandbox.transport(), sleep=sleep or anyio.sleep, clock=sandbox.wall_clock)
    return Backend(client=client, kind="sandbox", settings=settings, sandbox=sandbox)


def scp_backend(settings: ClientSettings) -> Backend:
    return Backend(client=ScpClient(settings), kind="scp", settings=settings)


def choose_backend(settings: ServerSettings, env: Mapping[str, str] | None = None, home: Path | None = None) -> Backend:
    if uses_sandbox(settings, env, home):
        from scp_mcp.sandbox import Sandbox, SandboxClock

        clock = SandboxClock(speed=settings.sandbox_speed)
        return sandbox_backend(Sandbox(clock=clock, state_file=settings.sandbox_state))
    return scp_backend(ClientSettings.from_env(env, home))


def uses_sandbox(settings: ServerSettings, env: Mapping[str, str] | None = None, home: Path | None = None) -> bool:
    """Whether choose_backend picks the sandbox. Half-set credentials are refused rather than ignored."""
    client_settings = ClientSettings.from_env(env, home)  # a bad SCP_* value is reported whichever backend
    if settings.backend == "sandbox":
        return True
    missing = half_set_credentials(env, home)
    if missing:
        raise SettingsError(f"{missing} (or pass --sandbox)")
    if client_settings.has_credentials:
        return False
    if settings.backend == "scp":
        raise SettingsError(
            "--backend scp needs credentials: set SCP_ACCESS_KEY and SCP_SECRET_KEY "
            "(or ~/.scpconf/credentials.json), or use --sandbox"
        )
    return True
