"""Simulator fidelity where the reference is specific: an id in the path that names nothing gets the
status the catalog documents for that operation, on every operation that takes one."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from scp_mcp.catalog import Operation, load_catalog
from scp_mcp.sandbox import Sandbox, sample_body
from tests.sandbox.test_sandbox_contract import hints

pytestmark = pytest.mark.anyio

UNKNOWN = "0" * 32
# A name check's path holds a name, not an id: an unknown name is the answer "not taken", not an error.
WITH_PATH_IDS = [
    op
    for op in load_catalog().operations
    if op.missing_id_status is not None and all(p.name.endswith("_id") for p in op.current.params_in("path"))
]


@pytest.mark.parametrize("op", WITH_PATH_IDS, ids=lambda op: op.tool_name)
async def test_an_unknown_id_in_the_path_gets_the_documented_status(scp: Any, sandbox: Sandbox, op: Operation) -> None:
    version = op.current
    names = [p.name for p in version.params_in("path")]
    path = op.path.format(**dict.fromkeys(names, UNKNOWN))
    query = {p.name: 20 if p.name == "size" else 0 for p in version.params_in("query") if p.required}
    body = sample_body(op.service, version.body_model, hints=hints(sandbox, op)) if version.body_model else None
    with anyio.fail_after(5):
        response = await scp.call(op.service, op.method, path, query=query, body=body, version=version.api_version)
    assert response.status_code == op.missing_id_status, response.text
    assert response.json()["errors"][0]["code"] == "ResourceNotFound", response.text
