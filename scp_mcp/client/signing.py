"""SCP request signing as an ``httpx.Auth`` flow.

Recipe (reference/README.md): base64(HMAC-SHA256(secret, METHOD + URL + TIMESTAMP +
ACCESS_KEY + "Openapi")), where URL is the full URL exactly as it goes on the wire (the encoded
query string included) and TIMESTAMP is epoch milliseconds. The flow signs ``str(request.url)``,
which is the encoded URL httpx sends, so a value like ``created_dt:desc`` is signed as it is sent
(``created_dt%3Adesc``). Each time the flow runs (each attempt) it takes a fresh timestamp.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable, Generator

import httpx
from pydantic import SecretStr

CLIENT_TYPE = "Openapi"


def signature(secret_key: str, method: str, url: str, timestamp_ms: int, access_key: str) -> str:
    """The Scp-Signature header value for one request."""
    message = f"{method.upper()}{url}{timestamp_ms}{access_key}{CLIENT_TYPE}"
    digest = hmac.new(secret_key.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def wire_url(url: httpx.URL) -> str:
    """The URL as sent: scheme, host, port when not the default, encoded path and query."""
    text = str(url)
    return text if "#" not in text else str(url.copy_with(fragment=None))  # parsing again only when needed


class ScpAuth(httpx.Auth):
    """Adds Scp-Accesskey, Scp-Signature, Scp-Timestamp and Scp-ClientType to each request."""

    def __init__(self, access_key: str, secret_key: str | SecretStr, clock: Callable[[], int]) -> None:
        """``clock`` returns the current time in epoch milliseconds."""
        self._access_key = access_key
        self._secret = secret_key if isinstance(secret_key, SecretStr) else SecretStr(secret_key)
        self._clock_ms = clock

    def __repr__(self) -> str:
        return f"ScpAuth(access_key={self._access_key!r}, secret_key='**********')"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        timestamp = int(self._clock_ms())
        secret = self._secret.get_secret_value()
        request.headers["Scp-Accesskey"] = self._access_key
        request.headers["Scp-Timestamp"] = str(timestamp)
        request.headers["Scp-ClientType"] = CLIENT_TYPE
        request.headers["Scp-Signature"] = signature(
            secret, request.method, wire_url(request.url), timestamp, self._access_key
        )
        yield request
