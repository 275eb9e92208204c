"""Read SCP's answers defensively and turn failures into errors an operator can act on.

Bodies may be JSON, empty, HTML from a gateway, or a Spring-style error; none of them breaks
parsing. Messages are one line: '<service> <operation>: <status> <reason> — <detail> (SCP request
id <id>). <what to do>'.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from scp_mcp.catalog import Operation, OperationVersion, load_catalog
from scp_mcp.client import errors as e
from scp_mcp.client.request import label, path_names
from scp_mcp.client.retry import ExcKind

_REQUEST_ID_HEADERS = ("scp-request-id", "x-scp-request-id", "x-request-id", "request-id", "x-amzn-requestid")
_SPRING_KEYS = frozenset({"timestamp", "status", "error", "path"})
_MAX_DETAIL = 300


@dataclass(frozen=True)
class Body:
    data: Any  # parsed JSON; the text when not JSON; None when empty
    is_json: bool
    text: str


def parse_body(response: httpx.Response) -> Body:
    text = response.content.decode(response.encoding or "utf-8", errors="replace")
    if not text.strip():
        return Body(None, True, "")
    try:
        return Body(json.loads(text), True, text)
    except ValueError:
        return Body(text, False, text)


def find_request_id(data: Any, headers: httpx.Headers) -> str | None:
    if isinstance(data, Mapping):
        for value in (data.get("request_id"), data.get("requestId")):
            if isinstance(value, str) and value:
                return value
        for detail in e.parse_error_details(data):
            if detail.global_request_id:
                return detail.global_request_id
    return next((headers[h] for h in _REQUEST_ID_HEADERS if headers.get(h)), None)


@dataclass(frozen=True)
class CallContext:
    """What an error message needs to know about the call."""

    op: Operation
    version: OperationVersion
    path_args: Mapping[str, Any]
    endpoint: str
    attempts: int
    timeout_s: float


def error_from_response(
    ctx: CallContext,
    response: httpx.Response,
    body: Body,
    *,
    outcome_unknown: bool,
    retry_after: float | None,
) -> e.ScpError:
    status = response.status_code
    rid = find_request_id(body.data, response.headers)
    head = f"{label(ctx.op)}: {status} {response.reason_phrase or httpx.codes.get_reason_phrase(status)}"
    detail = _detail_text(body)
    line = head + (f" — {detail}" if detail else "") + (f" (SCP request id {rid})" if rid else "")
    kwargs: dict[str, Any] = {"operation": label(ctx.op), "status": status, "request_id": rid}
    if outcome_unknown:
        return e.OutcomeUnknown(f"{line}. {_outcome_advice(ctx)}", **kwargs)
    cls, advice = _classify(ctx, status, body)
    if cls is e.BadRequest:
        return e.BadRequest(f"{line}. {advice}", errors=e.parse_error_details(body.data), **kwargs)
    if cls is e.RateLimited:
        wait = f" It asked to wait {retry_after:g} s." if retry_after is not None else ""
        return e.RateLimited(f"{line}. {advice}{wait}", retry_after=retry_after, **kwargs)
    return cls(f"{line}. {advice}", **kwargs)


def _classify(ctx: CallContext, status: int, body: Body) -> tuple[type[e.ScpError], str]:
    svc = ctx.op.service
    tries = f"gave up after {ctx.attempts} attempt{'s' if ctx.attempts != 1 else ''}"
    if status == 401:
        return e.AuthError, (
            "SCP did not accept the credentials or the signature: check SCP_ACCESS_KEY and SCP_SECRET_KEY "
            "(or ~/.scpconf/credentials.json) and that this machine's clock is correct."
        )
    if status == 403:
        return (
            e.AuthError,
            f"The access key is not permitted to do this: check its IAM permissions for {svc}.",
        )
    if status == 404 or (status == 400 and _missing_id_is_400(ctx) and _says_not_found(body)):
        return e.NotFound, _not_found_advice(ctx, body)
    if status in (400, 406, 422):
        return e.BadRequest, _bad_request_advice(ctx, status, body)
    if status == 409:
        return (
            e.Conflict,
            "The resource is not in a state that allows this; check its state and retry once it is stable.",
        )
    if status == 429:
        return e.RateLimited, f"SCP is rate limiting requests ({tries}); wait a little and retry."
    if status >= 500:
        return e.ServerError, (
            f"SCP failed to handle the request ({tries}); retry later, and if it persists report the "
            "SCP request id to Samsung support."
        )
    return (
        e.ScpError,
        f"Unexpected answer from {ctx.endpoint}; check SCP_ENDPOINT_TEMPLATE and the API version.",
    )


def _not_found_advice(ctx: CallContext, body: Body) -> str:
    foreign = _foreign_404(body)
    if foreign:
        return (
            f"This {foreign} answer did not come from the {ctx.op.service} API: a 404 like this on "
            "every call usually means the request was not signed correctly or the endpoint "
            f"({ctx.endpoint}) is wrong; "
            "check the keys, the clock, SCP_REGION/SCP_ENVIRONMENT and SCP_ENDPOINT_TEMPLATE."
        )
    target = _target(ctx)
    lister = load_catalog().sibling(ctx.op, "list")
    check = f" Check the id with {label(lister)}." if lister else ""
    return f"{target} does not exist (or is not visible to this access key).{check}"


def _foreign_404(body: Body) -> str | None:
    if not body.is_json and body.text.lstrip().startswith("<"):
        return "HTML"
    if isinstance(body.data, Mapping) and len(_SPRING_KEYS & set(body.data)) >= 3:
        return "Spring-style"
    return None


def _target(ctx: CallContext) -> str:
    names = path_names(ctx.op)
    ref = ctx.op.resource
    name = ref.id_param if ref and ref.id_param in names else (names[-1] if names else None)
    if name is None:
        return "The requested resource"
    return f'{name} "{ctx.path_args.get(name)}"'


# Error codes that say what was wrong with a request that reached an existing resource.
_NOT_A_MISSING_ID = {"ValidationError", "InvalidState", "Conflict"}


def _error_codes(body: Body) -> set[str]:
    errors = body.data.get("errors") if isinstance(body.data, Mapping) else None
    if not isinstance(errors, list):
        return set()
    return {str(err.get("code")) for err in errors if isinstance(err, Mapping) and err.get("code")}


_NOT_FOUND_WORDS = re.compile(r"not.?found|(does not|doesn't|not) exist", re.IGNORECASE)


def _missing_id_is_400(ctx: CallContext) -> bool:
    """Data Flow, Data Ops and Show Request answer 400, not 404, for an id that does not exist."""
    return ctx.op.missing_id_status == 400


def _says_not_found(body: Body) -> bool:
    details = e.parse_error_details(body.data)
    return any(_NOT_FOUND_WORDS.search(f"{d.code} {d.detail}") for d in details)


def _bad_request_advice(ctx: CallContext, status: int, body: Body) -> str:
    if status == 406:
        return (
            f"SCP refused Scp-Api-Version '{ctx.version.api_version}'; use the current version "
            f"{ctx.op.current_version} (documented: {', '.join(ctx.op.versions)})."
        )
    if "InvalidState" in _error_codes(body):
        return "SCP refused it for the resource's current state, not the arguments: change the state first, then retry."
    advice = "Fix the arguments and retry."
    if _missing_id_is_400(ctx) and not (_error_codes(body) & _NOT_A_MISSING_ID):
        advice += f" {ctx.op.service} also answers 400 when {_target(ctx)} does not exist."
    return advice


def _detail_text(body: Body) -> str:
    details = e.parse_error_details(body.data)
    if details:
        parts = [_one_detail(d.code, d.detail) for d in details]
        text = "; ".join(p for p in parts if p)
    elif isinstance(body.data, Mapping):
        text = _first_str(body.data, ("message", "detail", "error", "title"))
    elif body.is_json:
        text = "" if body.data is None else json.dumps(body.data, ensure_ascii=False)
    else:
        text = "non-JSON body" + (" (HTML)" if body.text.lstrip().startswith("<") else f": {body.text.strip()}")
    return _shorten(" ".join(text.split()))


def _one_detail(code: str | None, detail: Any) -> str:
    if isinstance(detail, str):
        rendered = detail
    elif detail is None:
        rendered = ""
    else:
        rendered = json.dumps(detail, ensure_ascii=False)
    return ": ".join(p for p in (code, rendered) if p)


def _first_str(data: Mapping[str, Any], keys: tuple[str, ...]) -> str:
    return next((v for k in keys if isinstance(v := data.get(k), str) and v), "")


def _shorten(text: str) -> str:
    return text if len(text) <= _MAX_DETAIL else text[: _MAX_DETAIL - 1] + "…"


def _outcome_advice(ctx: CallContext) -> str:
    lister = load_catalog().sibling(ctx.op, "list")
    check = f" (e.g. with {label(lister)})" if lister else ""
    return (
        f"Outcome unknown — check the resource before retrying{check}: the request may have reached SCP, "
        "so it was not sent again."
    )


def error_from_exception(
    ctx: CallContext, exc: httpx.RequestError, kind: ExcKind, *, outcome_unknown: bool
) -> e.ScpError:
    op = label(ctx.op)
    cause = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if outcome_unknown:
        return e.OutcomeUnknown(f"{op}: no answer ({cause}). {_outcome_advice(ctx)}", operation=op)
    tries = f"{ctx.attempts} attempt{'s' if ctx.attempts != 1 else ''}"
    if kind in ("timeout", "connect_timeout"):
        return e.Timeout(
            f"{op}: no answer from {ctx.endpoint} within {ctx.timeout_s:g} s ({tries}; {cause}). "
            "Retry later, or raise SCP_TIMEOUT if the operation is known to be slow.",
            operation=op,
        )
    return e.TransportError(
        f"{op}: could not reach {ctx.endpoint} ({tries}; {cause}). Check network access, proxies, "
        "SCP_REGION/SCP_ENVIRONMENT and SCP_ENDPOINT_TEMPLATE.",
        operation=op,
    )
