"""Fixtures every test package shares."""

from __future__ import annotations

import os
import tempfile

import pytest

# The store (used confirmations, the audit log) of servers built without one goes to a scratch
# directory, never to the user's own state dir.
os.environ.setdefault("SCP_MCP_STATE_DIR", tempfile.mkdtemp(prefix="scp-mcp-test-state-"))


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"
