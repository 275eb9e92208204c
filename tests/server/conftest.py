"""Fixtures for server tests: the installed `scp-mcp` executable, an environment without SCP
credentials, and both protocol eras."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest


@pytest.fixture(params=["legacy", "auto"])
def mode(request: pytest.FixtureRequest) -> str:
    param: str = request.param
    return param


@pytest.fixture(scope="session")
def scp_mcp_exe() -> str:
    exe = Path(sys.executable).with_name("scp-mcp")
    if not exe.exists():
        pytest.skip("the scp-mcp console script is not installed (pip install -e .)")
    return str(exe)


@pytest.fixture
def clean_env(tmp_path: Path) -> dict[str, str]:
    """What a client would pass: no SCP credentials, a home without ~/.scpconf."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCP_")}
    env["HOME"] = str(tmp_path)
    return env
