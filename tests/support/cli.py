"""Running `scp-mcp`: in process through `main`, or as the installed console script in a clean home."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from scp_mcp import cli

CLEARED_PREFIXES = ("SCP_", "XDG_STATE_HOME")


def run_main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def executable() -> str:
    exe = Path(sys.executable).with_name("scp-mcp")
    if not exe.exists():
        pytest.skip("the scp-mcp console script is not installed (pip install -e .)")
    return str(exe)


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """The machine's environment without SCP settings, with `home` as HOME, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(CLEARED_PREFIXES)}
    env["HOME"] = str(home)
    env.update(extra)
    return env


@dataclass
class Finished:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]

    def assert_one_line_error(self, *fragments: str, code: int = 2) -> str:
        """Exit `code`, no traceback, exactly one stderr line, containing every fragment."""
        assert self.code == code, (self.code, self.out, self.err)
        assert "Traceback" not in self.err
        assert len(self.err_lines) == 1, self.err
        line = self.err_lines[0]
        assert line.startswith("scp-mcp: "), line
        for fragment in fragments:
            assert fragment in line, (fragment, line)
        return line


def run_process(
    home: Path, *argv: str, env: dict[str, str] | None = None, timeout: float = 60, stdin: str = ""
) -> Finished:
    done = subprocess.run(
        [executable(), *argv],
        env=env if env is not None else clean_env(home),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=home,
    )
    return Finished(done.returncode, done.stdout, done.stderr)


def run_in_process(capsys: pytest.CaptureFixture[str], *argv: str) -> Finished:
    """`main` in this process (faster; for the variants of a case a subprocess test already covers)."""
    return Finished(*run_main(capsys, *argv))
