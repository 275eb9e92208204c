"""SCP request authentication, written from the recipe (not shared with the client on purpose).

message   = METHOD + URL as received (scheme, host, raw path, raw query) + Scp-Timestamp + Scp-Accesskey
            + "Openapi"
signature = base64(HMAC-SHA256(secret key, message))
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from scp_mcp.sandbox.errors import ErrorReply

CLIENT_TYPE = "Openapi"
TIMESTAMP_WINDOW_S = 300.0  # undocumented; SCP is said to allow "a few minutes" of skew


def sign(secret_key: str, method: str, url: str, timestamp: str, access_key: str) -> str:
    message = f"{method.upper()}{url}{timestamp}{access_key}{CLIENT_TYPE}"
    mac = hmac.new(secret_key.encode(), message.encode(), hashlib.sha256).digest()
    return base64.b64encode(mac).decode()


def received_url(scope: Mapping[str, Any], host: str) -> str:
    """The URL exactly as the client sent it: raw path and raw query string, never re-encoded."""
    raw_path = scope.get("raw_path") or scope["path"].encode()
    url = f"{scope.get('scheme', 'http')}://{host}{raw_path.decode('latin-1')}"
    query = scope.get("query_string", b"")
    return f"{url}?{query.decode('latin-1')}" if query else url


def verify(
    scope: Mapping[str, Any],
    headers: Mapping[str, str],
    credentials: Mapping[str, str],
    wall_now: float,
) -> None:
    """Raise ErrorReply (401/403 with SCP's error body) unless the request is signed by known credentials."""
    access = headers.get("scp-accesskey", "")
    signature = headers.get("scp-signature", "")
    stamp = headers.get("scp-timestamp", "")
    if not access or not signature or not stamp:
        missing = [
            h for h, v in (("Scp-Accesskey", access), ("Scp-Signature", signature), ("Scp-Timestamp", stamp)) if not v
        ]
        raise ErrorReply(401, "Unauthorized", f"missing authentication header(s): {', '.join(missing)}")
    if headers.get("scp-clienttype", "") != CLIENT_TYPE:
        raise ErrorReply(403, "Forbidden", f"Scp-ClientType must be {CLIENT_TYPE!r}")
    _check_timestamp(stamp, wall_now)
    secret = credentials.get(access)
    if secret is None:
        raise ErrorReply(401, "Unauthorized", "unknown access key")
    url = received_url(scope, headers.get("host", ""))
    expected = sign(secret, scope["method"], url, stamp, access)
    if not hmac.compare_digest(expected, signature):
        raise ErrorReply(401, "Unauthorized", "signature does not match the request (sign the URL exactly as sent)")


def _check_timestamp(stamp: str, wall_now: float) -> None:
    try:
        sent = int(stamp) / 1000.0
    except ValueError:
        raise ErrorReply(401, "Unauthorized", "Scp-Timestamp must be epoch milliseconds") from None
    skew = sent - wall_now
    if abs(skew) > TIMESTAMP_WINDOW_S:
        raise ErrorReply(
            401,
            "Unauthorized",
            f"Scp-Timestamp is {abs(skew):.0f}s {'ahead of' if skew > 0 else 'behind'} server time "
            f"(allowed: {TIMESTAMP_WINDOW_S:.0f}s); check the clock",
        )
