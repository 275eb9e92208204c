"""One cluster for the package: PostgreSQL, the sandbox, three replicas and nginx, started once (a
replica takes seconds to start) and stopped at the end. Tests pick different targets in the sandbox.

Without nginx or PostgreSQL the tests skip, unless SCP_MCP_REQUIRE_NGINX=1 / SCP_MCP_REQUIRE_POSTGRES=1
(CI) make that a failure."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.scale.cluster import NGINX, Cluster
from tests.support.postgres import PostgresServer, running_postgres


@pytest.fixture(params=["legacy", "auto"])
def mode(request: pytest.FixtureRequest) -> str:
    param: str = request.param
    return param


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    with running_postgres() as server:
        yield server


@pytest.fixture(scope="session")
def cluster(postgres: PostgresServer) -> Iterator[Cluster]:
    if not Path(NGINX).exists():
        message = f"no nginx at {NGINX} (install the Debian package nginx)"
        if os.environ.get("SCP_MCP_REQUIRE_NGINX") == "1":
            pytest.fail(f"SCP_MCP_REQUIRE_NGINX=1 but {message}")
        pytest.skip(message)
    exe = Path(sys.executable).with_name("scp-mcp")
    if not exe.exists():
        pytest.fail("the scp-mcp console script is not installed (pip install -e .)")
    running = Cluster(str(exe), postgres.fresh_database())
    try:
        running.start()
        yield running
    except BaseException:
        for name in running.processes:
            print(f"--- {name}\n{running.log(name)[-3000:]}", file=sys.stderr)
        raise
    finally:
        running.stop()
