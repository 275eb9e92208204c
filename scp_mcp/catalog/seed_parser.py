"""Parse the SCP API reference text (the seed) into plain records.

The reference is a flattened HTML document: numbered section headings, and tables whose cells
were concatenated without separators ("pathcluster_id", "stringNone", "200OKSomeModel"). This
module undoes that flattening and nothing more; corrections and classification happen later.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

HEADING = re.compile(r"^(\d+(?:\.\d+)*) - (.+)$")
METHOD_LINE = re.compile(r"^(get|post|put|delete|patch) (/\S*)$")
STATE_LINE = re.compile(r"^상태 (\w+) \((CURRENT|SUPPORTED)\)$")
VERSION_ROW = re.compile(r"^(\d+\.\d+)(-|\d{8})$")
RESPONSE_ROW = re.compile(
    r"^(\d{3})(OK|Created|Accepted|No Content|Bad Request|Unauthorized|Forbidden|Not Found|Conflict|"
    r"Too Many Requests|Internal Server Error|Service Unavailable)(.*)$"
)
CONSTRAINT = re.compile(r"^(Minimum length|Maximum length|Minimum|Maximum|Pattern) : (.*)$")
PARAM_LOCATION = re.compile(r"^(header|path|query|body)(.+)$")
ENV_REGION = re.compile(r"^([sge])(kr-[a-z]+\d)$")
# A model name, without a glued "None" default (no model name ends in "None").
MODEL_NAME = re.compile(r"([A-Z][A-Za-z0-9_]*?)(?=None$|[\],]|$)")
PRIMITIVES = ("string", "integer", "number", "boolean", "object", "null")


class SeedFormatError(ValueError):
    """The seed text does not have the shape this parser understands."""


@dataclass
class RawField:
    name: str
    required: bool
    description: str
    example: str | None
    constraints: dict[str, str]
    type_expr: Any  # parsed schema expression, see parse_type
    default: str | None
    location: str | None = None  # header/path/query/body for parameters


@dataclass
class RawVersion:
    version: str
    method: str
    path: str
    description: str
    state: str
    lifecycle: str
    supported_until: str | None
    params: list[RawField]
    body_model: str | None
    responses: list[tuple[int, str, str | None]]
    request_example: Any
    response_examples: dict[int, Any]
    api_version_header: str | None


@dataclass
class RawOperation:
    number: str
    name: str
    versions: list[RawVersion] = field(default_factory=list)


@dataclass
class RawService:
    number: str
    title: str
    host_prefix: str
    overview: str
    version_table: list[tuple[str, str, str]]
    regions: list[tuple[str, str]]
    operations: list[RawOperation]
    models: dict[str, list[RawField]]


def _sections(lines: list[str]) -> list[tuple[str, str, list[str]]]:
    """Split into (number, title, body lines) at every numbered heading."""
    out: list[tuple[str, str, list[str]]] = []
    for line in lines:
        m = HEADING.match(line)
        if m:
            out.append((m.group(1), m.group(2).strip(), []))
        elif out:
            out[-1][2].append(line)
    return out


def parse_seed(text: str) -> list[RawService]:
    sections = _sections(text.splitlines())
    services: list[RawService] = []
    for number, title, body in sections:
        depth = number.count(".")
        if depth == 0:
            services.append(_parse_service_preamble(number, title, body))
            continue
        service = services[-1]
        kind = _kind_of(number, sections)
        if depth == 2 and kind == "APIs":
            service.operations.append(RawOperation(number, title))
        elif depth == 3 and kind == "APIs":
            service.operations[-1].versions.append(_parse_version(title, body, f"{number} {title}"))
        elif depth == 2 and kind == "Models":
            service.models[title] = _parse_fields(_table_body(body, "NameDescriptionSchemaDefault"))
    return services


def _kind_of(number: str, sections: list[tuple[str, str, list[str]]]) -> str:
    prefix = ".".join(number.split(".")[:2])
    for num, title, _ in sections:
        if num == prefix:
            return title
    raise SeedFormatError(f"no parent section for {number}")


def _parse_service_preamble(number: str, title: str, body: list[str]) -> RawService:
    host = next((m.group(1) for line in body if (m := re.match(r"^https://([a-z-]+)\.\{region\}", line))), None)
    if host is None:
        raise SeedFormatError(f"service {title}: no OpenAPI URL")
    overview = _between(body, "Overview", "Version")
    table = _between(body, "VersionStatusSupported Until", "OpenAPI URL")
    versions = []
    for row in table:
        m = re.match(r"^(\d+\.\d+)(CURRENT|SUPPORTED|DEPRECATED)(.*)$", row)
        if m:
            versions.append((m.group(1), m.group(2), m.group(3)))
    regions = [(m.group(1), m.group(2)) for line in body if (m := ENV_REGION.match(line))]
    return RawService(number, title, host, "\n".join(overview).strip(), versions, regions, [], {})


def _between(body: list[str], start: str, stop: str) -> list[str]:
    try:
        i = body.index(start)
    except ValueError:
        return []
    out = []
    for line in body[i + 1 :]:
        if line == stop:
            break
        if line.strip():
            out.append(line)
    return out


def _index(body: list[str], marker: str, where: str, start: int = 0) -> int:
    try:
        return body.index(marker, start)
    except ValueError:
        raise SeedFormatError(f"{where}: missing '{marker}'") from None


def _parse_version(version: str, body: list[str], where: str) -> RawVersion:
    lines = list(body)
    first = next(line for line in lines if line.strip())
    m = METHOD_LINE.match(first)
    if not m:
        raise SeedFormatError(f"{where}: no method line")
    i_desc = _index(lines, "Description", where)
    i_state = next(i for i, line in enumerate(lines) if STATE_LINE.match(line))
    description = " ".join(s.strip() for s in lines[i_desc + 1 : i_state] if s.strip())
    state_m = STATE_LINE.match(lines[i_state])
    assert state_m
    row = next(VERSION_ROW.match(line) for line in lines[i_state:] if VERSION_ROW.match(line))
    assert row
    i_resp = _index(lines, "Responses", where)
    i_params = lines.index("Parameters") if "Parameters" in lines[:i_resp] else i_resp
    i_example = _index(lines, "Example HTTP request", where, i_resp)
    fields = _parse_fields(_table_body(lines[i_params:i_resp], "TypeNameDescriptionSchemaDefault"), True)
    params = [f for f in fields if f.location != "body"]
    body_fields = [f for f in fields if f.location == "body"]
    body_model = body_fields[0].type_expr[1] if body_fields else None
    responses = [
        _parse_response_row(line, where)
        for line in _table_body(lines[i_resp:i_example], "HTTP CodeDescriptionSchema")
        if line.strip()
    ]
    tail = lines[i_example:]
    return RawVersion(
        version=version,
        method=m.group(1).upper(),
        path=m.group(2),
        description=description,
        state=state_m.group(1),
        lifecycle=state_m.group(2),
        supported_until=None if row.group(2) == "-" else row.group(2),
        params=params,
        body_model=body_model,
        responses=responses,
        request_example=_json_after(tail, "Request body"),
        response_examples=_response_examples(tail),
        api_version_header=next(
            (h.group(1) for line in tail if (h := re.match(r'^"Scp-Api-Version = (.+)"$', line))), None
        ),
    )


def _parse_response_row(line: str, where: str) -> tuple[int, str, str | None]:
    m = RESPONSE_ROW.match(line)
    if not m:
        raise SeedFormatError(f"{where}: unreadable response row {line!r}")
    schema = m.group(3).strip()
    return int(m.group(1)), m.group(2), None if schema in ("", "None") else schema


def _json_after(lines: list[str], marker: str) -> Any:
    if marker not in lines:
        return None
    return _read_json(lines[lines.index(marker) + 1 :])


def _read_json(lines: list[str]) -> Any:
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None or lines[start].strip()[:1] not in ("{", "["):
        return None
    decoder = json.JSONDecoder()
    text = "\n".join(lines[start:])
    value, _ = decoder.raw_decode(text)
    return value


def _response_examples(lines: list[str]) -> dict[int, Any]:
    out: dict[int, Any] = {}
    for i, line in enumerate(lines):
        m = re.match(r"^Response (\d{3})$", line)
        if m:
            out[int(m.group(1))] = _read_json(_until_next_response(lines[i + 1 :]))
    return out


def _until_next_response(lines: list[str]) -> list[str]:
    for i, line in enumerate(lines):
        if re.match(r"^Response \d{3}$", line):
            return lines[:i]
    return lines


def _table_body(lines: list[str], header: str) -> list[str]:
    if header not in lines:
        return []
    return lines[lines.index(header) + 1 :]


def _parse_fields(lines: list[str], in_params: bool = False) -> list[RawField]:
    starts = [i for i in range(1, len(lines)) if lines[i] in ("required", "optional") and lines[i - 1].strip()]
    fields = []
    for n, i in enumerate(starts):
        end = starts[n + 1] - 1 if n + 1 < len(starts) else len(lines)
        fields.append(_parse_field(lines[i - 1], lines[i] == "required", lines[i + 1 : end], in_params))
    return fields


def _parse_field(name_line: str, required: bool, span: list[str], in_params: bool) -> RawField:
    location = None
    name = name_line.strip()
    loc = PARAM_LOCATION.match(name) if in_params else None
    if loc:
        location, name = loc.group(1), loc.group(2)
    content = [s for s in span if s.strip()] if location == "body" else span
    while content and not content[-1].strip():
        content = content[:-1]
    if not content:
        raise SeedFormatError(f"field {name}: no schema")
    type_expr, default = parse_type_and_default(content[-1].strip())
    example_i = next((k for k, s in enumerate(content) if s.startswith("Example :")), None)
    desc_lines = content[: example_i if example_i is not None else len(content) - 1]
    constraints: dict[str, str] = {}
    for s in content[(example_i + 1 if example_i is not None else len(content) - 1) : -1]:
        c = CONSTRAINT.match(s)
        if not c:
            raise SeedFormatError(f"field {name}: unexpected line {s!r}")
        constraints[c.group(1)] = c.group(2)
    example = content[example_i][len("Example :") :].strip() if example_i is not None else None
    description = " ".join(s.strip() for s in desc_lines if s.strip())
    return RawField(name, required, description, example, constraints, type_expr, default, location)


# --- schema expressions -------------------------------------------------------------------
# A schema cell is one of: a primitive ("string", "string (date-time)"), "array[X]",
# "any of [X, Y]", "enum (A, B)", or a model name; the Default cell follows with no separator.


def parse_type_and_default(cell: str) -> tuple[Any, str | None]:
    expr, rest = _parse_type(cell, 0)
    default = cell[rest:]
    return expr, (None if default in ("", "None") else default)


def _parse_type(s: str, i: int) -> tuple[Any, int]:
    if s.startswith("any of [", i):
        return _parse_list(s, i + len("any of ["), "anyOf")
    if s.startswith("array[", i):
        item, j = _parse_type(s, i + len("array["))
        if s[j : j + 1] != "]":
            raise SeedFormatError(f"unclosed array in {s!r}")
        return ("array", item), j + 1
    if s.startswith("enum (", i):
        j = s.index(")", i)
        values = [v.strip() for v in s[i + len("enum (") : j].split(", ")]
        return ("enum", tuple(values)), j + 1
    for prim in PRIMITIVES:
        if s.startswith(prim, i):
            j = i + len(prim)
            fmt = re.match(r" \(([a-z-]+)\)", s[j:])
            if fmt:
                return ("prim", prim, fmt.group(1)), j + fmt.end()
            return ("prim", prim, None), j
    m = MODEL_NAME.match(s, i)
    if not m:
        raise SeedFormatError(f"unreadable schema {s!r} at {i}")
    return ("ref", m.group(1)), m.end(1)


def _parse_list(s: str, i: int, kind: str) -> tuple[Any, int]:
    items = []
    while True:
        item, i = _parse_type(s, i)
        items.append(item)
        if s.startswith(", ", i):
            i += 2
            continue
        if s[i : i + 1] == "]":
            return (kind, tuple(items)), i + 1
        raise SeedFormatError(f"unreadable list in {s!r} at {i}")
