"""`scp-mcp serve | sandbox | tools | describe | call | doctor | config | demo | audit`.

Heavy imports (the MCP SDK) happen inside the commands that need them, so `scp-mcp tools` and
`scp-mcp --help` start quickly. Nothing but the MCP protocol is ever written to stdout by `serve`.
Every failure the user can cause is one line on stderr and an exit code (see cli/errors.py);
anything else is an internal error, also one line unless SCP_MCP_DEBUG=1 asks for the traceback.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence

from scp_mcp.cli.errors import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, CliError

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    try:
        code = _run(list(sys.argv[1:] if argv is None else argv))
        sys.stdout.flush()  # a closed pipe shows here rather than at interpreter exit
        return code
    except CliError as exc:
        _say(str(exc))
        return exc.code
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK  # the reader took what it wanted (`scp-mcp tools | head -1`)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as exc:
        if _only_broken_pipes(exc):  # raised inside a task group (`scp-mcp demo | head -2`)
            _silence_stdout()
            return EXIT_OK
        if _user_error(exc):
            _say(str(exc))
            return EXIT_USAGE
        if os.environ.get("SCP_MCP_DEBUG", "").strip() not in ("", "0"):
            raise
        _say(f"internal error: {type(exc).__name__}: {exc}; rerun with SCP_MCP_DEBUG=1 for the traceback")
        return EXIT_ERROR


def _run(argv: list[str]) -> int:
    from scp_mcp.cli.parser import build_parser, settings_from

    if not argv:
        # A terminal gets a demo on the sandbox; an MCP client launching bare `scp-mcp` gets the server.
        argv = ["demo"] if sys.stdin.isatty() else ["serve"]
    args = build_parser().parse_args(argv)
    settings = settings_from(args)
    settings.check()
    from scp_mcp.cli import commands

    handler = getattr(commands, f"run_{args.command}")
    code: int = handler(args, settings)
    return code


def _only_broken_pipes(exc: BaseException) -> bool:
    if isinstance(exc, BaseExceptionGroup):
        return all(_only_broken_pipes(inner) for inner in exc.exceptions)
    return isinstance(exc, BrokenPipeError)


def _user_error(exc: Exception) -> bool:
    """A settings or configuration error from the layers below: the user can fix it, so no traceback."""
    from scp_mcp.server.settings import SettingsError

    if isinstance(exc, SettingsError):
        return True
    errors = sys.modules.get("scp_mcp.client.errors")  # loaded only if the client was; then check
    return errors is not None and isinstance(exc, errors.ConfigError)


def _say(message: str) -> None:
    with contextlib.suppress(OSError):
        print(f"scp-mcp: {' '.join(message.split())}", file=sys.stderr)


def _silence_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so the interpreter's last flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
