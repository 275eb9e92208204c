"""The capability matrix is derived from the catalog's operations: a capability's tools are the
service's own, and the text form says what each service cannot do and what to do instead."""

from __future__ import annotations

from scp_mcp.catalog import load_catalog
from scp_mcp.catalog.capabilities import capabilities, capability, describe_service
from scp_mcp.catalog.classify import CAPABILITIES


def test_every_service_has_every_capability_row_in_the_rules_order() -> None:
    keys = [rule["key"] for rule in CAPABILITIES]
    for host in load_catalog().services:
        assert [c.key for c in capabilities(host)] == keys


def test_a_capabilitys_tools_are_operations_of_that_service() -> None:
    cat = load_catalog()
    for host in cat.services:
        for cap in capabilities(host):
            for tool in cap.tools:
                op = cat.by_tool_name(tool)
                assert op.service == host, (host, cap.key, tool)


def test_the_changes_are_the_right_kind_of_operation() -> None:
    cat = load_catalog()
    assert {cat.by_tool_name(t).risk for t in capability("searchengine", "restart").tools} == {"disruptive"}
    assert {cat.by_tool_name(t).risk for t in capability("vertica", "delete").tools} == {"destructive"}
    assert {cat.by_tool_name(t).risk for t in capability("data-flow", "name_check").tools} == {"read"}


def test_the_text_form_lists_what_cannot_be_done_with_what_instead() -> None:
    text = describe_service("vertica")
    can, cannot = text.split("cannot (the API has no operation for it):")
    assert "vertica_set_backup" in can
    assert "add nodes (scale out)" in cannot
    rows = [line for line in cannot.splitlines() if "instead:" in line]
    assert rows, "every missing capability says what to do instead"
    assert not [line for line in rows if line.rstrip().endswith(" instead")], "no 'instead: ... instead'"
