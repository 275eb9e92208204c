"""The input schemas tools/list advertises, made without a pydantic argument model per tool at start-up.

A tool's schema has two halves. The operation's own arguments (path, query and body fields) follow from
the catalog alone: they are compiled once into ``scp_mcp/catalog/tool_listing.json``
(``compiled_listing.py``, run by ``python -m scp_mcp.catalog.compile``; ``--check`` names it when
stale). The arguments a server's settings decide (``api_version``'s default, ``wait_seconds``'s bound,
``confirm`` and ``confirm_token``) are added at start-up, written out as the SDK would make them. The
compiled half is made as ``Tool.from_function`` makes a schema (the SDK's ``func_metadata``, then
``model_json_schema``, then ``portable_schema``), and a test holds every listed schema equal to the one
the complete tool makes; the argument model itself is built on the tool's first call (``builder.py``).
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Any, Literal

from mcp.server.mcpserver.utilities.func_metadata import func_metadata
from pydantic import Field

from scp_mcp.catalog import Operation
from scp_mcp.tools.arguments import API_VERSION_ARG, CONFIRM_ARG, CONFIRM_TOKEN_ARG, WAIT_ARG
from scp_mcp.tools.surface import ToolSpec

if TYPE_CHECKING:
    from scp_mcp.tools.runtime import ToolRuntime

COMPILED = Path(__file__).resolve().parent.parent / "catalog" / "tool_listing.json"
_KW = inspect.Parameter.KEYWORD_ONLY
# Brief on purpose: the server instructions say the whole confirmation round trip once.
CONFIRM_DOC = (
    "Leave out first (returns a preview); once the user agrees, pass confirm_with's confirm and confirm_token."
)


def keyword(name: str, annotation: Any, default: Any = inspect.Parameter.empty) -> inspect.Parameter:
    return inspect.Parameter(name, _KW, annotation=annotation, default=default)


def synthesize(fn: Callable[..., Any], name: str, params: list[inspect.Parameter], returns: Any) -> None:
    """Give ``fn`` the signature the SDK reads (``__signature__`` and ``__annotations__``)."""
    fn.__signature__ = inspect.Signature(params, return_annotation=returns)  # type: ignore[attr-defined]
    fn.__annotations__ = {p.name: p.annotation for p in params} | {"return": returns}
    fn.__name__ = fn.__qualname__ = name


def operation_params(spec: ToolSpec) -> list[inspect.Parameter]:
    """The operation's own arguments as keyword parameters, the required ones first (as the SDK lists them)."""
    params = [keyword(a.name, a.annotation, inspect.Parameter.empty if a.required else a.default) for a in spec.args]
    return sorted(params, key=lambda p: p.default is not inspect.Parameter.empty)


WAIT_DOC = "Seconds to wait for completion (0: don't)."


def runtime_params(op: Operation, runtime: ToolRuntime) -> list[inspect.Parameter]:
    """The arguments the server's settings add to the operation's own; every one has a default."""
    extra: list[inspect.Parameter] = []
    if len(op.versions) > 1:
        versions = tuple(op.versions)
        version_ann: Any = Literal[versions]  # the name and the default say it all
        extra.append(keyword(API_VERSION_ARG, version_ann, runtime.default_version(op)))
    if op.async_kind != "sync":
        wait_ann: Any = Annotated[int, Field(ge=0, le=runtime.settings.max_wait_s, description=WAIT_DOC)]
        extra.append(keyword(WAIT_ARG, wait_ann, 0))
    if op.guarded and runtime.settings.confirmation != "elicit":
        extra.append(keyword(CONFIRM_ARG, Annotated[str | None, Field(description=CONFIRM_DOC)], None))
        extra.append(keyword(CONFIRM_TOKEN_ARG, str | None, None))  # said in confirm's description
    return extra


def runtime_properties(op: Operation, runtime: ToolRuntime) -> dict[str, dict[str, Any]]:
    """``runtime_params`` as the portable schema lists them, written out: a pydantic model for each would
    cost more than the rest of the listing (tests/tools/test_deferred_tools.py holds them equal)."""
    props: dict[str, dict[str, Any]] = {}
    if len(op.versions) > 1:
        props[API_VERSION_ARG] = {"default": runtime.default_version(op), "enum": list(op.versions), "type": "string"}
    if op.async_kind != "sync":
        bound = runtime.settings.max_wait_s
        props[WAIT_ARG] = {"description": WAIT_DOC, "default": 0, "maximum": bound, "minimum": 0, "type": "integer"}
    if op.guarded and runtime.settings.confirmation != "elicit":
        props[CONFIRM_ARG] = {"anyOf": [{"type": "string", "description": CONFIRM_DOC}, {"type": "null"}]}
        props[CONFIRM_TOKEN_ARG] = {"anyOf": [{"type": "string"}, {"type": "null"}]}
    return props


def schema_of(name: str, params: Sequence[inspect.Parameter]) -> dict[str, Any]:
    """The portable input schema the SDK would make of a tool with these parameters."""

    from scp_mcp.tools.schemas import portable_schema  # the compiler's and a missing operation's: not listing's

    def fn(**kwargs: Any) -> None:  # only its signature is read
        raise NotImplementedError

    synthesize(fn, name, list(params), None)
    model = func_metadata(fn, structured_output=False).arg_model
    return portable_schema(model.model_json_schema(by_alias=True))


def operation_schema(spec: ToolSpec) -> dict[str, Any]:
    """The schema of the operation's own arguments (what the compiled file holds for it)."""
    return schema_of(spec.name, operation_params(spec))


@cache
def load_compiled() -> Mapping[str, Any]:
    """The compiled listing, read once per process (servers built in one process share it, read only).
    ``tools``: each operation's own arguments, by tool name; ``operator_tools``: those tools' listings."""
    compiled: dict[str, Any] = json.loads(COMPILED.read_text(encoding="utf-8"))
    return MappingProxyType(compiled)


def advertised_schema(spec: ToolSpec, runtime: ToolRuntime, compiled: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """The tool's input schema as tools/list carries it: its compiled arguments, then the settings' own."""
    own = compiled.get(spec.name)
    schema = own if own is not None else operation_schema(spec)  # an operation the compiled file lacks
    extras = runtime_properties(spec.op, runtime)
    return {**schema, "properties": {**schema["properties"], **extras}} if extras else schema
