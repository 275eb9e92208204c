"""Command line (placeholder until the server lands)."""

import sys


def main(argv: list[str] | None = None) -> int:
    from scp_mcp.catalog import load_catalog

    catalog = load_catalog()
    for svc in catalog.services.values():
        print(f"{svc.host_prefix}: {len(svc.operations)} operations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
