"""Simulated time: lifecycles read it, tests move it, the interactive sandbox speeds it up."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

# 2026-11-27T00:00:00Z: where a manual clock starts unless told otherwise.
DEFAULT_EPOCH = datetime(2026, 11, 27, tzinfo=UTC).timestamp()


class SandboxClock:
    """Epoch seconds that run at `speed` times wall time, or only move on `advance()` when manual."""

    def __init__(
        self,
        *,
        start: float | None = None,
        speed: float = 1.0,
        manual: bool = False,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = speed
        self.is_manual = manual
        self._monotonic = monotonic
        self._t0 = monotonic()
        self._start = start if start is not None else (DEFAULT_EPOCH if manual else time.time())
        self._offset = 0.0

    @classmethod
    def manual(cls, start: float = DEFAULT_EPOCH) -> SandboxClock:
        """A clock for tests: it never moves by itself."""
        return cls(start=start, manual=True)

    def now(self) -> float:
        running = 0.0 if self.is_manual else (self._monotonic() - self._t0) * self.speed
        return self._start + self._offset + running

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("time only moves forward")
        self._offset += seconds


def iso(epoch: float) -> str:
    """SCP style date-time: UTC with milliseconds and a Z."""
    stamp = datetime.fromtimestamp(epoch, tz=UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z"
