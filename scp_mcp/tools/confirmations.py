"""Confirmation tokens: a preview's promise, sealed so that any replica can check it without memory.

A preview seals what it showed into ``confirm_token``: a keyed digest of the exact request (tool,
method, path, API version, query, body), the target's name (the value to ``confirm`` with) and its
state then, the caller it was shown to (``callers.caller_id()``: another caller cannot use it), an
expiry and a random id. The token is ``c1.<payload>.<mac>``, the payload base64url
JSON, the mac an HMAC-SHA256 of it under the server's seal key (``--seal-key-file`` or
``SCP_MCP_SEAL_KEY``, shared by replicas; a random key per process otherwise). Opening checks the
mac, the caller and the expiry; the guard then compares the rest with the request and the target as they are
now, and spends the token's id in the store, where a second use is refused.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scp_mcp.tools.callers import caller_id

_PREFIX = "c1"


@dataclass(frozen=True)
class Sealed:
    """What a preview promised."""

    token_id: str
    request: str  # keyed digest of the request
    name: str  # the value to confirm with
    state: str | None  # the target's state when it was previewed
    expires_at: float  # wall-clock seconds


class TokenProblem(ValueError):
    """A confirm_token that cannot be honoured, with the reason."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Sealer:
    def __init__(self, key: bytes, caller: Callable[[], str] = caller_id) -> None:
        if len(key) < 16:
            raise ValueError("the seal key needs at least 16 bytes")
        self._key = key
        self._caller = caller  # who the current request is from

    @classmethod
    def random(cls, caller: Callable[[], str] = caller_id) -> Sealer:
        return cls(secrets.token_bytes(32), caller)

    def _mac(self, purpose: str, data: bytes) -> bytes:
        return hmac.new(self._key, purpose.encode() + b"\0" + data, hashlib.sha256).digest()

    def request_digest(self, tool: str, request: Any) -> str:
        """Identifies one exact request; keyed, so it says nothing about a body to whoever reads it."""
        canonical = json.dumps([tool, request], sort_keys=True, separators=(",", ":"), default=str)
        return _b64(self._mac("request", canonical.encode())[:18])

    def seal(self, request: str, name: str, state: str | None, expires_at: float) -> str:
        claims = {"r": request, "n": name, "s": state, "x": int(expires_at), "j": secrets.token_hex(12)}
        claims["c"] = self._caller()
        payload = json.dumps(claims, sort_keys=True, separators=(",", ":")).encode()
        return f"{_PREFIX}.{_b64(payload)}.{_b64(self._mac('token', payload))}"

    def open(self, token: str, now: float) -> Sealed:
        """The token's promise, if this server sealed it for this caller and it has not expired; else TokenProblem."""
        parts = token.split(".")
        if len(parts) != 3 or parts[0] != _PREFIX:
            raise TokenProblem("confirm_token is not a token this server issued")
        try:
            payload, mac = _unb64(parts[1]), _unb64(parts[2])
        except ValueError:
            raise TokenProblem("confirm_token is not a token this server issued") from None
        if not hmac.compare_digest(mac, self._mac("token", payload)):
            raise TokenProblem("confirm_token was not issued by this server (or was altered)")
        claims = json.loads(payload)
        if not hmac.compare_digest(str(claims.get("c")).encode(), self._caller().encode()):
            raise TokenProblem("confirm_token is from a preview shown to another caller")
        sealed = Sealed(claims["j"], claims["r"], claims["n"], claims["s"], float(claims["x"]))
        if now > sealed.expires_at:
            raise TokenProblem("the preview has expired")
        return sealed
