"""`scp-mcp doctor`: configuration, endpoints, and one signed read, with what to fix."""

from __future__ import annotations

import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime

from scp_mcp.catalog import load_catalog
from scp_mcp.client import ScpError
from scp_mcp.client.errors import AuthError, TransportError
from scp_mcp.server.backend import Backend

PROBE = "eventstreams_list_server_types"  # a cheap, documented read


def _masked(key: str | None) -> str:
    if not key:
        return "none"
    return f"{key[:4]}…{key[-2:]}" if len(key) > 8 else "set"


async def run_doctor(backend: Backend, out: Callable[[str], None]) -> int:
    s = backend.settings
    out(f"backend:      {backend.where}")
    out(f"access key:   {_masked(s.access_key)}; secret key: {'set' if s.secret_key else 'none'}")
    out(f"region:       {s.region} (environment {s.environment}); language {s.language}")
    for service in load_catalog().services:
        try:
            out(f"endpoint:     {service:<13} {s.endpoint(service)}")
        except ScpError as exc:
            out(f"endpoint:     {service:<13} PROBLEM: {exc}")
            return 1
    op = load_catalog().by_tool_name(PROBE)
    started = time.monotonic()
    try:
        result = await backend.client.call(op)
    except ScpError as exc:
        out(f"signed read:  {PROBE} FAILED: {exc}")
        diagnosis = diagnose(exc)
        if diagnosis:
            out(f"diagnosis:    {diagnosis}")
        return 1
    out(f"signed read:  {PROBE} -> HTTP {result.status} in {(time.monotonic() - started) * 1000:.0f} ms")
    skew = _skew(result.headers.get("date"))
    if skew is not None:
        verdict = "ok" if abs(skew) < 60 else "too large: SCP may reject signatures; sync the clock"
        out(f"clock skew:   {skew:+.0f} s ({verdict})")
    return 0


def diagnose(exc: ScpError) -> str | None:
    """The likely cause of a failed signed read, from what SCP said."""
    text = str(exc).lower()
    if isinstance(exc, AuthError) and exc.status == 401:
        if "access key" in text and ("unknown" in text or "invalid" in text or "not found" in text):
            return "SCP does not know this access key: check SCP_ACCESS_KEY (or ~/.scpconf/credentials.json)."
        if "signature" in text:
            return (
                "the access key is known but the signature does not match: the secret key is wrong (check "
                "SCP_SECRET_KEY or ~/.scpconf/credentials.json), or a proxy rewrites the URL that was signed."
            )
        if "timestamp" in text or ("clock" in text and "expired" in text):
            return "the request's timestamp was refused: sync this machine's clock (NTP)."
        return "SCP refused the credentials: check the access key, the secret key and this machine's clock."
    if isinstance(exc, AuthError):
        return "the credentials are valid but not allowed to list server types: check the key's IAM permissions."
    if isinstance(exc, TransportError):
        return "nothing answered at the endpoint: check the network, proxies and the endpoint above."
    return None


def _skew(date_header: str | None) -> float | None:
    if not date_header:
        return None
    try:
        return time.time() - parsedate_to_datetime(date_header).timestamp()
    except (TypeError, ValueError):
        return None
