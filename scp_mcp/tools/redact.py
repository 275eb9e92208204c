"""Secret redaction for everything a tool shows: results, previews, the ledger and error text."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

MASK = "********"
_SECRET_KEY = re.compile(
    r"(pass(word|wd|phrase)?$|password|passwd|secret|token|credential|private_?key|access_?key|api_?key)",
    re.IGNORECASE,
)


def is_secret_key(key: str) -> bool:
    return bool(_SECRET_KEY.search(key.replace("-", "_")))


def redact(value: Any) -> Any:
    """A copy of a JSON-like value with every string under a secret-looking key masked."""
    if isinstance(value, Mapping):
        return {k: _masked(v) if isinstance(k, str) and is_secret_key(k) else redact(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    return value


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return MASK if value else value
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return redact(value)


def redact_text(text: str, secrets: tuple[str, ...]) -> str:
    """Mask known secret values (configured keys) wherever they appear in a message."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, MASK)
    return text
