"""Three `scp-mcp serve --transport http` replicas behind a real nginx, sharing one PostgreSQL store, one
seal key and one `scp-mcp sandbox --port N` as the SCP stand-in, all on loopback ports.

nginx listens three times: ``lb`` round-robins every request (the stateless 2026-07-28 era needs no
more); ``sticky`` keeps a legacy session on the replica that created it (below); ``sandbox`` proxies the
SCP stand-in and logs every request the replicas send to SCP, so a test can count DELETEs.

Sticky routing on ``Mcp-Session-Id`` in nginx without the commercial ``sticky`` module: the replica
mints the session id, so a plain ``hash $http_mcp_session_id`` sends the session's second request to
whichever replica the id hashes to, not to its creator. Instead nginx appends the creator's tag to
the id it returns (``<id>.r2``), routes a tagged id to that replica, and strips the tag on the way in.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from scp_mcp.sandbox import SANDBOX_ACCESS_KEY, SANDBOX_SECRET_KEY
from tests.support.postgres import free_port

NGINX = "/usr/sbin/nginx"
START_TIMEOUT_S = 60.0  # a replica imports the MCP SDK and the catalog: seconds on a loaded machine
SPEED = 120.0  # the sandbox's simulated seconds per wall second: a 90 s start takes under a second


def wait_for_port(
    port: int, deadline_s: float = START_TIMEOUT_S, process: subprocess.Popen[bytes] | None = None
) -> None:
    """Poll until something accepts on the port (a starting process is not an event to wait on)."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process {process.args!r} exited with {process.returncode} before port {port} opened")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listened on port {port} within {deadline_s:g} s")


