"""The retry policy as a table: what is retried, how long to wait, when to stop."""

from __future__ import annotations

import random

import httpx
import pytest

from scp_mcp.catalog import load_catalog
from scp_mcp.client.retry import (
    RetryPolicy,
    backoff,
    decide,
    exc_kind,
    may_have_reached,
    parse_retry_after,
)

POLICY = RetryPolicy(max_attempts=4, max_total_s=60.0, base_s=0.5, cap_s=8.0)
IDEM, NON_IDEM = True, False
RETRY, STOP = "retry", "stop"


@pytest.mark.parametrize(
    ("idempotent", "status", "kind", "expected"),
    [
        # statuses
        (IDEM, 429, None, RETRY),
        (NON_IDEM, 429, None, RETRY),  # refused before any work: safe for creates
        (IDEM, 502, None, RETRY),
        (IDEM, 503, None, RETRY),
        (IDEM, 504, None, RETRY),
        (NON_IDEM, 502, None, STOP),  # may have reached SCP: never sent twice
        (NON_IDEM, 503, None, STOP),
        (NON_IDEM, 504, None, STOP),
        (IDEM, 500, None, RETRY),  # a read is safe to send again
        (NON_IDEM, 500, None, STOP),  # a change may have partly happened
        (IDEM, 400, None, STOP),
        (IDEM, 401, None, STOP),
        (IDEM, 403, None, STOP),
        (IDEM, 404, None, STOP),
        (IDEM, 409, None, STOP),
        # transport failures
        (IDEM, None, "connect", RETRY),
        (NON_IDEM, None, "connect", RETRY),  # never left: safe
        (NON_IDEM, None, "connect_timeout", RETRY),
        (IDEM, None, "timeout", RETRY),
        (IDEM, None, "transport", RETRY),
        (NON_IDEM, None, "timeout", STOP),
        (NON_IDEM, None, "transport", STOP),
    ],
)
def test_what_is_retried(idempotent: bool, status: int | None, kind: str | None, expected: str) -> None:
    delay = decide(1, 0.0, idempotent, status, kind, None, random.Random(0), POLICY)  # type: ignore[arg-type]
    assert (RETRY if delay is not None else STOP) == expected


@pytest.mark.parametrize(
    ("attempt", "low", "high"),
    [(1, 0.25, 0.5), (2, 0.5, 1.0), (3, 1.0, 2.0), (4, 2.0, 4.0), (5, 4.0, 8.0), (6, 4.0, 8.0), (20, 4.0, 8.0)],
)
def test_backoff_grows_exponentially_with_jitter_up_to_a_cap(attempt: int, low: float, high: float) -> None:
    rng = random.Random(attempt)
    delays = [backoff(attempt, rng, POLICY) for _ in range(200)]
    assert all(low <= d <= high for d in delays)
    assert len(set(delays)) > 100  # jittered, not constant


@pytest.mark.parametrize(
    ("attempt", "elapsed", "retry_after", "expected"),
    [
        (1, 0.0, 7.0, 7.0),  # Retry-After honoured exactly
        (3, 0.0, 0.0, 0.0),
        (1, 50.0, 10.0, 10.0),  # exactly fits the 60 s budget
        (1, 50.5, 10.0, None),  # would exceed the total time: stop
        (4, 0.0, 1.0, None),  # attempts exhausted
        (1, 0.0, 120.0, None),  # asked to wait longer than the budget
    ],
)
def test_retry_after_and_the_bounds(attempt: int, elapsed: float, retry_after: float, expected: float | None) -> None:
    assert decide(attempt, elapsed, IDEM, 429, None, retry_after, random.Random(0), POLICY) == expected


def test_attempts_are_bounded_by_the_policy() -> None:
    rng = random.Random(0)
    allowed = [decide(n, 0.0, IDEM, 503, None, None, rng, POLICY) is not None for n in range(1, 7)]
    assert allowed == [True, True, True, False, False, False]
    assert decide(1, 0.0, IDEM, 503, None, None, rng, RetryPolicy(max_attempts=1)) is None


def test_backoff_that_would_exceed_the_total_time_stops() -> None:
    assert decide(1, 59.9, IDEM, 503, None, None, random.Random(0), POLICY) is None


@pytest.mark.parametrize(
    ("tool", "expected"),
    [
        ("eventstreams_show_cluster", True),
        ("dataflow_list_data_flows", True),
        ("quickquery_check_name", True),  # POST checks and validations are reads
        ("eventstreams_set_parameter_values", False),  # SCP's PUTs check state (old values) and start work
        ("eventstreams_terminate_cluster", False),  # a second Terminate finds the cluster TERMINATING
        ("vertica_create_cluster", False),
        ("searchengine_restart_cluster", False),
    ],
)
def test_the_catalog_says_which_operations_may_be_sent_again(tool: str, expected: bool) -> None:
    assert load_catalog().by_tool_name(tool).idempotent is expected


def test_only_reads_may_be_sent_again() -> None:
    ops = load_catalog().operations
    assert {op.tool_name for op in ops if op.idempotent} == {op.tool_name for op in ops if op.risk == "read"}


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (httpx.ConnectError("refused"), "connect"),
        (httpx.ConnectTimeout("slow"), "connect_timeout"),
        (httpx.PoolTimeout("pool"), "connect_timeout"),
        (httpx.ReadTimeout("read"), "timeout"),
        (httpx.WriteTimeout("write"), "timeout"),
        (httpx.RemoteProtocolError("dropped"), "transport"),
        (httpx.ReadError("reset"), "transport"),
    ],
)
def test_transport_failures_are_classified_by_whether_the_request_may_have_left(
    exc: httpx.TransportError, kind: str
) -> None:
    assert exc_kind(exc) == kind
    assert may_have_reached(None, exc_kind(exc)) is (kind in ("timeout", "transport"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("5", 5.0),
        (" 12 ", 12.0),
        ("soon", None),
        ("-3", None),
        ("Wed, 18 Nov 2026 11:06:50 GMT", 10.0),  # now is 11:06:40
        ("Wed, 18 Nov 2026 11:00:00 GMT", 0.0),  # in the past
    ],
)
def test_retry_after_is_parsed_as_seconds_or_http_date(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, 1_795_000_000.0) == expected
