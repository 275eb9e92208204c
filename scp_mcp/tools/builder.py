"""The one generic builder: catalog operation -> MCP tool.

Each tool is a generated ``**kwargs`` function with a synthesized signature (the SDK reads
``__signature__`` and ``__annotations__``), so the SDK validates arguments against the same schema it
advertises, injects the Context, and runs the confirmation resolver (``Resolve``/``Elicit``) on both
protocol eras. The return annotation ``Annotated[CallToolResult, <envelope model>]`` publishes the
output schema while the pipeline writes the summary text itself.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import Annotated, Any, Literal

from mcp.server.elicitation import ElicitationResult
from mcp.server.mcpserver import Context, Elicit, Resolve
from mcp.server.mcpserver.tools import Tool
from mcp.types import CallToolResult
from pydantic import Field

from scp_mcp.catalog import Operation
from scp_mcp.client.errors import ScpError
from scp_mcp.tools.arguments import API_VERSION_ARG, CONFIRM_ARG, CONFIRM_TOKEN_ARG, WAIT_ARG
from scp_mcp.tools.errors import ArgumentProblem
from scp_mcp.tools.guard import (
    Confirmation,
    NoDialog,
    UseArgument,
    elicitation_message,
    look_before,
    request_digest,
)
from scp_mcp.tools.pipeline import remember_elicited, run_tool
from scp_mcp.tools.precheck import Refusal
from scp_mcp.tools.prepare import prepare
from scp_mcp.tools.runtime import ToolRuntime
from scp_mcp.tools.schemas import portable_schema
from scp_mcp.tools.surface import ToolSpec, build_spec

CTX = "ctx"
OUTCOME = "scp_confirmation"
_KW = inspect.Parameter.KEYWORD_ONLY
# Brief on purpose: the server instructions say the whole confirmation round trip once.
CONFIRM_DOC = (
    "Leave out first (returns a preview); once the user agrees, pass confirm_with's confirm and confirm_token."
)


def _param(name: str, annotation: Any, default: Any = inspect.Parameter.empty) -> inspect.Parameter:
    return inspect.Parameter(name, _KW, annotation=annotation, default=default)


def _synthesize(fn: Callable[..., Any], name: str, params: list[inspect.Parameter], returns: Any) -> None:
    fn.__signature__ = inspect.Signature(params, return_annotation=returns)  # type: ignore[attr-defined]
    fn.__annotations__ = {p.name: p.annotation for p in params} | {"return": returns}
    fn.__name__ = fn.__qualname__ = name


def _extra_params(spec: ToolSpec, runtime: ToolRuntime) -> list[inspect.Parameter]:
    op = spec.op
    extra: list[inspect.Parameter] = []
    if len(op.versions) > 1:
        versions = tuple(op.versions)
        version_ann: Any = Literal[versions]  # the name and the default say it all
        extra.append(_param(API_VERSION_ARG, version_ann, runtime.default_version(op)))
    if op.async_kind != "sync":
        desc = "Seconds to wait for completion (0: don't)."
        wait_ann: Any = Annotated[int, Field(ge=0, le=runtime.settings.max_wait_s, description=desc)]
        extra.append(_param(WAIT_ARG, wait_ann, 0))
    if op.guarded and runtime.settings.confirmation != "elicit":
        extra.append(_param(CONFIRM_ARG, Annotated[str | None, Field(description=CONFIRM_DOC)], None))
        extra.append(_param(CONFIRM_TOKEN_ARG, str | None, None))  # said in confirm's description
    return extra


def _resolver(spec: ToolSpec, runtime: ToolRuntime, arg_names: list[str]) -> Callable[..., Any]:
    async def resolver(**kwargs: Any) -> Any:
        ctx: Context[Any, Any] = kwargs.pop(CTX)
        caps = ctx.client_capabilities
        elicitation = caps.elicitation if caps is not None else None
        can_elicit = elicitation is not None and (elicitation.form is not None or elicitation.url is None)
        mode = runtime.settings.confirmation
        if mode == "argument" or (mode == "either" and not can_elicit):
            return UseArgument()
        if not can_elicit:
            return NoDialog()
        try:
            call = prepare(spec, runtime, kwargs)
        except ArgumentProblem:
            return UseArgument()  # the pipeline reports the problem
        try:
            target, preview = await look_before(spec, call, runtime)
        except (ScpError, Refusal):
            return UseArgument()  # no dialog for a target that cannot be read or be changed: the pipeline says why
        digest = request_digest(spec, call, runtime)
        remember_elicited(runtime, ctx, digest, target)  # the tool body executes only this request
        return Elicit(elicitation_message(spec, preview, digest), Confirmation)

    params = [_param(CTX, Context)] + [_param(n, Any) for n in arg_names]
    _synthesize(resolver, f"confirm_{spec.name}", params, Any)
    return resolver


def make_function(spec: ToolSpec, runtime: ToolRuntime) -> Callable[..., Any]:
    async def tool(**kwargs: Any) -> CallToolResult:
        ctx: Context[Any, Any] = kwargs.pop(CTX)
        outcome = kwargs.pop(OUTCOME, None)
        return await run_tool(spec, runtime, ctx, kwargs, outcome)

    params = [_param(CTX, Context)]
    params += [
        _param(a.name, a.annotation, a.default if not a.required else inspect.Parameter.empty) for a in spec.args
    ]
    params += _extra_params(spec, runtime)
    params.sort(key=lambda p: p.default is not inspect.Parameter.empty)
    if spec.op.guarded and runtime.settings.confirmation != "argument":
        resolver = _resolver(spec, runtime, [p.name for p in params if p.name != CTX])
        ann = Annotated[ElicitationResult[Confirmation], Resolve(resolver)]
        params.append(_param(OUTCOME, ann))
    _synthesize(tool, spec.name, params, CallToolResult)
    return tool


def make_tool(spec: ToolSpec, runtime: ToolRuntime) -> Tool:
    tool = Tool.from_function(
        make_function(spec, runtime),
        name=spec.name,
        title=spec.title,
        description=spec.description,
        annotations=spec.annotations,
        meta=spec.meta,
    )
    tool.parameters = portable_schema(tool.parameters)
    # Advertised, assembled once per response model (see output.py); results are checked in results.py.
    tool.fn_metadata.output_schema = spec.output_schema
    return tool


def build_tools(operations: Iterable[Operation], runtime: ToolRuntime) -> list[Tool]:
    """Tools for the operations the runtime's policy exposes."""
    return [make_tool(build_spec(op), runtime) for op in operations if runtime.settings.policy.allows(op)]
