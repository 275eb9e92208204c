"""Serve the sandbox on loopback with uvicorn and say what to export."""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import uvicorn

from scp_mcp.sandbox.clock import SandboxClock

INTERACTIVE_SPEED = 60.0  # a 10-minute create takes 10 seconds


def export_lines(host: str, port: int, access_key: str, secret_key: str) -> list[str]:
    return [
        f"export SCP_ENDPOINT_TEMPLATE={shlex.quote(f'http://{host}:{port}/{{service}}')}",
        f"export SCP_ACCESS_KEY={shlex.quote(access_key)}",
        f"export SCP_SECRET_KEY={shlex.quote(secret_key)}",
    ]


def make_server(app: object, host: str, port: int) -> uvicorn.Server:
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off")  # type: ignore[arg-type]
    return uvicorn.Server(config)


def serve_sandbox(
    port: int,
    host: str = "127.0.0.1",
    state_file: Path | None = None,
    speed: float = INTERACTIVE_SPEED,
    *,
    seed: int = 0,
    credentials: Mapping[str, str] | None = None,
    out: Callable[[str], None] = print,
) -> None:
    """Run until interrupted. Accepts the printed sandbox credentials plus any given in `credentials`."""
    from scp_mcp.sandbox.sandbox import SANDBOX_ACCESS_KEY, SANDBOX_SECRET_KEY, Sandbox

    accepted = {SANDBOX_ACCESS_KEY: SANDBOX_SECRET_KEY, **(credentials or {})}
    sandbox = Sandbox(clock=SandboxClock(speed=speed), seed=seed, credentials=accepted, state_file=state_file)
    out(f"# SCP sandbox on http://{host}:{port} (time x{speed:g}; state: {state_file or 'in memory'})")
    for line in export_lines(host, port, SANDBOX_ACCESS_KEY, SANDBOX_SECRET_KEY):
        out(line)
    try:
        make_server(sandbox.app, host, port).run()
    finally:
        sandbox.save()  # keep the simulated time that passed since the last change


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scp_mcp.sandbox", description="Serve the SCP sandbox on loopback.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--state", type=Path, default=None, help="keep state in this JSON file across restarts")
    parser.add_argument("--speed", type=float, default=INTERACTIVE_SPEED, help="simulated seconds per wall second")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    serve_sandbox(args.port, args.host, args.state, args.speed, seed=args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
