"""The installed `scp-mcp` fails cleanly: one line on stderr saying what is wrong and how to fix it,
exit code 2 for usage and configuration errors, and never a traceback, `serve` included."""

from __future__ import annotations

import json
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from scp_mcp.tools.operator import OPERATOR_TOOLS
from tests.support.cli import clean_env, executable, run_in_process, run_process


def scpconf(home: Path, name: str, text: str) -> Path:
    path = home / ".scpconf" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "text", "command", "fragments"),
    [
        ("credentials.json", "{not json", "serve", ["credentials.json is not valid JSON", "fix or remove it"]),
        ("credentials.json", '["a list"]', "doctor", ["credentials.json must hold a JSON object, not list"]),
        ("credentials.json", '{"access-key": 42}', "call", ['"access-key" must be a string, not int']),
        (
            "config.json",
            '{"default-region": ["kr-west1"]}',
            "serve",
            ['config.json: "default-region" must be a string'],
        ),
    ],
)
def test_malformed_scpconf_files(tmp_path: Path, name: str, text: str, command: str, fragments: list[str]) -> None:
    scpconf(tmp_path, name, text)
    argv = [command, "eventstreams_list_clusters"] if command == "call" else [command]
    run_process(tmp_path, *argv).assert_one_line_error(*fragments)


@pytest.mark.parametrize(
    ("variable", "value", "fragment"),
    [
        ("SCP_TIMEOUT", "abc", "SCP_TIMEOUT='abc' is not a valid float; set a positive number such as SCP_TIMEOUT=30"),
        ("SCP_MAX_ATTEMPTS", "0", "SCP_MAX_ATTEMPTS='0' must be a positive number; set one such as SCP_MAX_ATTEMPTS=4"),
        ("SCP_API_VERSIONS", "eventstreams", "SCP_API_VERSIONS item 'eventstreams' must look like 'data-flow=1.0'"),
        ("SCP_API_VERSIONS", "kafka=1.0", "no service 'kafka'; use one of data-flow"),
        ("SCP_API_VERSIONS", "vertica=7.0", "vertica documents API versions 1.0"),
        ("SCP_MCP_CONFIRM", "sometimes", "SCP_MCP_CONFIRM='sometimes': use one of either, elicit, argument"),
    ],
)
def test_bad_environment_values(tmp_path: Path, variable: str, value: str, fragment: str) -> None:
    run_process(tmp_path, "serve", env=clean_env(tmp_path, **{variable: value})).assert_one_line_error(fragment)


def test_half_set_credentials_are_refused_naming_the_missing_one(tmp_path: Path) -> None:
    env = clean_env(tmp_path, SCP_ACCESS_KEY="AK0000")
    for command in (["serve"], ["call", "eventstreams_list_clusters"]):
        run_process(tmp_path, *command, env=env).assert_one_line_error(
            "access key is configured (from the SCP_ACCESS_KEY variable) but no secret key", "set SCP_SECRET_KEY"
        )


def test_a_secret_key_alone_in_scpconf_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scpconf(tmp_path, "credentials.json", json.dumps({"secret-key": "s3cret"}))
    for command in (["doctor"], ["call", "eventstreams_list_clusters"]):
        line = run_in_process(capsys, *command).assert_one_line_error(
            "secret key is configured (from", "credentials.json", "but no access key", "set SCP_ACCESS_KEY"
        )
        assert "s3cret" not in line


def test_half_set_credentials_do_not_stop_an_explicit_sandbox(tmp_path: Path) -> None:
    env = clean_env(tmp_path, SCP_ACCESS_KEY="AK0000")
    done = run_process(tmp_path, "call", "--sandbox", "eventstreams_list_clusters", env=env)
    assert done.code == 0, done.err


