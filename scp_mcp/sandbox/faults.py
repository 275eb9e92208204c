"""Fault injection for reliability tests: latency, 429 + Retry-After (seconds or an HTTP date), 5xx,
dropped connections (before the handler: "drop"; after it acted: "lost"), bodies trickled one byte at a
time ("trickle", `seconds` between bytes), bad JSON, a 400 that quotes the request body back ("echo", as
some APIs do), and asynchronous work that fails.

Rules target "*" or an operation (name, tool name, "METHOD /path", the path, or the service) and fire
`times` times (None: forever). Random mode fires a fault kind on a seeded fraction of requests.
A "fail" rule only matches operations that change something (catalog risk other than read); the
operation is accepted (202) but its request ends FAILED and its resource ERROR. A "fail" rule is only
used up by a request that was accepted: one refused (400, 404, ...) gives it back.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass
from typing import Literal

from scp_mcp.catalog import Operation

FaultKind = Literal["latency", "429", "5xx", "drop", "lost", "trickle", "malformed", "echo", "fail"]
KINDS: tuple[FaultKind, ...] = ("latency", "429", "5xx", "drop", "lost", "trickle", "malformed", "echo", "fail")
FIRED_LIMIT = 1000  # fired faults remembered; a long-running sandbox must not grow without end


@dataclass
class Fault:
    target: str
    kind: FaultKind
    times: int | None = 1
    retry_after: float = 1.0
    seconds: float = 0.05  # latency
    status: int = 503  # 5xx
    retry_after_date: bool = False  # 429: Retry-After as an HTTP date rather than seconds

    def matches(self, op: Operation) -> bool:
        if self.kind == "fail" and op.risk == "read":
            return False
        names = {op.name, op.tool_name, f"{op.method} {op.path}", op.path, op.service, f"{op.service}:{op.name}"}
        return self.target == "*" or self.target in names


class Faults:
    def __init__(self) -> None:
        self.rules: list[Fault] = []
        self._random: random.Random | None = None
        self._rate = 0.0
        self._kinds: tuple[FaultKind, ...] = ()
        # (tool name, kind), the last FIRED_LIMIT, for tests and logs
        self.fired: deque[tuple[str, FaultKind]] = deque(maxlen=FIRED_LIMIT)

    def add(
        self,
        target: str = "*",
        *,
        kind: FaultKind,
        times: int | None = 1,
        retry_after: float = 1.0,
        seconds: float = 0.05,
        status: int = 503,
        retry_after_date: bool = False,
    ) -> Fault:
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(KINDS)}")
        if kind == "5xx" and not 500 <= status <= 599:
            raise ValueError("a 5xx fault needs a 5xx status")
        fault = Fault(target, kind, times, retry_after, seconds, status, retry_after_date)
        self.rules.append(fault)
        return fault

    def random(self, *, seed: int, rate: float, kinds: tuple[FaultKind, ...] = ("429", "5xx")) -> None:
        """Fire one of `kinds` on about `rate` of the requests, reproducibly for a given seed."""
        self._random, self._rate, self._kinds = random.Random(seed), rate, kinds

    def clear(self) -> None:
        self.rules.clear()
        self.fired.clear()
        self._random, self._rate, self._kinds = None, 0.0, ()

    def pick(self, op: Operation) -> Fault | None:
        for fault in self.rules:
            if fault.matches(op) and (fault.times is None or fault.times > 0):
                if fault.times is not None:
                    fault.times -= 1
                self.fired.append((op.tool_name, fault.kind))
                return fault
        return self._roll(op)

    def give_back(self, fault: Fault, op: Operation) -> None:
        """Undo `pick` for a fault whose request was refused before it could take effect."""
        if fault.times is not None and fault in self.rules:
            fault.times += 1
        if (op.tool_name, fault.kind) in self.fired:
            self.fired.reverse()
            self.fired.remove((op.tool_name, fault.kind))
            self.fired.reverse()

    def _roll(self, op: Operation) -> Fault | None:
        if self._random is None or self._random.random() >= self._rate:
            return None
        kind = self._random.choice(self._kinds)
        if kind == "fail" and op.risk == "read":
            return None
        self.fired.append((op.tool_name, kind))
        return Fault("*", kind, None)
