"""The repository stands alone: what the catalog is compiled from and checked against is inside it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from scp_mcp.catalog import compile as catalog_compile
from tests.catalog import test_official_openapi

REPO = Path(__file__).resolve().parents[1]
# A string literal or a markdown link that starts by climbing out of its folder into a sibling one.
_CLIMBS_OUT = re.compile(r"""["']\.\./[\w-]+/|\]\(\.\./""")


def _tracked(*patterns: str) -> list[Path]:
    out = subprocess.run(["git", "ls-files", *patterns], cwd=REPO, capture_output=True, text=True, check=True)
    return [REPO / name for name in out.stdout.split()]


def test_the_compiler_reads_the_reference_vendored_in_the_repository() -> None:
    seed = catalog_compile.DEFAULT_SEED
    assert seed.is_file()
    assert seed.resolve().is_relative_to(REPO / "reference")


def test_samsungs_official_openapi_files_are_vendored_with_their_licence() -> None:
    official = test_official_openapi.OFFICIAL_DIR.resolve()
    assert official.is_relative_to(REPO / "reference")
    names = sorted(p.name for p in official.iterdir())
    assert names == ["LICENSE", "eventstreams-1.0.yaml", "searchengine-1.0.yaml", "vertica-1.0.yaml"]


def test_no_tracked_source_test_or_doc_climbs_out_of_the_checkout() -> None:
    files = _tracked("scp_mcp/*.py", "tests/*.py", "bench/*.py", "*.md", "docs/*.md", ".ci/run")
    assert len(files) > 100
    offenders = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for path in files
        if path != Path(__file__).resolve()  # its own examples below
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _CLIMBS_OUT.search(line)
    ]
    assert offenders == []


def test_the_check_would_see_a_path_into_a_sibling_folder() -> None:
    assert _CLIMBS_OUT.search('SEED = "../elsewhere/seeds/x.txt"')
    assert _CLIMBS_OUT.search("see [the notes](../elsewhere/notes.md)")
    assert not _CLIMBS_OUT.search('("a/../b", "/v1/clusters/a%2F..%2Fb")')  # an id value, not a path we read
