"""The secret key never appears in logs, exceptions, reprs or results."""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path

import anyio
import httpx
import pytest
from pydantic import SecretStr

from scp_mcp.client import ClientSettings, ScpAuth, ScpError

pytestmark = pytest.mark.anyio

ANSWERS = [
    httpx.Response(200, json={"ok": True}),
    httpx.Response(400, json={"errors": [{"code": "X", "detail": "bad", "global_request_id": "r"}]}),
    httpx.Response(401, text="<html>denied</html>"),
    httpx.Response(404, json={"timestamp": "t", "path": "/v1", "status": 404, "error": "Not Found"}),
    httpx.Response(429, headers={"Retry-After": "1"}),
    httpx.Response(503),
    httpx.ConnectError("refused"),
    httpx.ReadTimeout("slow"),
]


def _texts(obj: object) -> list[str]:
    """Every rendering of an object and, for exceptions, of what they carry and chain to."""
    out = [str(obj), repr(obj)]
    if isinstance(obj, BaseException):
        out += [repr(a) for a in obj.args] + [repr(v) for v in vars(obj).values()]
        for linked in (obj.__cause__, obj.__context__):
            if linked is not None:
                out += [str(linked), repr(linked)]
    return out


def test_settings_and_auth_never_show_the_secret(secret_key: str, tmp_path: Path) -> None:
    settings = ClientSettings.from_env({"SCP_ACCESS_KEY": "ak", "SCP_SECRET_KEY": secret_key}, home=tmp_path)
    rendered = [str(settings), repr(settings), repr(dataclasses.asdict(settings))]
    rendered.append(repr(ScpAuth("ak", secret_key, lambda: 0)))
    rendered.append(repr(ScpAuth("ak", SecretStr(secret_key), lambda: 0)))
    rendered.append(repr(ClientSettings(access_key="ak", secret_key=secret_key)))  # a plain str is wrapped
    assert all(secret_key not in text for text in rendered)


@pytest.mark.parametrize("answer", ANSWERS, ids=lambda a: type(a).__name__ + str(getattr(a, "status_code", "")))
async def test_no_result_error_or_log_line_contains_the_secret(
    make_client, op, secret_key: str, caplog: pytest.LogCaptureFixture, answer
) -> None:
    caplog.set_level(logging.DEBUG)
    client, rec = make_client(answer)
    rendered = [repr(client)]
    with anyio.fail_after(5):
        async with client:
            try:
                result = await client.call(op("vertica", "Show Cluster"), path={"cluster_id": "c"})
            except ScpError as exc:
                rendered += _texts(exc)
            else:
                rendered += [repr(result), json.dumps(result.data), repr(dict(result.headers)), result.url]
    rendered.append(caplog.text)
    rendered += [str(r.url) + repr(dict(r.headers)) for r in rec.requests]
    assert rec.requests, "the scenario must have sent something"
    assert all(secret_key not in text for text in rendered)