def test_a_corrupt_state_file_is_refused_and_kept(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text("{oops", encoding="utf-8")
    run_process(tmp_path, "serve", "--sandbox-state", str(state)).assert_one_line_error(
        f"the sandbox state file {state} is not valid JSON (line 1 column 2)", "--sandbox-state"
    )
    run_process(tmp_path, "call", "--sandbox-state", str(state), "eventstreams_list_clusters").assert_one_line_error(
        "is not valid JSON", "--fresh"
    )
    assert state.read_text(encoding="utf-8") == "{oops"  # nothing overwritten


@pytest.mark.parametrize(
    "text", ['["a", "list"]', '{"seed": 0}', '{"seed": 0, "counter": 0, "tables": {"cluster": [1]}}']
)
def test_a_state_file_of_the_wrong_shape_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    state = tmp_path / "state.json"
    state.write_text(text, encoding="utf-8")
    monkeypatch.setenv("SCP_MCP_SANDBOX_STATE", str(state))
    run_in_process(capsys, "call", "eventstreams_list_clusters").assert_one_line_error(
        f"{state} is not a sandbox state file", "--fresh"
    )
    run_in_process(capsys, "sandbox", "--state", str(state), "--port", "1").assert_one_line_error(
        f"{state} is not a sandbox state file", "--state"
    )
    assert state.read_text(encoding="utf-8") == text


def test_a_missing_state_file_is_created_from_the_seeded_fleet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "new.json"
    done = run_in_process(capsys, "call", "--sandbox-state", str(state), "eventstreams_list_clusters")
    assert done.code == 0, done.err
    assert "orders-kafka" in done.out
    assert json.loads(state.read_text(encoding="utf-8"))["tables"]
    missing_dir = tmp_path / "nowhere" / "state.json"
    run_in_process(
        capsys, "call", "--sandbox-state", str(missing_dir), "eventstreams_list_clusters"
    ).assert_one_line_error(f"the directory of the sandbox state file {missing_dir} does not exist")


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


@pytest.mark.parametrize("command", [["serve", "--transport", "http"], ["sandbox"]])
def test_a_busy_port(tmp_path: Path, busy_port: int, command: list[str]) -> None:
    run_process(tmp_path, *command, "--port", str(busy_port)).assert_one_line_error(
        f"port {busy_port} on 127.0.0.1 is already in use", "pass another --port"
    )


@pytest.mark.parametrize("command", [["serve", "--transport", "http"], ["sandbox"]])
def test_a_port_out_of_range(tmp_path: Path, command: list[str]) -> None:
    run_process(tmp_path, *command, "--port", "99999").assert_one_line_error(
        "argument --port: 99999 is not a port number (use 1-65535)", f"see 'scp-mcp {command[0]} --help'"
    )


def test_usage_errors_are_one_line(tmp_path: Path) -> None:
    run_process(tmp_path, "nonsense").assert_one_line_error("invalid choice: 'nonsense'", "see 'scp-mcp --help'")
    run_process(tmp_path, "tools", "--toolsets", "kafka").assert_one_line_error("unknown toolsets kafka")


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [executable(), "tools", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env(tmp_path)
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    proc.stdout.close()  # the reader is gone before anything is written
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert err == ""
    shell = subprocess.run(
        f"{executable()} tools | head -1", shell=True, capture_output=True, text=True, env=clean_env(tmp_path)
    )
    assert shell.stdout.startswith("TOOL")
    assert shell.stderr == ""


def test_a_closed_pipe_ends_the_demo_quietly_too(tmp_path: Path) -> None:
    """The demo writes from inside an anyio task group: the closed pipe arrives as an exception group."""
    shell = subprocess.run(
        f"{executable()} demo | head -1; exit ${{PIPESTATUS[0]}}",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        env=clean_env(tmp_path),
    )
    assert shell.stdout.startswith(f"scp-mcp: {116 + len(OPERATOR_TOOLS)} MCP tools")  # operations and operator tools
    assert shell.stderr == ""
    assert shell.returncode == 0


def test_tool_arguments_are_checked_before_anything_is_sent(tmp_path: Path) -> None:
    run_process(tmp_path, "call", "eventstreams_show_cluster").assert_one_line_error(
        "eventstreams_show_cluster needs cluster_id=<string>"
    )
    # wrongly typed arguments and unknown tools: tests/cli/test_call.py and test_describe.py, in process


def test_version(tmp_path: Path) -> None:
    from importlib.metadata import version

    done = run_process(tmp_path, "--version")
    assert done.code == 0
    assert done.out.strip() == f"scp-mcp {version('scp-mcp')}"
