"""Argument building: body fields flattened next to parameters, collisions renamed and mapped back,
and the request assembled from validated arguments (nothing is sent here)."""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

from pydantic_core import PydanticUndefined

from scp_mcp.catalog import Parameter, load_catalog
from scp_mcp.tools.arguments import operation_args
from scp_mcp.tools.prepare import prepare
from scp_mcp.tools.runtime import ToolRuntime, ToolSettings
from scp_mcp.tools.surface import build_spec


class _NoCaller:
    async def call(self, *args: object, **kwargs: object) -> object:
        raise AssertionError("nothing may be sent while preparing")


def _colliding_operation():  # type: ignore[no-untyped-def]
    """Set Server Type, with a made-up path parameter named like its body field."""
    op = load_catalog().by_tool_name("eventstreams_set_server_type")
    ver = op.current
    extra = Parameter("server_type_name", "path", True, "made-up path parameter", MappingProxyType({"type": "string"}))
    version = replace(ver, parameters=(*ver.parameters, extra))
    return replace(op, path=op.path + "/{server_type_name}", versions=MappingProxyType({ver.version: version}))


def test_a_body_field_that_collides_with_a_parameter_is_renamed() -> None:
    args = {a.name: a for a in operation_args(_colliding_operation())}
    assert args["server_type_name"].location == "path"
    renamed = args["body_server_type_name"]
    assert (renamed.location, renamed.wire_name, renamed.required) == ("body", "server_type_name", True)
    assert renamed.default is PydanticUndefined


def test_the_request_maps_renamed_arguments_back() -> None:
    spec = build_spec(_colliding_operation())
    runtime = ToolRuntime(caller=_NoCaller(), settings=ToolSettings(backend="sandbox"))  # type: ignore[arg-type]
    call = prepare(
        spec,
        runtime,
        {"instance_group_id": "ig-1", "server_type_name": "in-path", "body_server_type_name": "db1v4m8"},
    )
    assert call.path == {"instance_group_id": "ig-1", "server_type_name": "in-path"}
    assert call.body == {"server_type_name": "db1v4m8"}
    assert call.filled_path(spec.op.path).endswith("/ig-1/resize/in-path")


def test_optional_body_fields_left_out_are_not_sent() -> None:
    spec = build_spec(load_catalog().by_tool_name("eventstreams_set_block_storage_size"))
    runtime = ToolRuntime(caller=_NoCaller(), settings=ToolSettings(backend="sandbox"))  # type: ignore[arg-type]
    call = prepare(spec, runtime, {"block_storage_group_id": "bs-1", "size_gb": 64})
    assert call.body == {"size_gb": 64}
    assert call.query == {}


def test_the_default_version_follows_the_settings() -> None:
    spec = build_spec(load_catalog().by_tool_name("dataflow_list_data_flows"))
    runtime = ToolRuntime(
        caller=_NoCaller(), settings=ToolSettings(backend="sandbox", default_versions={"data-flow": "1.0"})
    )  # type: ignore[arg-type]
    assert prepare(spec, runtime, {}).version == "1.0"
    assert prepare(spec, runtime, {"api_version": "1.1"}).version == "1.1"
