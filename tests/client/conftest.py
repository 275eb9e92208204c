"""Fixtures for the client tests: catalog lookups, a fake clock/sleep, clients over MockTransport.

Everything is a fixture (no helper module) so that test directories of other parts cannot clash.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from scp_mcp.catalog import Operation, load_catalog
from scp_mcp.client import ClientSettings, ScpClient

ACCESS_KEY = "TESTACCESSKEY"
SECRET_KEY = "s3cr3t-KEY-that-must-never-leak"
TODAY = date(2026, 11, 27)
START = 1_795_000_000.0  # epoch seconds: Wed, 18 Nov 2026 11:06:40 GMT

Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture
def op() -> Callable[[str, str], Operation]:
    def lookup(service: str, name: str) -> Operation:
        return load_catalog().services[service].operation(name)

    return lookup


@dataclass
class FakeTime:
    """Injected clock and sleep: sleeping advances the clock; nothing really waits."""

    now: float = START
    sleeps: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def settings() -> ClientSettings:
    return ClientSettings(access_key=ACCESS_KEY, secret_key=SecretStr(SECRET_KEY))


@dataclass
class Recorder:
    """A MockTransport handler that records requests and answers from a script (last one repeats)."""

    answers: list[httpx.Response | Exception | Handler]
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers[min(len(self.requests), len(self.answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)
        return answer(request)


@pytest.fixture
def make_client(settings: ClientSettings, fake_time: FakeTime) -> Callable[..., tuple[ScpClient, Recorder]]:
    def build(
        *answers: Any, settings_: ClientSettings | None = None, today: date = TODAY
    ) -> tuple[ScpClient, Recorder]:
        recorder = Recorder(list(answers) or [httpx.Response(200, json={})])
        client = ScpClient(
            settings_ or settings,
            transport=httpx.MockTransport(recorder),
            clock=fake_time,
            sleep=fake_time.sleep,
            today=lambda: today,
        )
        return client, recorder

    return build


@pytest.fixture
def verify_wire_signature() -> Callable[[httpx.Request], bool]:
    """Check a request's signature the way a server would: from the bytes on the wire.

    Written from the recipe, independently of scp_mcp.client.signing.
    """

    def verify(request: httpx.Request) -> bool:
        url = f"{request.url.scheme}://{request.headers['host']}{request.url.raw_path.decode('ascii')}"
        message = request.method + url + request.headers["Scp-Timestamp"] + request.headers["Scp-Accesskey"] + "Openapi"
        digest = hmac.new(SECRET_KEY.encode(), message.encode(), hashlib.sha256).digest()
        return hmac.compare_digest(base64.b64encode(digest).decode(), request.headers["Scp-Signature"])

    return verify


@pytest.fixture
def secret_key() -> str:
    return SECRET_KEY
