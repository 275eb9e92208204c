"""`scp-mcp audit --store URL` reads the shared store: the entries every replica wrote, as one trail; a
store it cannot use is one line that says what to change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scp_mcp.store.postgres import PostgresStore
from tests.store.test_contract import entry
from tests.support.cli import run_main
from tests.support.postgres import PostgresServer, free_port


def test_audit_reads_every_replicas_entries_from_postgresql(
    postgres: PostgresServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = postgres.fresh_database()
    now = datetime.now(UTC)
    for n in range(3):
        replica = PostgresStore(url)
        at = (now - timedelta(minutes=10 - n)).isoformat(timespec="seconds")
        replica.append_audit(entry(at, client=f"replica-{n}"))
        replica.close()
    code, out, _ = run_main(capsys, "audit", "--store", url, "--state-dir", str(tmp_path))
    assert code == 0
    assert [line.split()[1] for line in out.splitlines()] == ["replica-0", "replica-1", "replica-2"]


def test_audit_on_an_empty_postgresql_store_names_it_without_a_password(
    postgres: PostgresServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = postgres.fresh_database()
    code, out, _ = run_main(capsys, "audit", "--store", url)
    assert code == 0
    assert f"in {url}." in out  # (this URL has no password to hide)


def test_audit_on_a_store_it_cannot_reach_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_main(capsys, "audit", "--store", f"postgresql://scp:pw@127.0.0.1:{free_port()}/scp")
    assert code == 2
    assert err.startswith("scp-mcp: cannot use the store at postgresql://scp@127.0.0.1:")
    assert "pw@" not in err
