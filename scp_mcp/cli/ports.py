"""Say that a port is taken before a server tries (and fails inside uvicorn) to listen on it."""

from __future__ import annotations

import errno
import socket

from scp_mcp.cli.errors import CliError


def check_free(host: str, port: int, *, flag: str = "--port") -> None:
    """Raise CliError when nothing can listen on host:port (in use, not an address here, not allowed)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise CliError(f"cannot listen on {host}: {exc.strerror}; pass --host 127.0.0.1 or a local address") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            sock.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise CliError(
                    f"port {port} on {host} is already in use; stop what is listening there or pass another {flag}"
                ) from None
            if exc.errno == errno.EACCES:
                raise CliError(f"not allowed to listen on port {port}; pass a {flag} above 1023") from None
            raise CliError(f"cannot listen on {host}:{port}: {exc.strerror}; pass another --host or {flag}") from None
