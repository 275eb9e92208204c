"""What a generated tool needs at call time: a caller, which backend it is, and the guard's settings.

The caller is anything shaped like ``ScpClient.call``; tests can pass a fake, the server passes the
real client (pointed at SCP, or at the embedded sandbox through an in-process transport).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

import anyio

from scp_mcp.catalog import Operation
from scp_mcp.client.errors import OutcomeUnknown, Timeout
from scp_mcp.tools.ledger import Ledger
from scp_mcp.tools.policy import ToolPolicy

ConfirmationMode = Literal["either", "elicit", "argument"]


class ApiResultLike(Protocol):
    """The parts of the client's ``ApiResult`` the tools read."""

    @property
    def version(self) -> str: ...

    @property
    def status(self) -> int: ...

    @property
    def data(self) -> Any: ...

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


async def _anyio_sleep(seconds: float) -> None:
    await anyio.sleep(seconds)


@dataclass
class ToolRuntime:
    caller: Caller
    backend: Literal["scp", "sandbox"]
    confirmation: ConfirmationMode = "either"
    policy: ToolPolicy = field(default_factory=ToolPolicy)
    ledger: Ledger = field(default_factory=Ledger)
    default_versions: Mapping[str, str] = field(default_factory=dict)
    secrets: tuple[str, ...] = ()
    clock: Callable[[], float] = time.monotonic
    wall_clock: Callable[[], float] = time.time  # for the times the ledger shows; waits use ``clock``
    sleep: Callable[[float], Awaitable[None]] = _anyio_sleep
    poll_interval_s: float = 5.0
    max_wait_s: int = 900
    preview_ttl_s: float = 900.0
    previews: dict[str, tuple[str | None, float]] = field(default_factory=dict)
    call_deadline_s: float = 185.0  # a last bound on one call, retries included, whatever the transport

    async def send(
        self,
        op: Operation,
        *,
        path: Mapping[str, str] | None = None,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        version: str | None = None,
    ) -> ApiResultLike:
        """``caller.call`` bounded by ``call_deadline_s`` (the client's own timeouts are per attempt, and
        an in-process transport has none): past it, a read is a Timeout and a change's outcome is unknown."""
        with anyio.move_on_after(self.call_deadline_s):
            return await self.caller.call(op, path=path, query=query, body=body, version=version)
        waited = f"{op.service} {op.name}: no answer within {self.call_deadline_s:g} s"
        if op.risk == "read":
            raise Timeout(f"{waited}. Retry later.", operation=f"{op.service} {op.name}")
        raise OutcomeUnknown(
            f"{waited}. Outcome unknown — check the resource before retrying: the request may have reached SCP.",
            operation=f"{op.service} {op.name}",
        )

    def default_version(self, op: Operation) -> str:
        wanted = self.default_versions.get(op.service)
        return wanted if wanted is not None and wanted in op.versions else op.current_version

    def timestamp(self) -> str:
        """Now, as the ledger shows it: UTC, ISO 8601, to the second."""
        return datetime.fromtimestamp(self.wall_clock(), UTC).isoformat(timespec="seconds")
