"""Retry policy: pure functions, no I/O, no clock, no sleep.

What is retried: 429 (the request was refused before any work), 500/502/503/504 and failures to
connect (a 500 only for reads: SCP may have acted on a change before failing). A request that is not
safe to repeat (``Operation.idempotent`` is false: anything but a read, PUTs and DELETEs included,
see scp_mcp/catalog/classify.py) is only retried when SCP cannot have acted on it: 429, or a
connection that was never established. When its answer was lost after it may have reached SCP (a
read timeout, a dropped connection, a gateway 502/503/504), it is not sent again: the caller reports
the outcome as unknown.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Literal

import httpx

# connect, connect_timeout: the request never left; timeout, transport: it may have reached SCP.
ExcKind = Literal["connect", "connect_timeout", "timeout", "transport"]
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAY_HAVE_REACHED_STATUSES = frozenset({502, 503, 504})
# A 500 is an answer: the change failed (or partly happened), so a write is not retried and not "unknown".
READ_ONLY_RETRY_STATUSES = frozenset({500})


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4
    max_total_s: float = 60.0
    base_s: float = 0.5
    cap_s: float = 8.0


DEFAULT_POLICY = RetryPolicy()


def decide(
    attempt: int,
    elapsed_s: float,
    method_idempotent: bool,
    status: int | None,
    exc_kind: ExcKind | None,
    retry_after: float | None,
    rng: random.Random,
    policy: RetryPolicy = DEFAULT_POLICY,
) -> float | None:
    """Seconds to wait before attempt ``attempt + 1``, or None to stop.

    ``attempt`` counts the attempts made so far (1 after the first); ``elapsed_s`` is the time
    since the first attempt started.
    """
    if attempt >= policy.max_attempts or not _retryable(method_idempotent, status, exc_kind):
        return None
    if retry_after is not None and status in RETRY_STATUSES:
        delay = max(0.0, retry_after)
    else:
        delay = backoff(attempt, rng, policy)
    return None if elapsed_s + delay > policy.max_total_s else delay


def backoff(attempt: int, rng: random.Random, policy: RetryPolicy = DEFAULT_POLICY) -> float:
    """Exponential backoff with jitter: uniform in [d/2, d], d = min(cap, base * 2^(attempt-1))."""
    ceiling = min(policy.cap_s, policy.base_s * 2.0 ** max(0, attempt - 1))
    return ceiling / 2 + rng.random() * ceiling / 2


def _retryable(idempotent: bool, status: int | None, exc_kind: ExcKind | None) -> bool:
    if exc_kind in ("connect", "connect_timeout") or status == 429:
        return True
    if exc_kind is not None or status in MAY_HAVE_REACHED_STATUSES | READ_ONLY_RETRY_STATUSES:
        return idempotent
    return False


def may_have_reached(status: int | None, exc_kind: ExcKind | None) -> bool:
    """Whether a failed attempt may have been acted on by SCP without us seeing the answer."""
    return exc_kind in ("timeout", "transport") or status in MAY_HAVE_REACHED_STATUSES


def exc_kind(exc: httpx.RequestError) -> ExcKind:
    if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
        return "connect_timeout"
    if isinstance(exc, httpx.ConnectError):
        return "connect"
    if isinstance(exc, httpx.TimeoutException):
        return "timeout"
    return "transport"


def parse_retry_after(value: str | None, now_s: float) -> float | None:
    """Retry-After in seconds (delta-seconds, or an HTTP date relative to ``now_s``); None if absent/bad."""
    if not value or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when: datetime = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now_s)
