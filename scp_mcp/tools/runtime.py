"""What every generated tool shares at call time, in three parts kept apart:

- ``ToolSettings``: configuration, fixed when the server is built (backend, confirmation mode, policy,
  versions, waits and deadlines);
- the injected dependencies: the caller (anything shaped like ``ScpClient.call``: the real client, or
  one pointed at the embedded sandbox), the principal (who is calling), the clocks and the sleep;
- the state the tools keep: the store (used confirmations, the audit log, the ledger of asynchronous
  work) and the sealer that signs confirmation tokens, each owned by its own object.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

import anyio
from pydantic import BaseModel

from scp_mcp.catalog import Operation
from scp_mcp.client.errors import OutcomeUnknown, Timeout
from scp_mcp.store import SqliteStore, Store
from scp_mcp.tools.callers import caller_id
from scp_mcp.tools.confirmations import Sealer
from scp_mcp.tools.policy import ToolPolicy

ConfirmationMode = Literal["either", "elicit", "argument"]
Backend = Literal["scp", "sandbox"]


class ApiResultLike(Protocol):
    """The parts of the client's ``ApiResult`` the tools read."""

    @property
    def version(self) -> str: ...

    @property
    def status(self) -> int: ...

    @property
    def data(self) -> Any: ...

    @property
    def model(self) -> BaseModel | None: ...

    @property
    def request_id(self) -> str | None: ...

    @property
    def warnings(self) -> Sequence[str]: ...


class Caller(Protocol):
    """``ScpClient.call``'s shape."""

    async def call(
        self,
        op: Operation,
        *,
        path: Mapping[str, str] | None = None,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        version: str | None = None,
    ) -> ApiResultLike: ...


@dataclass(frozen=True)
class ToolSettings:
    backend: Backend
    confirmation: ConfirmationMode = "either"
    policy: ToolPolicy = field(default_factory=ToolPolicy)
    default_versions: Mapping[str, str] = field(default_factory=dict)
    secrets: tuple[str, ...] = ()
    poll_interval_s: float = 5.0
    max_wait_s: int = 900
    preview_ttl_s: float = 900.0
    call_deadline_s: float = 185.0  # a last bound on one call, retries included, whatever the transport


async def _anyio_sleep(seconds: float) -> None:
    await anyio.sleep(seconds)


@dataclass
class ToolRuntime:
    caller: Caller
    settings: ToolSettings
    clock: Callable[[], float] = time.monotonic  # waits and preview ages
    wall_clock: Callable[[], float] = time.time  # the times the ledger shows
    sleep: Callable[[float], Awaitable[None]] = _anyio_sleep
    principal: Callable[[], str] = caller_id  # whose ledger entries a call records and reads
    store: Store = field(default_factory=SqliteStore)  # in memory unless the server gives it a file
    sealer: Sealer = field(default_factory=Sealer.random)
    # The elicitation resolver's preview, handed to the tool body of the same request: id -> (digest, target)
    elicited: dict[str, tuple[str, Any]] = field(default_factory=dict)

    @property
    def backend(self) -> Backend:
        return self.settings.backend

    async def send(
        self,
        op: Operation,
        *,
        path: Mapping[str, str] | None = None,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        version: str | None = None,
    ) -> ApiResultLike:
        """``caller.call`` bounded by the call deadline (the client's own timeouts are per attempt, and
        an in-process transport has none): past it, a read is a Timeout and a change's outcome is unknown."""
        deadline = self.settings.call_deadline_s
        with anyio.move_on_after(deadline):
            return await self.caller.call(op, path=path, query=query, body=body, version=version)
        waited = f"{op.service} {op.name}: no answer within {deadline:g} s"
        if op.risk == "read":
            raise Timeout(f"{waited}. Retry later.", operation=f"{op.service} {op.name}")
        raise OutcomeUnknown(
            f"{waited}. Outcome unknown — check the resource before retrying: the request may have reached SCP.",
            operation=f"{op.service} {op.name}",
        )

    def default_version(self, op: Operation) -> str:
        wanted = self.settings.default_versions.get(op.service)
        return wanted if wanted is not None and wanted in op.versions else op.current_version

    def timestamp(self) -> str:
        """Now, as the ledger shows it: UTC, ISO 8601, to the second."""
        return datetime.fromtimestamp(self.wall_clock(), UTC).isoformat(timespec="seconds")

    def reset(self) -> None:
        """Forget the work followed (a sandbox reset makes it meaningless); tokens stay single-use."""
        self.store.clear_operations()
        self.elicited.clear()
