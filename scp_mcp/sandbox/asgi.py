"""The ASGI application: one pipeline for every catalog route.

record → settle lifecycles → service → signature → operation → fault → version → query and body
validation → handler (under `failing` when a "fail" fault fires) → response shaped by the documented
success model.

The app sees the simulator only through the `Simulator` protocol: `Sandbox` imports this module and
builds the app over itself, never the other way round.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Protocol

import anyio
import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from scp_mcp.catalog import Catalog, Operation, OperationVersion
from scp_mcp.sandbox import auth, ids
from scp_mcp.sandbox.errors import ErrorReply
from scp_mcp.sandbox.faults import Fault, Faults
from scp_mcp.sandbox.handlers.base import Ctx, Handler, Reply, World
from scp_mcp.sandbox.received import RECORDED_HEADERS, ReceivedRequest, RequestLog
from scp_mcp.sandbox.response_body import response_body
from scp_mcp.sandbox.routing import Router
from scp_mcp.sandbox.store import Store, failing
from scp_mcp.sandbox.validation import validate_body, validate_query

METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"]


class Simulator(Protocol):
    """What the pipeline reads and calls. `Sandbox` provides it and builds the app over itself."""

    @property
    def catalog(self) -> Catalog: ...
    @property
    def router(self) -> Router: ...
    @property
    def store(self) -> Store: ...
    @property
    def world(self) -> World: ...
    @property
    def faults(self) -> Faults: ...
    @property
    def credentials(self) -> Mapping[str, str]: ...
    @property
    def received(self) -> RequestLog: ...
    def wall_clock(self) -> float: ...
    def handler(self, op: Operation) -> Handler: ...
    def save(self) -> None: ...


def build_app(sandbox: Simulator) -> Starlette:
    async def endpoint(request: Request) -> Response:
        return await _handle(sandbox, request)

    return Starlette(routes=[Route("/{path:path}", endpoint, methods=METHODS)])


async def _handle(sandbox: Simulator, request: Request) -> Response:
    raw = await request.body()
    record = _record(request, raw)
    number = sandbox.received.append(record)
    global_id = ids.request_id("global", sandbox.store.seed, number)
    try:
        op, response = await _serve(sandbox, request, raw, record)
    except ErrorReply as err:
        return JSONResponse(err.body(global_id), status_code=err.status, headers=err.headers)
    if op.method != "GET":
        sandbox.save()
    return response


async def _serve(
    sandbox: Simulator, request: Request, raw: bytes, record: ReceivedRequest
) -> tuple[Operation, Response]:
    sandbox.store.settle(sandbox.world.now())
    raw_path = (request.scope.get("raw_path") or request.scope["path"].encode()).decode("latin-1")
    headers = {k.lower(): v for k, v in request.headers.items()}
    service, inner = sandbox.router.split(raw_path, headers.get("host", ""))
    auth.verify(request.scope, headers, sandbox.credentials, sandbox.wall_clock())
    match = sandbox.router.match(service, request.method, inner)
    op = match.op
    sandbox.received.routed(record, op.tool_name)
    fault = sandbox.faults.pick(op)
    if fault is not None and fault.kind not in ("malformed", "fail"):
        early = await _fault(fault)
        if early is not None:
            return op, early
    fail = fault is not None and fault.kind == "fail"
    try:
        version = resolve_version(op, headers.get("scp-api-version"))
        svc = sandbox.catalog.services[service]
        query = validate_query(version, dict(request.query_params))
        body = validate_body(svc, version, raw)
        with failing(fail):
            reply = sandbox.handler(op)(Ctx(sandbox.world, op, version, match.params, query, body))
    except ErrorReply:
        if fault is not None and fail:
            sandbox.faults.give_back(fault, op)
        raise
    response = _respond(sandbox, op, version, reply)
    if fault is not None and fault.kind == "malformed":
        response = Response(
            bytes(response.body)[: max(1, len(response.body) // 2)] or b"{",
            response.status_code,
            media_type="application/json",
        )
    return op, response


def resolve_version(op: Operation, header: str | None) -> OperationVersion:
    """The version named by Scp-Api-Version, CURRENT when absent (as SCP does).

    An unknown version is answered 406 Not Acceptable: that is what SCP reportedly answers
    (shared notes), and it tells a client apart "you sent a bad body" (400) from "you asked
    for a version this operation does not have".
    """
    if not header:
        return op.current
    prefix, _, version = header.strip().partition(" ")
    if prefix != op.service or version not in op.versions:
        documented = ", ".join(v.api_version for v in op.versions.values())
        raise ErrorReply(
            406, "NotAcceptable", f"Scp-Api-Version {header!r} is not a version of {op.name}; documented: {documented}"
        )
    return op.versions[version]


def _respond(sandbox: Simulator, op: Operation, version: OperationVersion, reply: Reply) -> Response:
    status = reply.status if reply.status else version.success.status
    if reply.payload is None:
        return Response(status_code=status)
    schemas = sandbox.catalog.services[op.service].schemas
    return JSONResponse(response_body(reply.payload, version.success.model, schemas), status_code=status)


async def _fault(fault: Fault) -> Response | None:
    if fault.kind == "latency":
        await anyio.sleep(fault.seconds)
        return None
    if fault.kind == "429":
        err = ErrorReply(
            429, "TooManyRequests", "rate limit exceeded", headers={"Retry-After": f"{fault.retry_after:g}"}
        )
        return JSONResponse(err.body("req-throttled"), status_code=429, headers=err.headers)
    if fault.kind == "5xx":
        err = ErrorReply(fault.status, "InternalServerError", "the service is temporarily unavailable")
        return JSONResponse(err.body("req-fault"), status_code=fault.status)
    return DroppedResponse()


class DroppedResponse(Response):
    """Starts a response, then the connection is gone: the client sees a protocol error."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"64")]})
        raise httpx.RemoteProtocolError("sandbox fault: connection dropped")


def _record(request: Request, raw: bytes) -> ReceivedRequest:
    try:
        body: Any = json.loads(raw) if raw else None
    except ValueError:
        body = raw.decode("utf-8", "replace")
    headers = {k: v for k, v in request.headers.items() if k.lower() in RECORDED_HEADERS}
    raw_path = (request.scope.get("raw_path") or request.scope["path"].encode()).decode("latin-1")
    return ReceivedRequest(
        request.method, raw_path, request.scope.get("query_string", b"").decode("latin-1"), headers, body
    )
