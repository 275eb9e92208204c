"""What the sandbox received: one record per request, signature left out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

RECORDED_HEADERS = (
    "host",
    "content-type",
    "accept",
    "accept-language",
    "scp-accesskey",
    "scp-timestamp",
    "scp-clienttype",
    "scp-api-version",
)


@dataclass(frozen=True)
class ReceivedRequest:
    """One request as the sandbox saw it (the signature itself is not kept)."""

    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: Any
    operation: str | None = None  # tool name, once routed
