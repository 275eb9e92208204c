"""README.md for a newcomer: it opens with the two commands that work, and its links lead somewhere."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).parents[1]
README = REPO / "README.md"
TEXT = README.read_text(encoding="utf-8")

SETUP_AND_RUN = "python3 -m venv .venv && .venv/bin/pip install -q . && .venv/bin/scp-mcp demo"
SETUP_AND_TEST = 'python3 -m venv .venv && . .venv/bin/activate && pip install -q -e ".[dev]" && pytest'

FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6} +(.+?) *$", re.M)


def _prose() -> str:
    """The README without code blocks and inline code, where `[x](y)` is not a link."""
    return INLINE_CODE.sub("", FENCE.sub("", TEXT))


def _links() -> list[str]:
    return LINK.findall(_prose())


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to hyphens."""
    text = INLINE_CODE.sub(lambda m: m.group(0).strip("`"), heading).lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def test_the_first_two_fenced_commands_set_up_and_run_then_set_up_and_test() -> None:
    blocks = [block.strip() for block in FENCE.findall(TEXT)]
    assert blocks[:2] == [SETUP_AND_RUN, SETUP_AND_TEST]
    assert TEXT.index(SETUP_AND_RUN) < TEXT.index("## "), "the commands come before the first section"


def test_the_opening_commands_name_what_the_project_provides() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "scp-mcp" in project["scripts"]
    assert "dev" in project["optional-dependencies"]
    from scp_mcp import cli

    with pytest.raises(SystemExit) as exc:
        cli.main(["demo", "--help"])
    assert exc.value.code == 0


def test_the_readme_has_links() -> None:
    assert len(_links()) >= 10


@pytest.mark.parametrize("target", sorted({t for t in _links() if not t.startswith(("http://", "https://", "#"))}))
def test_every_relative_link_resolves_to_a_file_in_the_repository(target: str) -> None:
    path = target.split("#", 1)[0]
    assert path, target
    assert not path.startswith(("/", "~")), f"{target}: a machine path, not a repository path"
    resolved = (REPO / path).resolve()
    assert resolved.is_relative_to(REPO.resolve()), f"{target}: points outside the repository"
    assert resolved.exists(), f"{target}: no such file in the repository"


def test_every_anchor_link_names_a_heading() -> None:
    anchors = {_slug(h) for h in HEADING.findall(FENCE.sub("", TEXT))}
    missing = [t for t in _links() if t.startswith("#") and t[1:] not in anchors]
    assert not missing, f"no heading for {missing}"


def test_public_links_are_https() -> None:
    assert not [t for t in _links() if t.startswith("http://")]