@dataclass
class Cluster:
    scp_mcp: str
    store_url: str
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="scp-mcp-scale-")))
    seal_key: str = field(default_factory=lambda: secrets.token_hex(32))
    auth_token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    sandbox_port: int = field(default_factory=free_port)
    replica_ports: list[int] = field(default_factory=lambda: [free_port() for _ in range(3)])
    ports: dict[str, int] = field(default_factory=lambda: {n: free_port() for n in ("lb", "sticky", "sandbox")})
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def url(self, via: str = "lb") -> str:
        return f"http://127.0.0.1:{self.ports[via]}/mcp"

    def replica_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.replica_ports[index]}/mcp"

    @asynccontextmanager
    async def connect(self, url: str) -> AsyncIterator[Any]:
        """A streamable-HTTP transport to ``url`` carrying the replicas' bearer token (for ``mcp.Client``)."""
        headers = {"Authorization": f"Bearer {self.auth_token}"}
        async with (
            create_mcp_http_client(headers=headers) as http,
            streamable_http_client(url, http_client=http) as streams,
        ):
            yield streams

    def replica_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SCP_")}
        return env | {
            "HOME": str(self.root),
            "SCP_ENDPOINT_TEMPLATE": f"http://127.0.0.1:{self.ports['sandbox']}/{{service}}",
            "SCP_ACCESS_KEY": SANDBOX_ACCESS_KEY,
            "SCP_SECRET_KEY": SANDBOX_SECRET_KEY,
            "SCP_MCP_SEAL_KEY": self.seal_key,
            "SCP_MCP_AUTH_TOKEN": self.auth_token,  # the same authentication on every replica
            "SCP_MCP_STORE": self.store_url,
            "SCP_MCP_STATE_DIR": str(self.root / "state"),
        }

    def start(self) -> None:
        sandbox = [self.scp_mcp, "sandbox", "--port", str(self.sandbox_port), "--speed", f"{SPEED:g}"]
        self._spawn("sandbox", sandbox, self.replica_env())
        for index in range(len(self.replica_ports)):
            self.start_replica(index, wait=False)
        (self.root / "nginx.conf").write_text(self.nginx_conf())
        nginx = [NGINX, "-p", str(self.root), "-c", str(self.root / "nginx.conf"), "-e", str(self.root / "error.log")]
        self._spawn("nginx", nginx, dict(os.environ))
        replicas = [(f"replica-{i}", port) for i, port in enumerate(self.replica_ports)]
        for name, port in [("sandbox", self.sandbox_port), *replicas]:
            wait_for_port(port, process=self.processes[name])
        for port in self.ports.values():
            wait_for_port(port, process=self.processes["nginx"])

    def start_replica(self, index: int, *, wait: bool = True) -> None:
        port = str(self.replica_ports[index])
        argv = [self.scp_mcp, "serve", "--transport", "http", "--backend", "scp", "--port", port]
        self._spawn(f"replica-{index}", argv, self.replica_env())
        if wait:
            wait_for_port(self.replica_ports[index], process=self.processes[f"replica-{index}"])

    def kill_replica(self, index: int) -> None:
        """SIGKILL: no shutdown, no flush; whatever the replica had only in memory is gone."""
        process = self.processes.pop(f"replica-{index}")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

    def stop(self) -> None:
        for name, process in reversed(list(self.processes.items())):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
            del self.processes[name]

    def _spawn(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        log = (self.root / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)
        log.close()

    def log(self, name: str) -> str:
        path = self.root / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def replica_calls(self) -> Counter[int]:
        """MCP requests nginx sent each replica (by index), from its access log."""
        by_port = {str(port): index for index, port in enumerate(self.replica_ports)}
        counts: Counter[int] = Counter()
        for line in self.log("access").splitlines():
            upstream = line.split()[-1].rsplit(":", 1)[-1]
            if upstream in by_port:
                counts[by_port[upstream]] += 1
        return counts

    def replicas_by_session(self) -> dict[str, set[int]]:
        """For each legacy session id nginx saw (tagged), the replicas its requests went to."""
        by_port = {str(port): index for index, port in enumerate(self.replica_ports)}
        seen: dict[str, set[int]] = {}
        for line in self.log("access").splitlines():
            session, upstream = line.split('"')[1], line.split()[-1].rsplit(":", 1)[-1]
            if session not in ("", "-") and upstream in by_port:
                seen.setdefault(session, set()).add(by_port[upstream])
        return seen

    def scp_requests(self, method: str, path_prefix: str = "") -> list[str]:
        """The requests the replicas sent to SCP, as nginx logged them: "METHOD /path status"."""
        lines = self.log("sandbox-access").splitlines()
        return [line for line in lines if line.startswith(f"{method} {path_prefix}")]

    def nginx_conf(self) -> str:
        servers = "\n".join(f"        server 127.0.0.1:{port};" for port in self.replica_ports)
        tag_of_upstream = "\n".join(f'        "~:{port}$" r{i};' for i, port in enumerate(self.replica_ports))
        replica_of_tag = "\n".join(
            f'        "~\\.r{i}$" 127.0.0.1:{port};' for i, port in enumerate(self.replica_ports)
        )
        proxy = """
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_buffering off;
            proxy_read_timeout 300s;"""
        user = "user root;" if os.geteuid() == 0 else ""  # as root, workers would run as nobody
        return f"""
daemon off;
{user}
worker_processes 1;
pid {self.root}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    client_body_temp_path {self.root}/nginx-body;
    proxy_temp_path {self.root}/nginx-proxy;
    fastcgi_temp_path {self.root}/nginx-fastcgi;
    uwsgi_temp_path {self.root}/nginx-uwsgi;
    scgi_temp_path {self.root}/nginx-scgi;
    log_format replica '$request_method $uri $status "$http_mcp_session_id" $upstream_addr';
    log_format scp '$request_method $uri $status';

    upstream replicas {{
{servers}
        keepalive 16;
    }}

    # Sticky legacy sessions: tag the id a replica mints with that replica, route tagged ids back to it.
    map $upstream_addr $replica_tag {{
{tag_of_upstream}
    }}
    map $upstream_http_mcp_session_id $session_id_out {{
        "" "";
        default "$upstream_http_mcp_session_id.$replica_tag";
    }}
    map $http_mcp_session_id $session_id_in {{
        "~^(?<untagged>.+)\\.r[0-9]+$" $untagged;
        default $http_mcp_session_id;
    }}
    map $http_mcp_session_id $session_replica {{
{replica_of_tag}
        default replicas;
    }}

    server {{
        listen 127.0.0.1:{self.ports["lb"]};
        access_log {self.root}/access.log replica;
        location / {{
            proxy_pass http://replicas;{proxy}
        }}
    }}
    server {{
        listen 127.0.0.1:{self.ports["sticky"]};
        access_log {self.root}/access.log replica;
        location / {{
            proxy_pass http://$session_replica;{proxy}
            proxy_set_header Mcp-Session-Id $session_id_in;
            proxy_hide_header Mcp-Session-Id;
            add_header Mcp-Session-Id $session_id_out always;
            add_header Access-Control-Expose-Headers Mcp-Session-Id always;
        }}
    }}
    server {{
        listen 127.0.0.1:{self.ports["sandbox"]};
        access_log {self.root}/sandbox-access.log scp;
        location / {{
            proxy_pass http://127.0.0.1:{self.sandbox_port};{proxy}
        }}
    }}
}}
"""
