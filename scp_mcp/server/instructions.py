"""The server instructions: which backend, which region, and the confirmation rules, in a few lines."""

from __future__ import annotations

from scp_mcp.server.backend import Backend
from scp_mcp.server.settings import ServerSettings

_CONFIRM = {
    "either": (
        "the server asks the user through a confirmation dialog when the client supports one; otherwise the "
        "first call sends nothing and returns status confirmation_required with a preview and confirm_with. "
        "Show the preview to the user and call again with the same arguments plus confirm_with only after "
        "they agree."
    ),
    "elicit": "the server asks the user through a confirmation dialog; clients without one cannot run them.",
    "argument": (
        "the first call sends nothing and returns status confirmation_required with a preview and "
        "confirm_with. Show the preview to the user and call again with the same arguments plus "
        "confirm_with only after they agree."
    ),
}


def instructions(settings: ServerSettings, backend: Backend, tool_count: int) -> str:
    mode = []
    if settings.policy.read_only:
        mode.append("read-only")
    if settings.policy.no_destructive:
        mode.append("no destructive tools")
    restricted = f" ({', '.join(mode)})" if mode else ""
    return "\n".join(
        [
            f"Samsung Cloud Platform Data Analytics: {tool_count} tools{restricted}, one per API operation, named "
            "<service>_<action> (dataflow_, dataops_, eventstreams_, quickquery_, searchengine_, vertica_).",
            f"Backend: {backend.where}.",
            f"Disruptive tools (stop, restart, server type) and destructive tools (terminate, delete, backups): "
            f"{_CONFIRM[settings.confirmation]} For destructive tools the confirmation is the target's name.",
            "Creates, updates, starts and stops run asynchronously: they return what to follow; pass "
            "wait_seconds to wait with progress. Results start with a short summary; structured content "
            "says which backend answered.",
        ]
    )
