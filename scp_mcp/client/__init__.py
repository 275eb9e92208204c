"""Signed SCP API client: endpoints, signing, versions, retries, errors.

Imports only the catalog. ``ScpClient(ClientSettings.from_env())`` is the entry point; create one
per process and close it on shutdown.
"""

from scp_mcp.client.api import ApiResult, ScpClient
from scp_mcp.client.connection import DEFAULT_ENDPOINT_TEMPLATE, ClientSettings
from scp_mcp.client.errors import (
    ArgumentError,
    AuthError,
    BadRequest,
    ConfigError,
    Conflict,
    ErrorDetail,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    ScpError,
    ServerError,
    Timeout,
    TransportError,
)
from scp_mcp.client.signing import ScpAuth, signature

__all__ = [
    "DEFAULT_ENDPOINT_TEMPLATE",
    "ApiResult",
    "ArgumentError",
    "AuthError",
    "BadRequest",
    "ClientSettings",
    "ConfigError",
    "Conflict",
    "ErrorDetail",
    "NotFound",
    "OutcomeUnknown",
    "RateLimited",
    "ScpAuth",
    "ScpClient",
    "ScpError",
    "ServerError",
    "Timeout",
    "TransportError",
    "signature",
]
