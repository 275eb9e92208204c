"""`serve --log-level LEVEL --log-file FILE`: where the server's log goes (never stdout, which stdio
clients read), and how much of it, the HTTP libraries' own loggers included."""

from __future__ import annotations

import logging
import sys

from scp_mcp.cli.errors import CliError
from scp_mcp.server.settings import LogSettings

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(settings: LogSettings) -> None:
    """Set the root logger before the server is built (the SDK's own setup then leaves it alone)."""
    handler: logging.Handler
    if settings.file is not None:
        try:
            handler = logging.FileHandler(settings.file, encoding="utf-8")
        except OSError as exc:
            raise CliError(f"log file {settings.file}: {exc.strerror or exc}") from None
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.level)
    for name in ("httpx", "httpcore", "uvicorn", "mcp"):  # they follow the root's level
        logging.getLogger(name).setLevel(logging.NOTSET)
