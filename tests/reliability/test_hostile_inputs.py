"""Hostile and schema-breaking arguments, generated for every tool, through a real MCP client: the answer
is an ``isError`` naming the field (nothing sent) when the value breaks the schema or cannot be an id,
and whatever the answer, it is small, free of raw control characters, and no request leaves its path
template (checked on the sandbox's request log)."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mcp import types

from scp_mcp.catalog import load_catalog
from scp_mcp.client.request import MAX_PARAM_CHARS, path_names
from scp_mcp.tools.operator import OPERATOR_TOOLS
from tests.reliability.conftest import Session
from tests.reliability.wire import since, strays
from tests.support.fleet import hints
from tests.support.schema_args import arguments

TOOLS = tuple(op.tool_name for op in load_catalog().operations) + OPERATOR_TOOLS
MAX_TEXT = 2048
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
RAW_CONTROL_OR_NEWLINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
STATS: Counter[str] = Counter()

ID_TRICKS = [".", "..", "", " ", "%2F", "%2F..", "a/../b", "../../v1/clusters", "?", "#", "a?b=c#d", "..%2F..", "\\"]
CONTROL_TEXT = ["\x1b[31mred\x1b[0m", "line\r\nInjected-Header: 1", "\x00nul", "\u202egnp.exe", "\x7f\x9b2J", "\t\v\f"]


def _nested(depth: int) -> Any:
    value: Any = "deep"
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


hostile_text = st.one_of(
    st.sampled_from(ID_TRICKS + CONTROL_TEXT),
    st.text(st.characters(categories=["Cc", "Cf", "Po", "Sm", "Zs"]), min_size=1, max_size=40),
    st.builds(
        lambda unit, count: unit * count,
        st.sampled_from(["x", "\x1b[2J", "/", ".", "é", "\r\n", "%"]),
        st.integers(MAX_PARAM_CHARS // 2, 120_000),
    ),
)
wrong_types = st.one_of(
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=8), st.integers(), max_size=3),
    st.integers(20, 120).map(_nested),  # deeper than ~250 the MCP client itself cannot serialise it
)


@pytest.fixture(scope="module", autouse=True)
def _write_stats() -> Iterator[None]:
    """SCP_MCP_RELIABILITY_STATS=FILE: the outcome counts of this run, for docs/RELIABILITY.md."""
    yield
    target = os.environ.get("SCP_MCP_RELIABILITY_STATS")
    if target:
        with open(target, "w", encoding="utf-8") as out:
            json.dump(dict(STATS), out, indent=1, sort_keys=True)


def test_every_listed_tool_is_tried(session: Session) -> None:
    listed = session.portal.call(session.client.list_tools)
    assert {tool.name for tool in listed.tools} == set(TOOLS)


@pytest.mark.parametrize("tool", TOOLS)
@settings(settings.get_profile("reliability"))
@given(data=st.data())
def test_hostile_arguments(session: Session, tool: str, data: st.DataObject) -> None:
    schema = _schema(session, tool)
    base = _base_arguments(session, tool, schema)
    field = data.draw(st.sampled_from([*schema.get("properties", {}), "\x1b[31mx\r\n" + "k" * 300]), label="field")
    value = data.draw(st.one_of(hostile_text, wrong_types), label="value")
    args = {**base, field: value}
    before = session.stack.sandbox.received.total
    result = session.portal.call(session.client.call_tool, tool, args)
    new = since(session.stack.sandbox.received, before)
    text = _text(result)

    assert strays(new, tool) == [], text
    if result.is_error:
        assert len(text) < MAX_TEXT, text[:300]
        assert not RAW_CONTROL_OR_NEWLINE.search(text), text
        assert len(json.dumps(result.structured_content)) < 2 * MAX_TEXT
    else:
        assert not RAW_CONTROL.search(text), text
    refused = _refused(tool, schema, base, field, value)
    STATS["calls"] += 1
    STATS["errors" if result.is_error else "answered"] += 1
    STATS["refused, nothing sent" if refused else "accepted by the schema"] += 1
    if refused:
        assert result.is_error, text
        assert _visible(field)[:40] in text, text
        assert new == [], [f"{r.method} {r.path}" for r in new]


def _refused(tool: str, schema: dict[str, Any], base: dict[str, Any], field: str, value: Any) -> bool:
    """Whether the value must be refused before anything is sent: it breaks the advertised schema, or it
    cannot be a path segment (or fit in a URL)."""
    validator = jsonschema.Draft202012Validator(schema)
    if validator.is_valid(base) and not any(validator.is_valid({**base, field: v}) for v in _lax_readings(value)):
        return True
    op = load_catalog().get(tool)
    if op is None or not isinstance(value, str):
        return False
    if field in path_names(op):
        return value.strip() in ("", ".", "..") or "/" in value or "\\" in value or len(value) > MAX_PARAM_CHARS
    in_query = any(p.name == field for v in op.versions.values() for p in v.params_in("query"))
    return in_query and len(value) > MAX_PARAM_CHARS


def _lax_readings(value: Any) -> list[Any]:
    """The value, and how pydantic's lax mode (which the SDK validates in) may read it: a boolean as 0/1
    where a number goes, 0/1 as a boolean."""
    readings = [value]
    if isinstance(value, bool):
        readings.append(int(value))
    elif isinstance(value, int | float) and value in (0, 1):
        readings.append(bool(value))
    return readings


_SCHEMAS: dict[str, dict[str, Any]] = {}


def _schema(session: Session, tool: str) -> dict[str, Any]:
    if not _SCHEMAS:
        listed = session.portal.call(session.client.list_tools)
        _SCHEMAS.update({t.name: t.input_schema for t in listed.tools})
    return _SCHEMAS[tool]


def _base_arguments(session: Session, tool: str, schema: dict[str, Any]) -> dict[str, Any]:
    op = load_catalog().get(tool)
    return arguments(schema, hints(session.stack.sandbox, op)) if op is not None else {}


def _text(result: types.CallToolResult) -> str:
    return "".join(block.text for block in result.content if isinstance(block, types.TextContent))


def _visible(name: str) -> str:
    """The field's name as an error shows it: control characters written out."""
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return "".join(named.get(c, f"\\x{ord(c):02x}") if RAW_CONTROL_OR_NEWLINE.match(c) else c for c in name)
