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
from email.utils import formatdate
from typing import Any, Protocol

import anyio
import httpx
from starlette.applications import Starlette
from starlette.convertors import Convertor, register_url_convertor
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

    return Starlette(routes=[Route("/{path:sandbox_path}", endpoint, methods=METHODS)])


class _AnyPath(Convertor[str]):
    """Starlette's "path" stops at a line break; an id with a CR/LF (percent-encoded on the wire) must
    still reach the pipeline, to be recorded and answered as SCP would."""

    regex = "(?s:.*)"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("sandbox_path", _AnyPath())


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
    if fault is not None and fault.kind in EARLY_FAULTS:
        early = await _fault(fault, sandbox.wall_clock(), raw)
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
    if fault is not None and fault.kind in LATE_FAULTS:
        return op, _late_fault(fault, response)
    return op, response


def _late_fault(fault: Fault, response: Response) -> Response:
    """A fault on an answer the handler has already given: the change, if any, has happened."""
    body = bytes(response.body)
    if fault.kind == "malformed":
        return Response(body[: max(1, len(body) // 2)] or b"{", response.status_code, media_type="application/json")
    if fault.kind == "trickle":
        return TrickledResponse(body or b"{}", response.status_code, fault.seconds)
    return DroppedResponse()  # "lost"


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


EARLY_FAULTS = frozenset({"latency", "429", "5xx", "drop", "echo"})  # before the handler acts
LATE_FAULTS = frozenset({"lost", "trickle", "malformed"})  # on the handler's answer


async def _fault(fault: Fault, now: float, raw: bytes) -> Response | None:
    if fault.kind == "latency":
        await anyio.sleep(fault.seconds)
        return None
    if fault.kind == "429":
        return JSONResponse(
            ErrorReply(429, "TooManyRequests", "rate limit exceeded").body("req-throttled"),
            status_code=429,
            headers={"Retry-After": _retry_after(fault, now)},
        )
    if fault.kind == "5xx":
        err = ErrorReply(fault.status, "InternalServerError", "the service is temporarily unavailable")
        return JSONResponse(err.body("req-fault"), status_code=fault.status)
    if fault.kind == "echo":  # some APIs quote the whole request in a 400, secrets and all
        quoted = _requoted(raw)
        err = ErrorReply(400, "ValidationError", f"request rejected: {quoted}")
        return JSONResponse(err.body("req-echo"), status_code=400)
    return DroppedResponse()


def _requoted(raw: bytes) -> str:
    """The body as an API that parsed it quotes it back: re-serialised, keys in order."""
    try:
        return json.dumps(json.loads(raw), sort_keys=True, ensure_ascii=False)
    except ValueError:
        return raw.decode("utf-8", "replace")


def _retry_after(fault: Fault, now: float) -> str:
    if fault.retry_after_date:
        return formatdate(now + fault.retry_after, usegmt=True)
    return f"{fault.retry_after:g}"


class DroppedResponse(Response):
    """Starts a response, then the connection is gone: the client sees a protocol error."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"64")]})
        raise httpx.RemoteProtocolError("sandbox fault: connection dropped")


class TrickledResponse(Response):
    """The whole answer, one byte at a time with a pause between bytes: a slow or stalling upstream."""

    def __init__(self, content: bytes, status_code: int, pause_s: float) -> None:
        super().__init__(content, status_code, media_type="application/json")
        self.pause_s = pause_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        async with anyio.create_task_group() as tg:
            tg.start_soon(_cancel_on_disconnect, receive, tg.cancel_scope)
            for index in range(len(self.body)):
                await anyio.sleep(self.pause_s)
                more = index < len(self.body) - 1
                await send({"type": "http.response.body", "body": self.body[index : index + 1], "more_body": more})
            tg.cancel_scope.cancel()


async def _cancel_on_disconnect(receive: Receive, scope: anyio.CancelScope) -> None:
    """A client that gave up is not trickled to any longer (nor kept open by it)."""
    while (await receive())["type"] != "http.disconnect":
        pass
    scope.cancel()


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
