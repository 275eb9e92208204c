"""A throwaway PostgreSQL from the Debian packages: initdb in a temporary directory, pg_ctl on a free
loopback port, one fresh database per test, stopped and removed at the end.

PostgreSQL refuses to run as root, so as root the cluster belongs to ``nobody`` (``runuser``).
Without the binaries the tests skip, unless ``SCP_MCP_REQUIRE_POSTGRES=1`` (CI) makes that a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

DEBIAN_BIN_DIRS = Path("/usr/lib/postgresql")  # <version>/bin, one per installed major version
ADMIN = "postgres"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def bin_dir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent  # the real bin dir, where initdb sits too
    found_dirs = sorted(
        DEBIAN_BIN_DIRS.glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0
    )
    return found_dirs[-1].parent if found_dirs else None


def unavailable(what: str) -> None:
    """Skip, or fail when the environment says these tests must run."""
    message = f"{what} (install the Debian package postgresql)"
    if os.environ.get("SCP_MCP_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"SCP_MCP_REQUIRE_POSTGRES=1 but {message}")
    pytest.skip(message)


@dataclass
class PostgresServer:
    port: int
    data: Path

    def url(self, database: str = ADMIN) -> str:
        return f"postgresql://{ADMIN}@127.0.0.1:{self.port}/{database}"

    def fresh_database(self) -> str:
        """A new empty database's URL."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as db:
            db.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]  # a generated identifier
        return self.url(name)


def _as_owner(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "nobody", "--", *argv] if os.geteuid() == 0 else argv


@contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    binaries = bin_dir()
    if binaries is None:
        unavailable("no PostgreSQL server binaries (pg_ctl) found")
        raise AssertionError  # unreachable: skip and fail raise
    try:
        import psycopg  # noqa: F401
    except ImportError:
        unavailable("psycopg is not installed (pip install -e '.[dev]')")
    root = Path(tempfile.mkdtemp(prefix="scp-mcp-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "nobody")
    data, port = root / "data", free_port()

    def run(*argv: str) -> None:
        subprocess.run(_as_owner([str(binaries / argv[0]), *argv[1:]]), check=True, capture_output=True, timeout=60)

    try:
        run("initdb", "-D", str(data), "-U", ADMIN, "-A", "trust", "-E", "UTF8", "--no-sync")
        options = f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories='' -c fsync=off"
        options += " -c max_connections=200"
        run("pg_ctl", "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "-t", "30", "start")
        try:
            yield PostgresServer(port, data)
        finally:
            run("pg_ctl", "-D", str(data), "-m", "fast", "-w", "-t", "30", "stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)
