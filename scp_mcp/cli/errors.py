"""What the command line can fail with, and the exit codes it uses.

A ``CliError`` is something the user can fix: `main` prints it as one line on stderr, prefixed
with ``scp-mcp:``, and exits with its code. Nothing the user can cause ends in a traceback.
"""

from __future__ import annotations

EXIT_OK = 0  # done
EXIT_ERROR = 1  # the tool, SCP or the check failed (the output says why)
EXIT_USAGE = 2  # the command line or the configuration cannot work; nothing was sent
EXIT_NOT_SENT = 3  # a guarded tool answered with a preview, or the user declined: nothing was sent
EXIT_INTERRUPTED = 130


class CliError(Exception):
    """A problem the user can fix, said in one line: what is wrong and how to fix it."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(" ".join(message.split()))  # one line, whatever the source wrote
        self.code = code
