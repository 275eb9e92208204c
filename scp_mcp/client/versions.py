"""Which documented API version a call uses, and the warning when its support has ended.

Order: the version asked for in the call > the per-service default in settings > the
operation's CURRENT version. A version past its support guarantee (1.0 of Data Flow, Data Ops
and Quick Query: 2026-07-01) is still used, with a warning the tool result carries.
"""

from __future__ import annotations

from datetime import date

from scp_mcp.catalog import Operation, OperationVersion
from scp_mcp.client.connection import ClientSettings
from scp_mcp.client.errors import ArgumentError, ConfigError
from scp_mcp.client.request import label


def resolve(
    op: Operation, requested: str | None, settings: ClientSettings, today: date
) -> tuple[OperationVersion, tuple[str, ...]]:
    chosen = _choose(op, requested, settings)
    version = op.versions[chosen]
    return version, deprecation_warnings(op, version, today)


def _choose(op: Operation, requested: str | None, settings: ClientSettings) -> str:
    documented = ", ".join(op.versions)
    if requested is not None:
        if requested not in op.versions:
            raise ArgumentError(
                f"{label(op)} has no API version {requested!r}; documented: {documented} "
                f"(current: {op.current_version}). Nothing was sent.",
                operation=label(op),
            )
        return requested
    default = settings.default_versions.get(op.service)
    if default is None:
        return op.current_version
    if default not in op.versions:
        raise ConfigError(
            f"SCP_API_VERSIONS sets {op.service}={default}, but {label(op)} documents only {documented} "
            f"(current: {op.current_version}).",
            operation=label(op),
        )
    return default


def deprecation_warnings(op: Operation, version: OperationVersion, today: date) -> tuple[str, ...]:
    if not version.is_past_support(today):
        return ()
    return (
        f"{label(op)} API version {version.version} is past its support guarantee "
        f"(supported until {version.supported_until}); it may stop working at any time. "
        f"Move to the current version {op.current_version}.",
    )
