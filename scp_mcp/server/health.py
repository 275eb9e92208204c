"""``/healthz`` (the process answers) and ``/readyz`` (it can reach its store) on the HTTP transport, for
load balancers and orchestrators. Neither needs a token, and neither says more than ready or why not."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import anyio
from mcp.server.mcpserver import MCPServer
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from scp_mcp.store import Store

READY_TIMEOUT_S = 5.0  # a store slower than this is not ready


@runtime_checkable
class Pingable(Protocol):
    """A store on the network (PostgreSQL) can be asked whether it answers; a local file always does."""

    def ping(self) -> None: ...


HEALTH_PATHS = ("/healthz", "/readyz")  # answered without a token: load balancers probe them


def register_health(server: MCPServer, store: Store, timeout_s: float = READY_TIMEOUT_S) -> None:
    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        problem = await store_problem(store, timeout_s)
        if problem:
            return JSONResponse({"status": "unavailable", "reason": problem}, status_code=503)
        return JSONResponse({"status": "ready"})

    server.custom_route("/healthz", methods=["GET"], include_in_schema=False)(healthz)
    server.custom_route("/readyz", methods=["GET"], include_in_schema=False)(readyz)


async def store_problem(store: Store, timeout_s: float) -> str | None:
    """None when the store answers within ``timeout_s``; else why not (its errors never hold a password)."""
    if not isinstance(store, Pingable):
        return None
    try:
        with anyio.fail_after(timeout_s):
            await anyio.to_thread.run_sync(store.ping, abandon_on_cancel=True)
    except TimeoutError:
        return f"the store did not answer within {timeout_s:g} s"
    except Exception as exc:
        return str(exc)
    return None
