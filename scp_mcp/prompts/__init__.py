"""MCP prompt templates: markdown files with a small front matter, rendered with ``str.format``.

Front matter lines: ``name:``, ``title:``, ``description:``, and one ``argument: <name> | required |
<description>`` (or ``optional``) per argument. The body uses ``{argument}`` placeholders, and
placeholders the server fills from the catalog for the service asked about (``{show}``, ``{backup}``:
see ``scp_mcp/server/prompt_steps.py``), so no template names a tool by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from string import Formatter


@dataclass(frozen=True)
class PromptArgumentSpec:
    name: str
    required: bool
    description: str


@dataclass(frozen=True)
class PromptTemplate:
    name: str
    title: str
    description: str
    arguments: tuple[PromptArgumentSpec, ...]
    body: str

    @property
    def placeholders(self) -> frozenset[str]:
        return frozenset(field for _, field, _, _ in Formatter().parse(self.body) if field)

    def render(self, values: Mapping[str, str], derived: Mapping[str, str] | None = None) -> str:
        """The body with the caller's ``values`` and the server's ``derived`` ones (which win: a
        service argument becomes the service's canonical name)."""
        filled = {a.name: values.get(a.name) or f"(no {a.name} given)" for a in self.arguments}
        filled.update(derived or {})
        return self.body.format(**filled).strip()


def parse(text: str) -> PromptTemplate:
    _, front, body = text.split("---\n", 2)
    fields: dict[str, str] = {}
    args: list[PromptArgumentSpec] = []
    for line in front.strip().splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "argument":
            name, need, desc = (part.strip() for part in value.split("|", 2))
            args.append(PromptArgumentSpec(name, need == "required", desc))
        else:
            fields[key.strip()] = value.strip()
    return PromptTemplate(fields["name"], fields["title"], fields["description"], tuple(args), body)


def load_prompts() -> list[PromptTemplate]:
    folder = resources.files(__name__)
    return [
        parse(f.read_text(encoding="utf-8"))
        for f in sorted(folder.iterdir(), key=lambda f: f.name)
        if f.name.endswith(".md")
    ]
