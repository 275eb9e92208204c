"""Deterministic identifiers: the same seed gives the same fleet and the same new ids."""

from __future__ import annotations

import hashlib


def digest(*parts: object) -> str:
    return hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()


def hex_id(*parts: object) -> str:
    """32 hex digits, the DBaaS style (cluster, instance group, block storage ids)."""
    return digest(*parts)[:32]


def uuid_id(*parts: object) -> str:
    """8-4-4-4-12, the Kubernetes and Data Flow style."""
    h = digest(*parts)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def request_id(*parts: object) -> str:
    return "req-" + uuid_id("request", *parts)
