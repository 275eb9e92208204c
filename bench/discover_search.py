"""Benchmark: the `discover` profile's search_operations ranker on bench/tool_choice_requests.jsonl.

    python bench/discover_search.py [--misses]

Deterministic and offline (no model): each labelled operator request is searched over all 116
operations with scp_mcp.tools.search, as search_operations does; reported: the fraction whose expected
tool is first and in the top 3, overall, per language and per style. bench/RESULTS.md keeps the numbers.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from scp_mcp.catalog import load_catalog
from scp_mcp.tools.search import SearchIndex

REQUESTS = Path(__file__).with_name("tool_choice_requests.jsonl")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="print the requests whose tool is not in the top 3")
    args = parser.parse_args()
    rows = [json.loads(line) for line in REQUESTS.read_text(encoding="utf-8").splitlines() if line.strip()]
    index = SearchIndex(load_catalog().operations)
    groups: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    for row in rows:
        names = [hit.entry.tool for hit in index.search(row["text"], limit=3)]
        first, top3 = bool(names) and names[0] == row["tool"], row["tool"] in names
        for group in ("all", f"lang={row['lang']}", f"style={row['style']}"):
            groups[group].append((first, top3))
        if args.misses and not top3:
            print(f"MISS {row['text']!r}: want {row['tool']}, got {names}")
    print("| requests | n | top-1 | top-3 |\n|---|---|---|---|")
    for group, results in groups.items():
        n = len(results)
        print(f"| {group} | {n} | {sum(r[0] for r in results) / n:.3f} | {sum(r[1] for r in results) / n:.3f} |")


if __name__ == "__main__":
    main()
