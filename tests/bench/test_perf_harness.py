"""bench/perf.py stays runnable: it imports, parses its options, judges the issue's targets from its
numbers, rewrites only its own section of bench/RESULTS.md, and its SCP stub answers what the
catalog's response model accepts. The benchmark itself is not run here (no timing in tests)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from scp_mcp.catalog import load_catalog

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def perf() -> ModuleType:
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location("perf", BENCH / "perf.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["perf"] = module
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


def _results(perf: ModuleType, *, scp_ms: float, one_ms: float, rss: float) -> object:
    stats = perf.Stats.of
    results = perf.Results(started="2026-12-01 12:00 UTC", machine="2 cores", load_before=(0.1, 0.1, 0.1))
    results.get_ms = {"http": stats([1.0, 1.0, 1.2])}
    results.call_ms = {
        "scp-mcp": {"1 cluster": stats([scp_ms] * 3), "20 clusters": stats([scp_ms * 2] * 3)},
        "one-tool SDK server": {"1 cluster": stats([one_ms] * 3), "20 clusters": stats([one_ms * 2] * 3)},
    }
    results.cpu_ms = {"scp-mcp": {"1 cluster": scp_ms / 2}, "one-tool SDK server": {"1 cluster": one_ms / 2}}
    results.cold_s = {"scp-mcp": stats([1.2]), "one-tool SDK server": stats([1.0])}
    results.rss_mb = {"scp-mcp": rss}
    results.http = {
        "scp-mcp": {"32 clients": (300.0, 0), "32 clients, first call lists": (200.0, 0)},
        "one-tool SDK server": {"32 clients": (250.0, 0), "32 clients, first call lists": (250.0, 0)},
    }
    return results


def test_options_have_bounded_defaults(perf: ModuleType) -> None:
    args = perf.parse([])
    assert (args.calls, args.cold, args.http_calls, args.no_peer) == (200, 4, 20, False)
    assert perf.parse(["--calls", "50", "--no-peer"]).calls == 50


def test_median_and_p95(perf: ModuleType) -> None:
    stats = perf.Stats.of([float(n) for n in range(1, 101)])
    assert (stats.median, stats.p95, stats.n) == (50.5, 95.0, 100)


def test_targets_are_judged_from_same_run_ratios(perf: ModuleType) -> None:
    met = {t.what: (t.met, t.margin) for t in perf.targets(_results(perf, scp_ms=4.0, one_ms=4.4, rss=80))}
    assert met == {
        "tools/call / direct GET": (True, "-0.50×"),  # 4.0 / 1.0 against 4.5
        "tools/call, 1 cluster / one-tool server": (True, "-0.09×"),
        "tools/call, 1 cluster / one-tool server, server CPU": (True, "-0.09×"),
        "tools/call, 20 clusters / one-tool server": (True, "-0.39×"),
        "cold start / one-tool server": (True, "-0.30×"),  # 1.2 s / 1.0 s
        "peak RSS after tools/list + 1,000 calls": (True, "-5 MB"),
        "32 HTTP clients": (True, "+20%"),
        "32 HTTP clients, listing timed": (False, "-20%"),
    }
    missed = perf.targets(_results(perf, scp_ms=5.0, one_ms=3.0, rss=96))
    assert [(t.what, t.margin) for t in missed if not t.met] == [
        ("tools/call / direct GET", "+0.50×"),
        ("tools/call, 1 cluster / one-tool server", "+0.67×"),
        ("tools/call, 1 cluster / one-tool server, server CPU", "+0.67×"),
        ("tools/call, 20 clusters / one-tool server", "+0.37×"),
        ("peak RSS after tools/list + 1,000 calls", "+11 MB"),
        ("32 HTTP clients, listing timed", "-20%"),
    ]


def test_only_the_performance_section_is_rewritten(perf: ModuleType) -> None:
    section = perf.render(_results(perf, scp_ms=5.0, one_ms=3.0, rss=96))
    assert section.startswith(perf.SECTION)
    assert "| tools/call / direct GET | 5.00× | ≤ 4.5× | **no** | +0.50× |" in section
    timed = "| 32 HTTP clients, listing timed | 200 vs 250 calls/s, 0 errors | ≥ one-tool, 0 errors | **no** |"
    assert timed in section
    document = "# Benchmark results\n\n## Tool choice\n\nkept\n"
    once = perf.replace_section(document, section)
    assert once == document + "\n" + section
    again = perf.replace_section(once + "\n## Later\n\nalso kept\n", section.replace("5.00×", "4.00×"))
    assert "## Tool choice\n\nkept" in again
    assert again.endswith("\n## Later\n\nalso kept\n")
    assert "5.00×" not in again
    assert again.count(perf.SECTION) == 1


def test_the_stub_answers_what_the_response_model_accepts(perf: ModuleType) -> None:
    op = load_catalog().by_tool_name(perf.SCP_TOOL)
    service = load_catalog().services[op.service]
    page = service.model(op.current.success.model or "")
    with perf.stub(None) as (url, tls_url), httpx.Client(base_url=url) as http:
        assert tls_url is None
        answers = [http.get(op.path, params={"size": size}) for size in (1, 20)]
    models = [page.model_validate(answer.json()) for answer in answers]
    assert [len(model.contents) for model in models] == [1, 20]  # type: ignore[attr-defined]
