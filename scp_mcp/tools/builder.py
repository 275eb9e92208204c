"""The one generic builder: catalog operation -> MCP tool.

Each tool is a generated ``**kwargs`` function with a synthesized signature (the SDK reads
``__signature__`` and ``__annotations__``), so the SDK validates arguments against the same schema it
advertises, injects the Context, and runs the confirmation resolver (``Resolve``/``Elicit``) on both
protocol eras. The pipeline writes the result itself (``CallToolResult``); the output schema is the
envelope's, assembled from the specs. The listing does not wait for any of it: a ``DeferredTool`` is
listed from its compiled input schema (``input_schemas.py``, the same schema) and builds the rest on its
first call.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Annotated, Any

from mcp.server.elicitation import ElicitationResult
from mcp.server.mcpserver import Context, Elicit, Resolve
from mcp.server.mcpserver.tools import Tool
from mcp.server.mcpserver.utilities.func_metadata import FuncMetadata
from mcp.types import CallToolResult
from pydantic import PrivateAttr

from scp_mcp.catalog import Operation
from scp_mcp.client.errors import ScpError
from scp_mcp.tools.errors import ArgumentProblem
from scp_mcp.tools.input_schemas import (
    advertised_schema,
    keyword,
    load_compiled,
    operation_params,
    runtime_params,
    synthesize,
)
from scp_mcp.tools.runtime import ToolRuntime
from scp_mcp.tools.surface import ToolSpec, build_spec

CTX = "ctx"
OUTCOME = "scp_confirmation"


def _resolver(spec: ToolSpec, runtime: ToolRuntime, arg_names: list[str]) -> Callable[..., Any]:
    # The call path (guard, pipeline and what they use) is imported by the calls: listing needs none of it.
    from scp_mcp.tools.guard import (
        Confirmation,
        NoDialog,
        UseArgument,
        elicitation_message,
        look_before,
        request_digest,
    )
    from scp_mcp.tools.pipeline import remember_elicited
    from scp_mcp.tools.precheck import Refusal
    from scp_mcp.tools.prepare import prepare

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

    params = [keyword(CTX, Context)] + [keyword(n, Any) for n in arg_names]
    synthesize(resolver, f"confirm_{spec.name}", params, Any)
    return resolver


def make_function(spec: ToolSpec, runtime: ToolRuntime) -> Callable[..., Any]:
    """The tool's function, with the signature the SDK builds the argument model from."""

    async def tool(**kwargs: Any) -> CallToolResult:
        from scp_mcp.tools.pipeline import run_tool  # loaded by the first call (a lookup after it)

        ctx: Context[Any, Any] = kwargs.pop(CTX)
        outcome = kwargs.pop(OUTCOME, None)
        return await run_tool(spec, runtime, ctx, kwargs, outcome)

    params = [keyword(CTX, Context), *operation_params(spec), *runtime_params(spec.op, runtime)]
    if spec.op.guarded and runtime.settings.confirmation != "argument":
        from scp_mcp.tools.guard import Confirmation  # made on the first call: the call path loads then

        resolver = _resolver(spec, runtime, [p.name for p in params if p.name != CTX])
        ann = Annotated[ElicitationResult[Confirmation], Resolve(resolver)]
        params.append(keyword(OUTCOME, ann))
    synthesize(tool, spec.name, params, CallToolResult)
    return tool


class DeferredTool(Tool):
    """A tool listed from its compiled listing whose argument model, signature and resolver are made on its
    first call, by ``Tool.from_function`` as before: building them for every tool at start-up was most of
    its cost. Calls run through that complete tool, so validation, its error text, Context injection and
    the resolver are the SDK's own, on both protocol eras."""

    _complete: Callable[[], Tool] | None = PrivateAttr(default=None)
    _built: Tool | None = PrivateAttr(default=None)

    @classmethod
    def listed(cls, listing: Mapping[str, Any], complete: Callable[[], Tool]) -> DeferredTool:
        """``listing``: name, title, description, annotations, meta, parameters and output_schema."""

        async def forward(**kwargs: Any) -> Any:  # the complete tool's function (what the SDK calls)
            return await tool.completed().fn(**kwargs)

        tool = cls(
            fn=forward,
            name=listing["name"],
            title=listing["title"],
            description=listing["description"],
            parameters=listing["parameters"],
            fn_metadata=FuncMetadata.model_construct(output_schema=listing["output_schema"]),  # its arg_model: none
            is_async=True,
            context_kwarg=None,  # the complete tool's is used
            annotations=listing["annotations"],
            meta=listing["meta"],
        )
        tool._complete = complete
        return tool

    @property
    def is_complete(self) -> bool:
        return self._built is not None

    def completed(self) -> Tool:
        if self._built is None:
            assert self._complete is not None, "a DeferredTool is made by DeferredTool.listed"
            self._built = self._complete()
        return self._built

    async def run(self, arguments: dict[str, Any], context: Context[Any, Any], convert_result: bool = False) -> Any:
        return await self.completed().run(arguments, context, convert_result)


def complete_tool(spec: ToolSpec, runtime: ToolRuntime) -> Tool:
    """The generated tool, complete: what its DeferredTool runs."""
    tool = Tool.from_function(
        make_function(spec, runtime),
        name=spec.name,
        title=spec.title,
        description=spec.description,
        annotations=spec.annotations,
        meta=spec.meta,
    )
    # Advertised, assembled once per response model (see envelope.py); results are checked in answer.py.
    tool.fn_metadata.output_schema = spec.output_schema
    return tool


def make_tool(spec: ToolSpec, runtime: ToolRuntime, compiled: Mapping[str, dict[str, Any]]) -> DeferredTool:
    listing = {
        "name": spec.name,
        "title": spec.title,
        "description": spec.description,
        "annotations": spec.annotations,
        "meta": spec.meta,
        "parameters": advertised_schema(spec, runtime, compiled),
        "output_schema": spec.output_schema,
    }
    return DeferredTool.listed(listing, functools.partial(complete_tool, spec, runtime))


def build_tools(operations: Iterable[Operation], runtime: ToolRuntime) -> list[Tool]:
    """Tools for the operations the runtime's policy exposes."""
    compiled = load_compiled()["tools"]
    return [make_tool(build_spec(op), runtime, compiled) for op in operations if runtime.settings.policy.allows(op)]
