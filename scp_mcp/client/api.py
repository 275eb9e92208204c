"""ScpClient: one per process; performs catalog operations with signing, versions and retries."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from types import MappingProxyType, TracebackType
from typing import Any

import anyio
import httpx
from pydantic import BaseModel, ValidationError

from scp_mcp.catalog import Operation, OperationVersion, load_catalog
from scp_mcp.client import retry
from scp_mcp.client.connection import ClientSettings, LazyHttpClient
from scp_mcp.client.errors import ConfigError, ScpError
from scp_mcp.client.request import WireRequest, build, label
from scp_mcp.client.responses import (
    Body,
    CallContext,
    error_from_exception,
    error_from_response,
    find_request_id,
)
from scp_mcp.client.responses import parse_body as _parse_body
from scp_mcp.client.signing import ScpAuth
from scp_mcp.client.transport import ScpTransport
from scp_mcp.client.versions import resolve

log = logging.getLogger("scp_mcp.client")


def _user_agent() -> str:
    try:
        return f"scp-mcp/{metadata.version('scp-mcp')}"
    except metadata.PackageNotFoundError:
        return "scp-mcp"


USER_AGENT = _user_agent()
# Enough kept-alive connections for every concurrent HTTP client of the server: a smaller pool closes
# and reopens a connection (TCP and TLS) per call under load, and queues the calls beyond its size.
POOL_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=100)


@dataclass(frozen=True)
class ApiResult:
    """One successful call.

    ``data`` is the parsed JSON (None for an empty body, the text for a non-JSON body); ``model``
    the success response model instance when the operation has one and the body fits it (when it
    does not, ``data`` is kept and ``warnings`` says why). ``warnings`` also carries deprecation
    warnings for versions past their support guarantee. ``request_id`` is SCP's request id from the
    body (``request_id``) or a response header. ``duration_s`` spans all attempts. ``url`` is the
    URL that was sent, without user info.
    """

    operation: Operation = field(repr=False)
    version: str
    status: int
    data: Any = field(repr=False)
    model: BaseModel | None = field(repr=False)
    headers: Mapping[str, str] = field(repr=False)
    duration_s: float
    request_id: str | None
    warnings: tuple[str, ...]
    url: str
    attempts: int = 1


@dataclass
class _Attempt:
    """State of one call across attempts."""

    ctx: CallContext
    wire: WireRequest
    idempotent: bool
    started: float
    attempts: int = 0


class ScpClient:
    """Signed HTTP client for the SCP Data Analytics APIs.

    Create one per process and close it on shutdown (``aclose`` or ``async with``); it keeps a
    pool of connections shared by all services.
    """

    def __init__(
        self,
        settings: ClientSettings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
        today: Callable[[], date] = date.today,
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings
        self._clock = clock
        self._sleep = sleep
        self._today = today
        self._rng = rng or random.Random()
        self._policy = retry.RetryPolicy(max_attempts=settings.max_attempts, max_total_s=settings.max_retry_time_s)
        self._auth = self._make_auth(settings)
        self._pool = LazyHttpClient(
            lambda: httpx.AsyncClient(
                transport=transport or ScpTransport(POOL_LIMITS),
                timeout=httpx.Timeout(settings.timeout_s),
                limits=POOL_LIMITS,
                follow_redirects=False,  # a redirect would need a new signature; report it instead
                headers={"User-Agent": USER_AGENT},
            )
        )

    @property
    def _http(self) -> httpx.AsyncClient:
        return self._pool.client

    def _make_auth(self, settings: ClientSettings) -> ScpAuth | None:
        if not settings.has_credentials or settings.access_key is None or settings.secret_key is None:
            return None
        return ScpAuth(settings.access_key, settings.secret_key, lambda: int(self._clock() * 1000))

    def __repr__(self) -> str:
        s = self.settings
        return f"ScpClient(region={s.region!r}, environment={s.environment!r}, access_key={s.access_key!r})"

    async def __aenter__(self) -> ScpClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._pool.aclose()

    @property
    def closed(self) -> bool:
        return self._pool.is_closed

    async def call(
        self,
        op: Operation,
        *,
        path: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        version: str | None = None,
    ) -> ApiResult:
        """Perform ``op``; return its result or raise a ScpError subclass."""
        ov, warnings = resolve(op, version, self.settings, self._today())
        wire = build(self.settings, op, ov, path=path, query=query, body=body)
        if self._auth is None:
            raise ConfigError(
                f"{label(op)}: no SCP credentials; set SCP_ACCESS_KEY and SCP_SECRET_KEY "
                "(or ~/.scpconf/credentials.json). Nothing was sent.",
                operation=label(op),
            )
        if self.closed:
            raise ScpError(f"{label(op)}: the SCP client is closed.", operation=label(op))
        ctx = CallContext(op, ov, dict(path or {}), self.settings.endpoint(op.service), 0, self.settings.timeout_s)
        state = _Attempt(ctx, wire, op.idempotent, self._clock())
        response, body_ = await self._send_with_retries(state)
        return self._result(state, ov, response, body_, warnings)

    async def _send_with_retries(self, state: _Attempt) -> tuple[httpx.Response, Body]:
        while True:
            state.attempts += 1
            outcome = await self._attempt(state)
            if isinstance(outcome, tuple):
                return outcome
            await self._sleep(outcome)

    async def _attempt(self, state: _Attempt) -> tuple[httpx.Response, Body] | float:
        """One attempt: the answer, or the delay before the next attempt; raises when done."""
        w = state.wire
        try:
            request = self._http.build_request(w.method, w.url, headers=dict(w.headers), content=w.content)
        except httpx.InvalidURL as exc:  # the URL is not echoed: it may be megabytes of an argument
            raise ConfigError(
                f"{label(state.ctx.op)}: the request URL is invalid ({_short(str(exc))}); check SCP_ENDPOINT_TEMPLATE.",
                operation=label(state.ctx.op),
            ) from None
        try:
            response = await self._send_within_attempt(request)
        except httpx.RequestError as exc:  # transport failures, and bodies that cannot be decoded
            return self._after_exception(state, exc)
        body = _parse_body(response)
        log.debug(
            "%s %s -> %s (attempt %d)",
            w.method,
            request.url,
            response.status_code,
            state.attempts,
        )
        if response.is_success:
            return response, body
        return self._after_status(state, response, body)

    async def _send_within_attempt(self, request: httpx.Request) -> httpx.Response:
        """Send and read the whole answer within the per-attempt timeout. httpx's own read timeout
        restarts on every byte, so a body trickled one byte at a time would otherwise never time out."""
        limit = self.settings.timeout_s
        with anyio.move_on_after(limit):
            return await self._http.send(request, auth=self._auth)
        raise httpx.ReadTimeout(f"no complete answer within {limit:g} s", request=request)

    def _after_exception(self, state: _Attempt, exc: httpx.RequestError) -> float:
        kind = retry.exc_kind(exc)
        log.info("%s: %s on attempt %d", label(state.ctx.op), type(exc).__name__, state.attempts)
        delay = self._decide(state, None, kind, None)
        if delay is not None:
            return delay
        unknown = not state.idempotent and retry.may_have_reached(None, kind)
        raise error_from_exception(self._ctx(state), exc, kind, outcome_unknown=unknown) from exc

    def _after_status(self, state: _Attempt, response: httpx.Response, body: Body) -> float:
        status = response.status_code
        retry_after = retry.parse_retry_after(response.headers.get("retry-after"), self._clock())
        delay = self._decide(state, status, None, retry_after)
        if delay is not None:
            log.info("%s: %d on attempt %d; retrying in %.2f s", label(state.ctx.op), status, state.attempts, delay)
            return delay
        unknown = not state.idempotent and retry.may_have_reached(status, None)
        raise error_from_response(self._ctx(state), response, body, outcome_unknown=unknown, retry_after=retry_after)

    def _decide(
        self, state: _Attempt, status: int | None, kind: retry.ExcKind | None, retry_after: float | None
    ) -> float | None:
        elapsed = self._clock() - state.started
        return retry.decide(
            state.attempts, elapsed, state.idempotent, status, kind, retry_after, self._rng, self._policy
        )

    @staticmethod
    def _ctx(state: _Attempt) -> CallContext:
        c = state.ctx
        return CallContext(c.op, c.version, c.path_args, c.endpoint, state.attempts, c.timeout_s)

    def _result(
        self,
        state: _Attempt,
        ov: OperationVersion,
        response: httpx.Response,
        body: Body,
        warnings: tuple[str, ...],
    ) -> ApiResult:
        op = state.ctx.op
        model, model_warnings = _typed(op, ov, response.status_code, body)
        return ApiResult(
            operation=op,
            version=ov.version,
            status=response.status_code,
            data=body.data,
            model=model,
            headers=MappingProxyType(dict(response.headers)),
            duration_s=max(0.0, self._clock() - state.started),
            request_id=find_request_id(body.data, response.headers),
            warnings=warnings + model_warnings,
            url=_without_userinfo(response.request.url),
            attempts=state.attempts,
        )


def _without_userinfo(url: httpx.URL) -> str:
    return str(url.copy_with(userinfo=b"")) if url.userinfo else str(url)  # parsing again only when needed


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _typed(op: Operation, ov: OperationVersion, status: int, body: Body) -> tuple[BaseModel | None, tuple[str, ...]]:
    """The success response model instance; a warning (not a failure) when the body does not fit."""
    if not body.is_json:
        return None, (f"{label(op)}: the response was not JSON; returned as text.",)
    name = next((r.model for r in ov.responses if r.status == status and r.model), ov.success.model)
    if name is None or body.data is None:
        return None, ()
    model_cls = load_catalog().services[op.service].model(name)
    try:
        return model_cls.model_validate(body.data), ()
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        return None, (
            f"{label(op)}: the response does not match {name} ({exc.error_count()} problem(s), first at "
            f"{where}: {first['msg']}); returned as raw JSON.",
        )
