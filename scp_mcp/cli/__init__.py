"""`scp-mcp serve | sandbox | tools | describe | call | doctor | config | demo`.

Heavy imports (the MCP SDK) happen inside the commands that need them, so `scp-mcp tools` and
`scp-mcp --help` start quickly. Nothing but the MCP protocol is ever written to stdout by `serve`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from scp_mcp.cli.parser import build_parser, settings_from
from scp_mcp.server.settings import SettingsError

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        # A terminal gets a demo on the sandbox; an MCP client launching bare `scp-mcp` gets the server.
        argv = ["demo"] if sys.stdin.isatty() else ["serve"]
    args = build_parser().parse_args(argv)
    try:
        settings = settings_from(args)
        settings.check()
    except SettingsError as exc:
        print(f"scp-mcp: {exc}", file=sys.stderr)
        return 2
    from scp_mcp.cli import commands

    handler = getattr(commands, f"run_{args.command}")
    code: int = handler(args, settings)
    return code


if __name__ == "__main__":
    sys.exit(main())
