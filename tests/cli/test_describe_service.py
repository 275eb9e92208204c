"""`scp-mcp describe SERVICE`: the service's capability matrix (what its API can and cannot do)."""

from __future__ import annotations

import pytest

from tests.support.cli import run_in_process


def test_describe_a_service_shows_what_it_can_and_cannot_do(capsys: pytest.CaptureFixture[str]) -> None:
    done = run_in_process(capsys, "describe", "eventstreams")
    assert done.code == 0, done.err
    lines = done.out.splitlines()
    assert lines[0].startswith("eventstreams — Event Streams (managed Apache Kafka): ")
    can, cannot = done.out.split("cannot (the API has no operation for it):")
    assert "eventstreams_restart_cluster" in can
    assert any(line.split()[0] == "backup" for line in cannot.strip().splitlines())


def test_describe_takes_the_operators_names_for_a_service(capsys: pytest.CaptureFixture[str]) -> None:
    done = run_in_process(capsys, "describe", "Airflow")
    assert done.code == 0, done.err
    assert done.out.startswith("dataops — Data Ops (managed Apache Airflow)")
    assert "restart" in done.out.split("cannot")[1]
