"""The repository stands alone: what the catalog is compiled from and checked against is inside it."""

from __future__ import annotations

import re
from pathlib import Path

from scp_mcp.catalog import compile as catalog_compile

REPO = Path(__file__).resolve().parents[1]
# A path that climbs out of the checkout, e.g. "../shared/seeds" or "parents[2].parent / 'shared'".
_OUTSIDE = re.compile(r"\.\./shared|\.parent\s*/\s*[\"']shared[\"']")


def test_the_compiler_reads_the_reference_vendored_in_the_repository() -> None:
    seed = catalog_compile.DEFAULT_SEED
    assert seed.is_file()
    assert seed.is_relative_to(REPO / "reference")


def test_samsungs_official_openapi_files_are_vendored_with_their_licence() -> None:
    official = REPO / "reference" / "official-openapi"
    names = sorted(p.name for p in official.iterdir())
    assert names == ["LICENSE", "eventstreams-1.0.yaml", "searchengine-1.0.yaml", "vertica-1.0.yaml"]


def test_no_source_test_or_doc_points_outside_the_checkout() -> None:
    offenders = []
    for path in [*REPO.glob("scp_mcp/**/*.py"), *REPO.glob("tests/**/*.py"), *REPO.glob("*.md"), REPO / ".ci/run"]:
        if path == Path(__file__):
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.relative_to(REPO)}: {m.group(0)}" for m in _OUTSIDE.finditer(text)]
    assert offenders == []
