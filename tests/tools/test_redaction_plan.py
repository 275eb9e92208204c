"""Typed answers are masked by what their model can hold: a model whose fields, at any depth, can carry no
secret-looking key is shown as its dump, unwalked; one with a free-form part (``dict``, ``Any``) or a
secret-looking field is walked and masked, through the MCP result too."""

from __future__ import annotations

import json
from typing import Any

import anyio
import pytest
from mcp import Client, types
from pydantic import BaseModel

from scp_mcp.catalog import load_catalog
from scp_mcp.tools.redact import MASK, is_secret_key, may_hold_secrets, redact_model
from tests.support.stack import Stack

pytestmark = pytest.mark.anyio


def _spec_may_hold(schema: dict[str, Any], schemas: dict[str, Any], seen: frozenset[str]) -> bool:
    """The same question asked of the compiled spec the model was generated from."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        return name not in seen and _spec_may_hold(schemas[name], schemas, seen | {name})
    arms = [*schema.get("anyOf", []), *schema.get("oneOf", []), *schema.get("allOf", [])]
    if "items" in schema:
        arms.append(schema["items"])
    if any(_spec_may_hold(arm, schemas, seen) for arm in arms):
        return True
    if schema.get("type") == "object" or "properties" in schema:
        properties = schema.get("properties")
        if not properties or schema.get("additionalProperties") not in (None, False):
            return True
        return any(is_secret_key(k) or _spec_may_hold(v, schemas, seen) for k, v in properties.items())
    return "type" not in schema and not arms and not {"enum", "const"} & set(schema)


RESPONSE_MODELS = sorted(
    {
        (service.host_prefix, response.model)
        for service in load_catalog().services.values()
        for op in service.operations
        for version in op.versions.values()
        for response in version.responses
        if response.model
    }
)


def test_every_response_model_is_judged_as_its_spec_describes_it() -> None:
    services = load_catalog().services
    judged = {(host, name): may_hold_secrets(services[host].model(name)) for host, name in RESPONSE_MODELS}
    described = {
        (host, name): _spec_may_hold(services[host].schemas[name], services[host].schemas, frozenset({name}))
        for host, name in RESPONSE_MODELS
    }
    assert judged == described
    assert not judged[("eventstreams", "ClusterPageResponse")]  # the cluster pages need no walk
    assert judged[("data-flow", "DataFlowDetailResponse")]  # its account is free-form


class _User(BaseModel):
    name: str
    database_user_password: str | None = None


class _Cluster(BaseModel):
    name: str
    users: list[_User]
    labels: dict[str, Any] | None = None


class _Plain(BaseModel):
    name: str
    count: int


def test_a_secret_field_at_any_depth_and_a_secret_key_in_a_free_form_part_are_masked() -> None:
    cluster = _Cluster(
        name="orders", users=[_User(name="admin", database_user_password="s3cret!")], labels={"api_token": "t0k3n"}
    )
    assert redact_model(cluster) == {
        "name": "orders",
        "users": [{"name": "admin", "database_user_password": MASK}],
        "labels": {"api_token": MASK},
    }


def test_a_model_that_can_hold_no_secret_is_its_dump() -> None:
    assert not may_hold_secrets(_Plain)
    assert redact_model(_Plain(name="orders", count=3)) == {"name": "orders", "count": 3}


async def test_a_secret_in_a_free_form_part_of_a_typed_answer_never_reaches_the_assistant(
    stack: Stack, client: Client
) -> None:
    flow = stack.sandbox.find("data_flow", "orders-nifi", "data-flow")
    assert flow is not None
    flow["account"] = {"account_id": "nifi", "account_password": "Pw-Marker-7731"}
    with anyio.fail_after(10):
        result = await client.call_tool("dataflow_show_data_flow", {"data_flow_id": flow["data_flow_id"]})
    assert not result.is_error
    content = result.structured_content
    assert content is not None
    assert content["data"]["account"] == {"account_id": "nifi", "account_password": MASK}
    texts = [block.text for block in result.content if isinstance(block, types.TextContent)]
    assert "Pw-Marker-7731" not in json.dumps(content) + "\n".join(texts)
