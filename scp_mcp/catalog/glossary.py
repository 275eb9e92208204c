"""Apply glossary.toml to compiled specs: how operators name each service, resource and operation.

The service part goes into ``info["x-scp-glossary"]``; each operation gets ``x-scp-summary`` (what it
does, naming the engine) and ``x-scp-choose`` (when to use it rather than a look-alike, or null).
Placeholders are filled here, once; a placeholder, operation or tool that does not exist fails. A
``choose`` naming a tool its service lacks (Event Streams has no backups) is left out for that service.
"""

from __future__ import annotations

import re
import tomllib
from functools import partial
from pathlib import Path
from typing import Any

GLOSSARY_FILE = Path(__file__).with_name("glossary.toml")
_PLACEHOLDER = re.compile(r"\{(@|a )?([a-z_]+)\}")


class GlossaryError(ValueError):
    """The glossary misses an operation, names something that does not exist, or is malformed."""


class _NotHere(LookupError):
    """A tool the text refers to exists in another service, not in this one."""


def load_glossary(path: Path = GLOSSARY_FILE) -> dict[str, Any]:
    data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    if set(data) != {"service", "operation"}:
        raise GlossaryError(f"glossary tables must be [service.*] and [operation.*], not {sorted(data)}")
    return data


def display_name(entry: dict[str, Any]) -> str:
    return f"{entry['name']} ({entry['engine']})"


def apply_glossary(specs: dict[str, dict[str, Any]], glossary: dict[str, Any]) -> None:
    used: set[str] = set()
    actions = {
        op["operationId"].removeprefix(spec["info"]["x-scp-tool-prefix"] + "_")
        for spec in specs.values()
        for methods in spec["paths"].values()
        for op in methods.values()
    }
    for host, spec in specs.items():
        entry = glossary["service"].get(host)
        if entry is None:
            raise GlossaryError(f"glossary has no [service.{host}]")
        info = spec["info"]
        info["x-scp-glossary"] = {
            "name": entry["name"],
            "engine": entry["engine"],
            "display": display_name(entry),
            "synonyms": list(entry["synonyms"]),
            "resources": dict(entry["resources"]),
        }
        prefix = info["x-scp-tool-prefix"]
        tools = {op["operationId"] for methods in spec["paths"].values() for op in methods.values()}
        for methods in spec["paths"].values():
            for op in methods.values():
                name = op["x-scp-operation"]
                texts = glossary["operation"].get(name)
                if texts is None or "summary" not in texts:
                    raise GlossaryError(f"glossary has no summary for {host} {name!r}")
                used.add(name)

                fill = partial(_fill, entry=entry, prefix=prefix, tools=tools, actions=actions, where=f"{host} {name}")
                op["x-scp-summary"] = fill(texts["summary"])
                try:
                    op["x-scp-choose"] = fill(texts["choose"]) if "choose" in texts else None
                except _NotHere:
                    op["x-scp-choose"] = None
                if display_name(entry) not in op["x-scp-summary"]:
                    raise GlossaryError(f"{host} {name!r}: the summary must name {{service}}")
    unused = set(glossary["operation"]) - used
    if unused:
        raise GlossaryError(f"glossary entries that match no operation: {sorted(unused)}")


def _fill(text: str, *, entry: dict[str, Any], prefix: str, tools: set[str], actions: set[str], where: str) -> str:
    def one(match: re.Match[str]) -> str:
        mark, key = match.groups()
        if mark == "a ":
            word = one_key(key)
            return f"{'an' if word[0].lower() in 'aeiou' else 'a'} {word}"
        return one_key(key, tool_ref=mark == "@")

    def one_key(key: str, tool_ref: bool = False) -> str:
        if tool_ref:
            tool = f"{prefix}_{key}"
            if key not in actions:
                raise GlossaryError(f"{where}: no service has a tool <prefix>_{key}")
            if tool not in tools:
                raise _NotHere(tool)
            return tool
        if key == "service":
            return display_name(entry)
        if key not in entry["resources"]:
            raise GlossaryError(f"{where}: no resource name {{{key}}}")
        return str(entry["resources"][key])

    return _PLACEHOLDER.sub(one, text)
