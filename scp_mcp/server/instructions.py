"""The server instructions: which backend, which region, and the confirmation rules, in a few lines.

They describe the server as configured: a read-only server says that nothing can be changed through
it and carries no confirmation rules; without destructive tools, only disruptive ones are guarded.
"""

from __future__ import annotations

from collections.abc import Sequence

from scp_mcp.catalog import load_catalog
from scp_mcp.catalog.capabilities import capability
from scp_mcp.server.backend import Backend
from scp_mcp.server.resources import CAPABILITIES_URI
from scp_mcp.server.settings import ServerSettings

_HOW = {
    "either": (
        "the user is asked through a confirmation dialog when the client has one; otherwise the first call sends "
        "nothing and returns status confirmation_required with a preview and confirm_with: show the preview to "
        "the user, and only after they agree call again with the same arguments plus both confirm_with values "
        "(confirm and confirm_token)."
    ),
    "elicit": "the user is asked through a confirmation dialog; clients without one cannot run them.",
    "argument": (
        "the first call sends nothing and returns status confirmation_required with a preview and confirm_with: "
        "show the preview to the user, and only after they agree call again with the same arguments plus both "
        "confirm_with values (confirm and confirm_token)."
    ),
}


# The gaps an operator asks about most; the full matrix is the resource.
_GAP_EXAMPLES = ("backup", "restart", "scale_out", "stop_start")


def _gaps() -> str:
    """What the API cannot do, by service, from the capability matrix: the assistant finds it in one step."""
    cat = load_catalog()
    parts = []
    for key in _GAP_EXAMPLES:
        lacking = [svc for host, svc in cat.services.items() if not capability(host, key).available]
        if lacking:
            label = capability(next(iter(cat.services)), key).label
            parts.append(f"no {label} in {', '.join(s.glossary.name if s.glossary else s.title for s in lacking)}")
    if not any(capability(host, "workloads").available for host in cat.services):
        parts.append("no service runs queries, DAGs or flows")
    return (
        f"Not every service can do everything: {'; '.join(parts)}. Before "
        f"promising a change, read the resource {CAPABILITIES_URI} (per service: what the API can do, with which "
        "tools, and what to do instead)."
    )


def instructions(
    settings: ServerSettings, backend: Backend, tool_count: int, operator_tools: Sequence[str] = ()
) -> str:
    policy = settings.policy
    limits = [x for x, on in (("read-only", policy.read_only), ("no destructive tools", policy.no_destructive)) if on]
    restricted = f" ({', '.join(limits)})" if limits else ""
    lines = [
        f"Samsung Cloud Platform Data Analytics: {tool_count} tools{restricted}, one per API operation, named "
        f"<service>_<action> ({', '.join(f'{svc.tool_prefix}_' for svc in load_catalog().services.values())}).",
        f"Backend: {backend.where}.",
    ]
    if settings.profile == "discover":
        lines.append(
            "They are reached through three tools: search_operations (find one for a task), describe_operation "
            "(its arguments; given a service, what its API can and cannot do) and call_operation (run it: the "
            "rules below apply to the tool it runs)."
        )
    health = [name for name in operator_tools if name in ("fleet_overview", "diagnose")]
    if health:
        lines.append(
            f"Also {' and '.join(health)}: the whole fleet worst first, and one resource's findings with the "
            "next calls; start there when asked what is wrong."
        )
    if policy.read_only:
        lines.append("Read-only server: only read tools are exposed; nothing can be created, changed or deleted.")
    else:
        guarded = "Disruptive tools (stop, restart, server type changes)"
        if policy.no_destructive:
            guarded += " are guarded (destructive tools are not exposed on this server)"
        else:
            guarded += " and destructive tools (terminate, delete, backup removal) are guarded"
        lines.append(f"{guarded}: {_HOW[settings.confirmation]}")
        if not policy.no_destructive:
            lines.append(
                "For destructive tools confirm is the target's name (its id where it has none); confirm_token "
                "covers that exact request only, once, for 15 minutes: changing any argument needs a new preview."
            )
        ledger = (
            " operations_list shows what is still running or finished (your work, kept across restarts), "
            "operations_wait waits for one."
            if "operations_list" in operator_tools
            else ""
        )
        lines.append(
            "Changes run asynchronously: a result says what to follow; pass wait_seconds on the call to wait "
            f"with progress.{ledger}"
        )
    lines.append(f"{_gaps()} Each result starts with a short summary; structured content says which backend answered.")
    return "\n".join(lines)
