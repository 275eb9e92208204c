"""`scp-mcp call`, in process: the pipeline from the shell, its usage errors, which backend answered."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.support.cli import run_main

ORDERS_KAFKA = "orders-kafka"
SANDBOX_LINE = "(answered by the embedded SCP sandbox: simulated, nothing real is touched"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    return run_main(capsys, *argv)


def test_call_runs_a_read_on_the_sandbox(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "call", "eventstreams_list_clusters", "--json")
    assert code == 0
    assert out.startswith("List Clusters: 2 found.")
    assert f"'{ORDERS_KAFKA}'" in out
    assert '"backend": "sandbox"' in out


def test_call_guarded_round_trip_from_the_shell(capsys: pytest.CaptureFixture[str]) -> None:
    cluster_id = _cluster_id(capsys)
    code, out, _ = run(capsys, "call", "eventstreams_stop_cluster", f"cluster_id={cluster_id}")
    assert code == 3
    assert "Nothing was sent yet." in out
    assert f"confirm='{ORDERS_KAFKA}', confirm_token='c1." in out
    token = confirm_token(out)
    code, out, _ = run(
        capsys, "call", "eventstreams_stop_cluster", f"cluster_id={cluster_id}", f"confirm={ORDERS_KAFKA}"
    )
    assert code == 3, "the name alone is not a confirmation"
    assert "needs the confirm_token of a preview" in out
    code, out, _ = run(
        capsys,
        "call",
        "eventstreams_stop_cluster",
        f"cluster_id={cluster_id}",
        f"confirm={ORDERS_KAFKA}",
        f"confirm_token={token}",
    )
    assert code == 0
    assert "Stop Cluster accepted on cluster 'orders-kafka'; it runs asynchronously." in out
    assert "Check it with eventstreams_show_request(request_id=" in out


def confirm_token(out: str) -> str:
    """The token a preview printed (each call is its own process: the kept seal key checks it)."""
    match = re.search(r"confirm_token='(c1\.[^']+)'", out)
    assert match is not None, out
    return match.group(1)


def _cluster_id(capsys: pytest.CaptureFixture[str]) -> str:
    code, out, _ = run(capsys, "call", "eventstreams_list_clusters", "--json")
    assert code == 0
    content: dict[str, Any] = json.loads(out[out.index("{") :])
    return next(c["id"] for c in content["data"]["contents"] if c["name"] == ORDERS_KAFKA)


def test_call_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "call", "eventstreams_show_cluster", "clusterid=x")
    assert code == 2
    assert "has no argument 'clusterid'; did you mean cluster_id?" in err
    code, _, err = run(capsys, "call", "eventstreams_nothing")
    assert code == 2
    assert "no tool 'eventstreams_nothing'" in err
    assert len(err.strip().splitlines()) == 1
    code, out, _ = run(capsys, "call", "eventstreams_show_cluster", "cluster_id=nope")
    assert code == 1
    assert "does not exist" in out


def test_call_values_follow_the_schema_types(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "call", "eventstreams_list_clusters", "size=1", "name=orders-kafka", "--json")
    assert code == 0, out
    assert "1 found" in out


def test_read_only_hides_writes_from_call(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "call", "--read-only", "eventstreams_stop_cluster", "cluster_id=x")
    assert code == 2
    assert "no tool 'eventstreams_stop_cluster' on this server" in err
    assert "--read-only" in err


def test_missing_required_argument_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "call", "eventstreams_show_cluster")
    assert code == 2
    assert out == ""
    assert err.strip() == (
        "scp-mcp: eventstreams_show_cluster needs cluster_id=<string>; see `scp-mcp describe eventstreams_show_cluster`"
    )


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("size=abc", "size must be an integer, not 'abc'"),
        ("size=true", "size must be an integer, not 'true'"),
        ("service_state=RUN", "service_state must be one of RUNNING, STOPPED"),
        ("nonsense", "'nonsense' is not key=value"),
    ],
)
def test_wrongly_typed_argument_is_named(capsys: pytest.CaptureFixture[str], argument: str, message: str) -> None:
    code, out, err = run(capsys, "call", "eventstreams_list_clusters", argument)
    assert code == 2
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_every_answer_says_which_backend_answered(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ("eventstreams_list_clusters",),  # a read
        ("eventstreams_show_cluster", "cluster_id=nope"),  # an SCP error
        ("eventstreams_stop_cluster", "cluster_id=nope"),  # a guarded preview
    ):
        code, out, err = run(capsys, "call", *argv)
        assert code in (0, 1, 3)
        assert err.strip().splitlines()[-1].startswith(SANDBOX_LINE), err
        assert SANDBOX_LINE not in out  # stdout stays the answer (and --json stays parseable)


def test_the_backend_line_names_real_scp() -> None:
    from scp_mcp.cli.oneshot import answered_by

    assert answered_by("real SCP, region kr-west1 (environment e)", None) == (
        "(answered by real SCP, region kr-west1 (environment e))"
    )
