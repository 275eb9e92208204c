"""glossary.toml compiled into the specs: every operation has its words, placeholders resolve, and a
glossary that names something that does not exist fails the compile."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from scp_mcp.catalog import load_catalog, load_spec
from scp_mcp.catalog.glossary import GlossaryError, apply_glossary, load_glossary

CATALOG = load_catalog()


def specs() -> dict[str, dict[str, Any]]:
    return {host: load_spec(host) for host in CATALOG.services}


def test_every_service_and_operation_has_its_words() -> None:
    for service in CATALOG.services.values():
        glossary = service.glossary
        assert glossary is not None
        assert glossary.display == f"{glossary.name} ({glossary.engine})"
        assert glossary.synonyms
        for op in service.operations:
            assert glossary.display in op.summary, op.tool_name
            assert "{" not in op.summary + (op.choose or ""), op.tool_name
            if op.choose:
                assert any(other.tool_name in op.choose for other in service.operations), op.tool_name


def test_engines_by_their_common_names() -> None:
    displays = {host: svc.glossary.display for host, svc in CATALOG.services.items() if svc.glossary}
    assert displays == {
        "data-flow": "Data Flow (managed Apache NiFi)",
        "data-ops": "Data Ops (managed Apache Airflow)",
        "eventstreams": "Event Streams (managed Apache Kafka)",
        "quick-query": "Quick Query (managed Trino)",
        "searchengine": "Search Engine (managed OpenSearch/Elasticsearch)",
        "vertica": "Vertica (managed Vertica analytics database)",
    }


def test_a_note_naming_a_tool_the_service_lacks_is_left_out_there() -> None:
    # Event Streams has no backups: Create Cluster's "restore from a backup" note is not shown there.
    assert CATALOG.by_tool_name("eventstreams_create_cluster").choose is None
    assert "searchengine_create_restore_cluster" in (CATALOG.by_tool_name("searchengine_create_cluster").choose or "")


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda g: g["operation"].pop("Stop Cluster"), "no summary"),
        (lambda g: g["operation"].update({"Nonexistent Op": {"summary": "{service}"}}), "match no operation"),
        (lambda g: g["operation"]["Stop Cluster"].update(choose="use {@no_such_tool}."), "no service has a tool"),
        (lambda g: g["operation"]["Stop Cluster"].update(summary="Stop {a widget} in {service}."), "no resource"),
        (lambda g: g["operation"]["Stop Cluster"].update(summary="Stop a cluster."), "must name"),
        (lambda g: g["service"].pop("vertica"), "no [service.vertica]"),
    ],
)
def test_a_glossary_that_does_not_fit_fails(change: Any, says: str) -> None:
    glossary = copy.deepcopy(load_glossary())
    change(glossary)
    with pytest.raises(GlossaryError, match=says.replace("[", r"\[").replace(".", r"\.")):
        apply_glossary(specs(), glossary)
