"""Tool descriptions as tools/list shows them: operator words from the glossary, the engine named,
look-alikes told apart, no boilerplate, within the size clients accept."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from mcp import types

from scp_mcp.catalog import load_catalog

pytestmark = pytest.mark.anyio

CATALOG = load_catalog()
OPENAI_CAP = 1024  # characters per description
AIM = 300
MAX_TOOLS_PER_SENTENCE = 3  # a sentence shared by more tools than this is boilerplate
APPROX_TOKENS_PER_TOOL = 90  # name + title + description, characters / 4 (as bench/tool_surface.py counts)
APPROX_TOKENS_ALL = 6500


@pytest.mark.parametrize(
    ("tool", "description"),
    [
        (
            "eventstreams_stop_cluster",
            "Stop (shut down, pause) a running Kafka cluster in Event Streams (managed Apache Kafka); data and "
            "settings are kept for a later start. To delete it for good use eventstreams_terminate_cluster.",
        ),
        (
            "searchengine_terminate_cluster",
            "Terminate an OpenSearch cluster of Search Engine (managed OpenSearch/Elasticsearch): delete it "
            "permanently with its data (tear down, decommission). To pause it and keep the data use "
            "searchengine_stop_cluster.",
        ),
        (
            "vertica_show_request",
            "Check the progress (status) of a change request sent to Vertica (managed Vertica analytics database), "
            "by its request id. For the Vertica database cluster itself use vertica_show_cluster.",
        ),
        (
            "dataflow_delete_service",
            "Delete a Data Flow Service (one NiFi service instance on a Data Flow) of Data Flow (managed Apache NiFi). "
            "To remove the whole NiFi platform use dataflow_delete_data_flow.",
        ),
        (
            "dataops_check_service_update_resources",
            "Before resizing an existing Airflow service, check there is enough CPU and memory, in Data Ops "
            "(managed Apache Airflow). Before creating one use dataops_check_service_create_resources.",
        ),
        (
            "quickquery_list",
            "List the Quick Query (Trino/Presto) SQL query engines of Quick Query (managed Trino).",
        ),
    ],
)
async def test_some_descriptions_spelled_out(listed: dict[str, types.Tool], tool: str, description: str) -> None:
    assert listed[tool].description == description


async def test_every_description_names_its_engine(listed: dict[str, types.Tool]) -> None:
    for op in CATALOG.operations:
        glossary = CATALOG.services[op.service].glossary
        assert glossary is not None
        assert glossary.display in (listed[op.tool_name].description or ""), op.tool_name


async def test_descriptions_fit_every_client(listed: dict[str, types.Tool]) -> None:
    for tool in listed.values():
        text = tool.description or ""
        assert 40 <= len(text) <= AIM, (tool.name, len(text))
        assert len(text) <= OPENAI_CAP


async def test_no_sentence_is_boilerplate(listed: dict[str, types.Tool]) -> None:
    sentences = Counter(
        sentence for tool in listed.values() for sentence in set(re.split(r"(?<=\.) ", tool.description or ""))
    )
    repeated = {s: n for s, n in sentences.items() if n > MAX_TOOLS_PER_SENTENCE}
    assert not repeated


async def test_nothing_the_annotations_or_meta_carry(listed: dict[str, types.Tool]) -> None:
    said_elsewhere = re.compile(
        r"read-only|destructive|disruptive|irreversible|confirm|wait_seconds|asynchronous|API version",
        re.IGNORECASE,
    )
    wire = re.compile(r"\b(GET|POST|PUT|DELETE)\b|/v1/")
    for tool in listed.values():
        assert not said_elsewhere.search(tool.description or ""), tool.name
        assert not wire.search(tool.description or ""), tool.name


async def test_look_alikes_point_at_each_other(listed: dict[str, types.Tool]) -> None:
    pairs = [
        ("stop_cluster", "terminate_cluster"),
        ("show_cluster", "show_request"),
        ("set_server_type", "add_instances"),
    ]
    for prefix in ("eventstreams", "searchengine", "vertica"):
        for a, b in pairs:
            if f"{prefix}_{a}" in listed and f"{prefix}_{b}" in listed:
                assert f"{prefix}_{b}" in (listed[f"{prefix}_{a}"].description or "")
                assert f"{prefix}_{a}" in (listed[f"{prefix}_{b}"].description or "")
    for prefix, platform in (("dataflow", "data_flow"), ("dataops", "data_ops")):
        for verb in ("create", "delete"):
            one, other = f"{prefix}_{verb}_{platform}", f"{prefix}_{verb}_service"
            assert other in (listed[one].description or "")
            assert one in (listed[other].description or "")
        create, update = f"{prefix}_check_service_create_resources", f"{prefix}_check_service_update_resources"
        assert update in (listed[create].description or "")
        assert create in (listed[update].description or "")
        names = f"{prefix}_check_{platform}_name", f"{prefix}_check_service_name"
        assert names[1] in (listed[names[0]].description or "")
        assert names[0] in (listed[names[1]].description or "")


async def test_size_of_what_the_assistant_reads(listed: dict[str, types.Tool]) -> None:
    """Upper bounds only: name + title + description per tool and for the whole list, in approximate
    tokens (bench/tool_choice.py reports the exact o200k counts)."""
    per_tool = {t.name: (len(t.name) + len(t.title or "") + len(t.description or "")) / 4 for t in listed.values()}
    assert max(per_tool.values()) <= APPROX_TOKENS_PER_TOOL, max(per_tool, key=per_tool.__getitem__)
    assert sum(per_tool.values()) <= APPROX_TOKENS_ALL
