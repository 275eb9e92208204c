"""The polling loop and state classification are pure: injected clock and sleep, bounded either way."""

from __future__ import annotations

import anyio
import pytest

from scp_mcp.catalog import load_catalog
from scp_mcp.tools.follow import Observation, poll, request_observation, resource_observation
from scp_mcp.tools.runtime import ToolRuntime, ToolSettings

STATES = load_catalog().services["eventstreams"].states

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("state", "done", "failed"),
    [
        ("RUNNING", True, False),
        ("STOPPED", True, False),
        ("CREATING", False, False),
        ("UPDATING", False, False),
        ("ERROR", True, True),
        ("FAILED", True, True),
        (None, False, False),
        ("UNKNOWN", False, False),
    ],
)
def test_resource_states(state: str | None, done: bool, failed: bool) -> None:
    seen = resource_observation(STATES, state)
    assert (seen.done, seen.failed) == (done, failed)


def test_request_states() -> None:
    assert request_observation(STATES, "COMPLETED").done
    assert request_observation(STATES, "FAILED").failed
    assert not request_observation(STATES, "IN_PROGRESS").done


async def test_poll_is_bounded_even_if_the_clock_never_moves() -> None:
    looks: list[int] = []
    slept: list[float] = []

    async def look() -> Observation:
        looks.append(1)
        return Observation("CREATING", done=False)

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    async def progress(done: float, total: float, message: str) -> None:
        pass

    with anyio.fail_after(2):
        seen, waited = await poll(look, timeout_s=10, interval_s=2, clock=lambda: 0.0, sleep=sleep, progress=progress)
    assert not seen.done
    assert waited == 0.0
    assert len(looks) == 7  # the first look plus ceil(10 / 2) + 1 polls
    assert slept == [2] * 6


async def test_poll_stops_when_done_and_reports_progress() -> None:
    now = [0.0]
    states = iter(["CREATING", "CREATING", "RUNNING"])
    reported: list[tuple[float, float]] = []

    async def look() -> Observation:
        return resource_observation(STATES, next(states))

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    async def progress(done: float, total: float, message: str) -> None:
        reported.append((done, total))

    seen, waited = await poll(look, timeout_s=60, interval_s=5, clock=lambda: now[0], sleep=sleep, progress=progress)
    assert seen.done
    assert waited == 10.0
    assert reported == [(0.0, 60), (5.0, 60), (10.0, 60)]


def test_ledger_times_are_wall_clock_utc() -> None:
    runtime = ToolRuntime(caller=None, settings=ToolSettings(backend="sandbox"), wall_clock=lambda: 1_795_000_000.0)  # type: ignore[arg-type]
    assert runtime.timestamp() == "2026-11-18T11:06:40+00:00"
