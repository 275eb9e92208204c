"""The compiler is deterministic and `--check` catches hand edits of generated files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from scp_mcp.catalog import compile as compiler

SEED_TEXT = compiler.DEFAULT_SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def generated() -> dict[Path, str]:
    return compiler.expected_files(SEED_TEXT)


def copy_checkout(files: dict[Path, str], root: Path) -> None:
    for path in [*files, compiler.TOOL_LISTING]:
        target = root / path.relative_to(compiler.REPO_DIR)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def test_committed_files_are_up_to_date(generated: dict[Path, str]) -> None:
    assert compiler.differences(generated) == []


def test_every_generated_file_says_it_is_generated(generated: dict[Path, str]) -> None:
    for path, text in generated.items():
        assert compiler.GENERATED in text.splitlines()[0] or compiler.GENERATED in text[:400], path


def test_compile_is_deterministic(generated: dict[Path, str]) -> None:
    specs_again, _ = compiler.compile_specs(SEED_TEXT)
    for host, spec in specs_again.items():
        assert compiler.render_spec(spec) == generated[compiler.SPECS_DIR / f"{host}.json"]


def test_check_fails_when_a_spec_is_edited_by_hand(
    generated: dict[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy_checkout(generated, tmp_path)
    assert compiler.main(["--check", "--root", str(tmp_path)]) == 0
    spec = tmp_path / "scp_mcp" / "catalog" / "specs" / "vertica.json"
    spec.write_text(spec.read_text(encoding="utf-8").replace('"Terminate Cluster"', '"Nuke Cluster"', 1))
    assert compiler.main(["--check", "--root", str(tmp_path)]) == 1
    assert "out of date: scp_mcp/catalog/specs/vertica.json" in capsys.readouterr().err


def test_check_fails_when_a_model_module_is_edited(generated: dict[Path, str], tmp_path: Path) -> None:
    copy_checkout(generated, tmp_path)
    models = tmp_path / "scp_mcp" / "catalog" / "models" / "eventstreams.py"
    models.write_text(models.read_text(encoding="utf-8") + "\n# hand edit\n")
    assert compiler.differences(generated, tmp_path) == ["scp_mcp/catalog/models/eventstreams.py"]


def test_the_full_module_takes_the_request_bodies_models_from_their_module() -> None:
    from scp_mcp.catalog import load_catalog

    for service in load_catalog().services.values():
        spec = json.loads((compiler.SPECS_DIR / f"{service.host_prefix}.json").read_text(encoding="utf-8"))
        closure = compiler.request_closure(spec)
        bodies = {v.body_model for op in service.operations for v in op.versions.values() if v.body_model}
        assert bodies <= set(closure), service.host_prefix
        for name in closure:
            model = service.model(name)
            assert model.__module__ == service.request_models().__name__
            assert getattr(service.models(), name) is model  # imported by the full module, not made twice
        outside = next(name for name in service.schemas if name not in closure)
        assert service.model(outside).__module__ == service.models().__name__
