"""Embedded SCP simulator: every catalog route, with state, lifecycles, signature checks and faults.

    sandbox = Sandbox(clock=SandboxClock.manual())
    async with httpx.AsyncClient(transport=sandbox.transport()) as http: ...

or on loopback: `python -m scp_mcp.sandbox --port 8765` (see serve.py and README.md).
"""

from scp_mcp.sandbox.auth import sign
from scp_mcp.sandbox.clock import SandboxClock
from scp_mcp.sandbox.examples import sample_body, sample_value
from scp_mcp.sandbox.faults import Fault, Faults
from scp_mcp.sandbox.lifecycle import REQUEST_COMPLETED, REQUEST_FAILED, REQUEST_IN_PROGRESS, REQUEST_TERMINAL
from scp_mcp.sandbox.received import ReceivedRequest
from scp_mcp.sandbox.sandbox import (
    ENDPOINT_TEMPLATE_IN_PROCESS,
    SANDBOX_ACCESS_KEY,
    SANDBOX_SECRET_KEY,
    Sandbox,
)
from scp_mcp.sandbox.serve import serve_sandbox
from scp_mcp.sandbox.state_file import SandboxStateError

__all__ = [
    "ENDPOINT_TEMPLATE_IN_PROCESS",
    "REQUEST_COMPLETED",
    "REQUEST_FAILED",
    "REQUEST_IN_PROGRESS",
    "REQUEST_TERMINAL",
    "SANDBOX_ACCESS_KEY",
    "SANDBOX_SECRET_KEY",
    "Fault",
    "Faults",
    "ReceivedRequest",
    "Sandbox",
    "SandboxClock",
    "SandboxStateError",
    "sample_body",
    "sample_value",
    "serve_sandbox",
    "sign",
]
