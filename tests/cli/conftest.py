"""Whatever the machine has configured, CLI tests run on the sandbox in a home of their own."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in list(os.environ):
        if name.startswith("SCP_") or name == "XDG_STATE_HOME":
            monkeypatch.delenv(name, raising=False)
