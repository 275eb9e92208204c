"""The catalog holds every documented operation, version, method and path of the reference."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from scp_mcp.catalog import SERVICE_ORDER, load_catalog

SEED = Path(__file__).resolve().parents[2] / "reference" / "seeds" / "000_a654bf60b90d6dd0.txt"
CATALOG = load_catalog()


def seed_operation_versions() -> list[tuple[str, str, str]]:
    """(host prefix, METHOD, path) per operation-version, read straight from the text, in order."""
    out, host = [], ""
    for line in SEED.read_text(encoding="utf-8").splitlines():
        url = re.match(r"^https://([a-z-]+)\.\{region\}", line)
        if url:
            host = url.group(1)
        m = re.match(r"^(get|post|put|delete|patch) (/\S+)$", line)
        if m:
            out.append((host, m.group(1).upper(), m.group(2)))
    return out


def test_six_services_in_the_documented_order() -> None:
    assert tuple(CATALOG.services) == SERVICE_ORDER


@pytest.mark.parametrize(
    ("service", "operations", "versions"),
    [
        ("data-flow", 17, 34),
        ("data-ops", 17, 34),
        ("eventstreams", 23, 23),
        ("quick-query", 12, 24),
        ("searchengine", 24, 24),
        ("vertica", 23, 23),
    ],
)
def test_operation_and_version_counts(service: str, operations: int, versions: int) -> None:
    ops = CATALOG.services[service].operations
    assert len(ops) == operations
    assert sum(len(op.versions) for op in ops) == versions


def test_totals_match_the_mission() -> None:
    assert len(CATALOG.operations) == 116
    assert sum(len(op.versions) for op in CATALOG.operations) == 162
    schemas = [s for svc in CATALOG.services.values() for s in svc.schemas.values()]
    assert len(schemas) == 190
    assert sum(len(s["properties"]) for s in schemas) == 1224


def test_every_operation_version_has_the_documented_method_and_path() -> None:
    documented = sorted(seed_operation_versions())
    compiled = sorted((op.service, op.method, op.path) for op in CATALOG.operations for _ in op.versions)
    assert compiled == documented


def test_each_operation_has_exactly_one_current_version() -> None:
    for op in CATALOG.operations:
        current = [v for v in op.versions.values() if v.lifecycle == "CURRENT"]
        assert [v.version for v in current] == [op.current_version], op.name


@pytest.mark.parametrize("service", ["data-flow", "data-ops", "quick-query"])
def test_version_1_0_is_supported_until_july_2026_where_1_1_is_current(service: str) -> None:
    for op in CATALOG.services[service].operations:
        assert op.current_version == "1.1"
        old = op.version("1.0")
        assert old.lifecycle == "SUPPORTED"
        assert old.supported_until == date(2026, 7, 1)
        assert old.is_past_support(date(2026, 11, 27))
        assert not op.current.is_past_support(date(2026, 11, 27))


def test_api_version_header_names_the_host_prefix_and_version() -> None:
    for op in CATALOG.operations:
        for v in op.versions.values():
            assert v.api_version == f"{op.service} {v.version}"


def test_unknown_version_is_refused_with_the_documented_ones() -> None:
    op = CATALOG.services["data-flow"].operation("ShowDataFlow")
    with pytest.raises(KeyError, match=r"documented: 1\.1, 1\.0"):
        op.version("2.0")


def test_regions_list_the_seven_documented_environment_region_pairs() -> None:
    expected = {
        ("s", "kr-west1"), ("s", "kr-east1"), ("g", "kr-south1"), ("g", "kr-south2"),
        ("g", "kr-south3"), ("e", "kr-west1"), ("e", "kr-east1"),
    }  # fmt: skip
    for svc in CATALOG.services.values():
        assert set(svc.regions) == expected


def test_tool_names_are_unique_prefixed_snake_case_and_short() -> None:
    names = [op.tool_name for op in CATALOG.operations]
    assert len(set(names)) == 116
    prefixes = ("dataflow_", "dataops_", "eventstreams_", "quickquery_", "searchengine_", "vertica_")
    for name in names:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", name)
        assert len(name) <= 64
        assert name.startswith(prefixes)


def test_records_are_read_only() -> None:
    op = CATALOG.operations[0]
    with pytest.raises(AttributeError):
        op.name = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        op.versions["9.9"] = op.current  # type: ignore[index]


def seed_models() -> dict[tuple[str, str], dict[str, bool]]:
    """{(host, model): {field: required}} read straight from the text: a field is a line followed by
    'required' or 'optional' inside a numbered '<service>.2.<n> - <Model>' section."""
    out: dict[tuple[str, str], dict[str, bool]] = {}
    host, current = "", None
    lines = SEED.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        url = re.match(r"^https://([a-z-]+)\.\{region\}", line)
        if url:
            host = url.group(1)
        heading = re.match(r"^\d+\.(\d+)(?:\.\d+)* - (.+)$", line)
        if heading:
            is_model = heading.group(1) == "2" and line.count(".") == 2
            current = out.setdefault((host, heading.group(2)), {}) if is_model else None
        elif current is not None and line in ("required", "optional") and lines[i - 1].strip():
            current[lines[i - 1].strip()] = line == "required"
    return out


def test_every_model_has_the_documented_fields_and_required_flags() -> None:
    documented = seed_models()
    assert len(documented) == 190
    for (host, name), fields in documented.items():
        schema = CATALOG.services[host].schemas[name]
        assert list(schema["properties"]) == list(fields), f"{host}:{name}"
        assert set(schema.get("required", [])) == {f for f, req in fields.items() if req}, f"{host}:{name}"


# Siblings: decided once, in the catalog, for every operation; a few spelled out here.
SIBLINGS = {
    "eventstreams_terminate_cluster": (
        "eventstreams_list_clusters",
        "eventstreams_show_cluster",
        "eventstreams_show_request",
    ),
    "vertica_create_cluster": ("vertica_list_clusters", "vertica_show_cluster", "vertica_show_request"),
    "dataflow_delete_data_flow": ("dataflow_list_data_flows", "dataflow_show_data_flow", None),
    "quickquery_create": ("quickquery_list", "quickquery_show", None),
    "eventstreams_set_block_storage_size": (None, None, "eventstreams_show_request"),
    "eventstreams_list_clusters": (None, None, None),
    "eventstreams_show_cluster": ("eventstreams_list_clusters", None, None),
}


@pytest.mark.parametrize(("tool", "expected"), sorted(SIBLINGS.items()))
def test_an_operations_list_show_and_request_siblings_are_catalog_data(
    tool: str, expected: tuple[str | None, str | None, str | None]
) -> None:
    op = CATALOG.by_tool_name(tool)
    found = tuple(getattr(CATALOG.sibling(op, kind), "tool_name", None) for kind in ("list", "show", "request_status"))
    assert found == expected


def test_every_sibling_is_a_get_of_the_same_service_and_never_the_operation_itself() -> None:
    for op in CATALOG.operations:
        for kind in ("list", "show", "request_status"):
            other = CATALOG.sibling(op, kind)  # type: ignore[arg-type]
            if other is not None:
                assert (other.service, other.method) == (op.service, "GET"), (op.tool_name, kind)
                assert other is not op


def test_guarded_and_async_operations_can_look_at_their_target() -> None:
    unseen = {"block_storage_group", "instance_group"}  # the reference documents no GET for these
    for op in CATALOG.operations:
        if op.guarded and op.resource and op.resource.kind not in unseen:
            assert op.siblings.show is not None, op.tool_name
        if op.async_kind == "request":
            assert op.siblings.request_status is not None, op.tool_name


@pytest.mark.parametrize(
    ("tool", "status"),
    [
        ("dataflow_show_data_flow", 400),
        ("dataops_delete_service", 400),
        ("eventstreams_show_request", 400),
        ("vertica_show_request", 400),
        ("eventstreams_show_cluster", 404),
        ("quickquery_show", 404),
        ("eventstreams_list_clusters", None),
    ],
)
def test_what_scp_answers_for_a_missing_id_is_catalog_data(tool: str, status: int | None) -> None:
    assert CATALOG.by_tool_name(tool).missing_id_status == status


def test_every_service_shares_one_state_vocabulary() -> None:
    vocabulary = CATALOG.services["eventstreams"].states
    assert all(svc.states == vocabulary for svc in CATALOG.services.values())
    assert "COMPLETED" in vocabulary.request_done
    assert "ERROR" in vocabulary.failed
    moving = [vocabulary.is_moving(s) for s in ("CREATING", "RUNNING", "UNKNOWN", "STOPPED")]
    assert moving == [True, False, True, False]


def test_the_change_that_reaches_a_state_is_catalog_data() -> None:
    states = CATALOG.services["vertica"].states
    assert [
        states.change_to(t, c) for t, c in (("RUNNING", "STOPPED"), ("RUNNING", "ERROR"), ("STOPPED", "RUNNING"))
    ] == [
        "start",
        "restart",
        "stop",
    ]
    assert states.change_to("CREATING", "RUNNING") is None
    assert "TERMINATED" in states.stopped
