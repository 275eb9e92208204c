"""What the prompts name for one service: its tools per step, derived from the catalog.

A prompt template writes ``{show}`` or ``{backup}``; this fills them from the service's collections
(``tools.inventory``) and capability matrix (``catalog.capabilities``), so a prompt never names a
tool the service lacks, and says so where a step does not exist for it (Event Streams has no backup).
"""

from __future__ import annotations

from collections.abc import Mapping

from scp_mcp.catalog import Service, load_catalog
from scp_mcp.catalog.capabilities import Capability, capabilities
from scp_mcp.tools.inventory import collections, collections_of

# The capabilities a prompt step names, by placeholder.
STEP_CAPABILITIES = (
    "versions",
    "server_types",
    "prerequisites",
    "name_check",
    "dry_run",
    "create",
    "backup",
    "restart",
    "stop_start",
    "delete",
)


class UnknownService(ValueError):
    """A service argument that names none of the six services."""


def _key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def service_names() -> list[str]:
    """The names a prompt's service argument takes (the tool prefixes), for completion and errors."""
    return [svc.tool_prefix for svc in load_catalog().services.values()]


def resolve_service(text: str) -> Service:
    """The service named by its tool prefix, host prefix, common name or an engine synonym (any case)."""
    wanted = _key(text)
    for svc in load_catalog().services.values():
        names = [svc.host_prefix, svc.tool_prefix, svc.title]
        if svc.glossary is not None:
            names += [svc.glossary.name, *svc.glossary.synonyms]
        if wanted and wanted in {_key(n) for n in names}:
            return svc
    raise UnknownService(f"unknown service {text!r}: use one of {', '.join(service_names())}")


def service_named(word: str) -> str | None:
    """The host prefix of the service ``word`` names, unless it is a tool's name; else None."""
    if load_catalog().get(word) is not None:
        return None
    try:
        return resolve_service(word).host_prefix
    except UnknownService:
        return None


def _tools(names: tuple[str, ...] | list[str]) -> str:
    return ", ".join(names)


def _step(service: Service, cap: Capability) -> str:
    if cap.available:
        return f"call {_tools(cap.tools)}"
    name = service.glossary.name if service.glossary else service.title
    return f"{name} has no {cap.label} in the API; say so and skip this step ({cap.instead})"


def request_status_tool(service: Service) -> str | None:
    return next((op.siblings.request_status for op in service.operations if op.siblings.request_status), None)


def _follow(service: Service, shows: list[str]) -> str:
    status = request_status_tool(service)
    if status is not None:
        return f"{status} with the request id the change answered with, or {_tools(shows)} for the state"
    return f"{_tools(shows)} until the state settles (this service answers changes with the resource, not a request)"


def _reads(cap: Capability) -> list[str]:
    ops = load_catalog()
    return [t for t in cap.tools if (op := ops.get(t)) is not None and op.risk == "read"]


def service_steps(host_prefix: str) -> dict[str, str]:
    """Every placeholder a service prompt may use, filled for this service."""
    svc = load_catalog().services[host_prefix]
    caps = {c.key: c for c in capabilities(host_prefix)}
    shows = [c.show.tool_name for c in collections_of(host_prefix)]
    lists = [c.listing.tool_name for c in collections_of(host_prefix)]
    detail = [*shows, *filter(None, [request_status_tool(svc)])]
    detail += [t for key in ("parameters", "backup", "maintenance") for t in _reads(caps[key])]
    fixes = [f"{c.label}: {_tools(c.tools)}" for c in caps.values() if c.available and c.key in _FIXES]
    values = {
        "service": host_prefix,
        "services": f' with services ["{host_prefix}"]',
        "service_name": svc.glossary.display if svc.glossary else svc.title,
        "resources": "; ".join(svc.glossary.resources.values()) if svc.glossary else svc.title,
        "list": _tools(lists),
        "show": _tools(shows),
        "follow": _follow(svc, shows),
        "detail": _tools(detail),
        "fixes": "; ".join(fixes) or "none in the API",
        "lacks": "; ".join(f"{c.label} ({c.instead})" for c in caps.values() if not c.available),
    }
    values |= {key: _step(svc, caps[key]) for key in STEP_CAPABILITIES}
    return values


_FIXES = ("restart", "stop_start", "scale_out", "resize", "resources", "storage", "parameters")


def fleet_steps() -> dict[str, str]:
    """The placeholders of a prompt over the whole fleet: every service's list tools."""
    return {
        "list": _tools([c.listing.tool_name for c in collections()]),
        "services": "",
        "service_name": "every service",
    }


def prompt_values(arguments: Mapping[str, str]) -> dict[str, str]:
    """The derived placeholders of a prompt called with these arguments: one service's, or the fleet's."""
    given = arguments.get("service")
    return service_steps(resolve_service(given).host_prefix) if given else fleet_steps()
