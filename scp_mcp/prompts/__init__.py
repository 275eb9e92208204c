"""MCP prompt templates: markdown files with a small front matter, rendered with ``str.format``.

Front matter lines: ``name:``, ``title:``, ``description:``, and one ``argument: <name> | required |
<description>`` (or ``optional``) per argument. The body uses ``{argument}`` placeholders.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources


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

    def render(self, values: dict[str, str]) -> str:
        filled = {a.name: values.get(a.name) or f"(no {a.name} given)" for a in self.arguments}
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
