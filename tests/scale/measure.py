"""The numbers in docs/DEPLOY.md's estimate, measured on the test cluster: `python -m tests.scale.measure`.

Starts what tests/scale starts (PostgreSQL, the sandbox, three replicas, nginx), then prints calls/s on one
replica and through nginx, the PostgreSQL transactions and rows each kind of call costs (from
pg_stat_database and pg_stat_user_tables; PostgreSQL publishes them up to a second late, hence the pause),
and how long one store call takes while 32 clients load the cluster (the time it holds a replica's event
loop). Not a test: it asserts nothing and its numbers depend on the machine.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import anyio
import psycopg
from mcp import Client

from scp_mcp.store import OperationEntry
from scp_mcp.store.postgres import PostgresStore
from tests.scale.cluster import Cluster
from tests.support.postgres import PostgresServer, running_postgres

# "<db> [<pid>] LOG:  statement: BEGIN", or "… LOG:  execute <unnamed>: INSERT …" for a query with parameters
LOGGED = re.compile(r"^(?P<db>\S+) \[(?P<pid>\d+)\] LOG:  (?:statement|execute [^:]*): (?P<statement>\S.*)$")


class StatementLog:
    """What the replicas sent PostgreSQL, from its log (log_statement = all, each line prefixed with the
    database name): transactions (BEGIN blocks and lone autocommit statements) and rows-changing
    statements (INSERT, UPDATE, DELETE)."""

    def __init__(self, postgres: PostgresServer, url: str) -> None:
        self.path = postgres.data.parent / "log"
        self.database = url.rsplit("/", 1)[-1]
        with psycopg.connect(postgres.url(), autocommit=True) as db:
            db.execute("ALTER SYSTEM SET log_statement = 'all'")
            db.execute("ALTER SYSTEM SET log_line_prefix = '%d [%p] '")
            db.execute("SELECT pg_reload_conf()")
        time.sleep(1)  # the reload reaches every backend at its next command

    def mark(self) -> int:
        return self.path.stat().st_size

    def since(self, mark: int) -> dict[str, int]:
        with self.path.open("rb") as log:
            log.seek(mark)
            lines = log.read().decode(errors="replace").splitlines()
        open_blocks: set[str] = set()
        counts = {"transactions": 0, "writes": 0}
        for line in lines:
            found = LOGGED.match(line)
            if found is None or found["db"] != self.database:
                continue
            pid, statement = found["pid"], found["statement"]
            verb = statement.split()[0].upper()
            if verb == "BEGIN":
                open_blocks.add(pid)
                counts["transactions"] += 1
            elif verb in ("COMMIT", "ROLLBACK"):
                open_blocks.discard(pid)
            elif pid not in open_blocks:
                counts["transactions"] += 1
            counts["writes"] += verb in ("INSERT", "UPDATE", "DELETE")
        return counts

    def per_call(self, mark: int, n: int) -> str:
        counts = self.since(mark)
        return ", ".join(f"{v / n:.2f} {k}" for k, v in counts.items())


async def calls(client: Client, tool: str, args: dict[str, Any], n: int) -> list[Any]:
    out = []
    for _ in range(n):
        result = await client.call_tool(tool, args)
        assert not result.is_error, result.content
        out.append(result.structured_content)
    return out


async def cluster_id(client: Client, service: str, name: str) -> str:
    listed = await client.call_tool(f"{service}_list_clusters", {})
    assert listed.structured_content is not None
    return str(next(c["id"] for c in listed.structured_content["data"]["contents"] if c["name"] == name))


async def load(cluster: Cluster, clients: int, per_client: int) -> float:
    async def operator(n: int) -> None:
        async with Client(cluster.connect(cluster.url("lb"))) as client:
            for call in range(per_client):
                tool = ("eventstreams_list_clusters", "vertica_list_clusters")[(n + call) % 2]
                assert not (await client.call_tool(tool, {})).is_error

    started = time.monotonic()
    async with anyio.create_task_group() as group:
        for n in range(clients):
            group.start_soon(operator, n)
    return time.monotonic() - started


def store_latency(url: str) -> None:
    """Time PostgresStore calls until stdin closes, then print each duration (seconds), one a line."""
    stop, samples = threading.Event(), []
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    store = PostgresStore(url, max_size=2)
    try:
        n = 0
        while not stop.is_set():
            n += 1
            entry = OperationEntry(
                key=f"measure:{n}", caller="measure", tool="t", service="s", follow="request", request_id=None,
                target_kind=None, target_id=None, target_name=None, arguments={}, status="in_progress",
                state=None, started_at="2026-01-01T00:00:00Z", updated_at="2026-01-01T00:00:00Z",
            )  # fmt: skip
            started = time.perf_counter()
            store.record_operation(entry)
            middle = time.perf_counter()
            store.operation("measure", entry.key)
            samples.extend((middle - started, time.perf_counter() - middle))
            time.sleep(0.005)
    finally:
        store.close()
    print("\n".join(f"{x:.6f}" for x in samples))


async def main() -> None:
    with running_postgres() as postgres:
        cluster = Cluster(str(Path(sys.executable).with_name("scp-mcp")), postgres.fresh_database())
        cluster.start()
        try:
            await measure(cluster, StatementLog(postgres, cluster.store_url))
        finally:
            cluster.stop()


async def measure(cluster: Cluster, log: StatementLog) -> None:
    url = cluster.store_url
    async with Client(cluster.connect(cluster.replica_url(0))) as one:
        kafka = {"cluster_id": await cluster_id(one, "eventstreams", "orders-kafka")}
        logs = {"cluster_id": await cluster_id(one, "searchengine", "search-logs")}
        await calls(one, "eventstreams_show_cluster", kafka, 20)  # warm up
        started = time.monotonic()
        await calls(one, "eventstreams_show_cluster", kafka, 200)
        print(f"sequential reads on one replica: {200 / (time.monotonic() - started):.1f} calls/s")

        before = log.mark()
        await calls(one, "eventstreams_show_cluster", kafka, 50)
        print(f"a read: {log.per_call(before, 50)}")
        before = log.mark()
        vertica = {"cluster_id": await cluster_id(one, "vertica", "analytics-vertica")}
        await calls(one, "vertica_restart_cluster", vertica, 20)
        print(f"a preview: {log.per_call(before, 20)}")
        before = log.mark()
        accepted = await calls(one, "searchengine_synchronize_cluster_state", logs, 1)
        print(f"a 202 (wait_seconds 0): {log.per_call(before, 1)}")
        before = log.mark()
        request_id = accepted[0]["async_request"]["request_id"]
        await calls(one, "operations_wait", {"request_id": request_id, "wait_seconds": 60}, 1)
        print(f"operations_wait to its end: {log.per_call(before, 1)}")
        before = log.mark()
        await calls(one, "operations_get", {"request_id": request_id}, 20)
        print(f"operations_get on a finished entry: {log.per_call(before, 20)}")
        before = log.mark()
        await calls(one, "searchengine_synchronize_cluster_state", {**logs, "wait_seconds": 60}, 1)
        print(f"a 202 waited on in the call (wait_seconds 60): {log.per_call(before, 1)}")

    await load(cluster, 8, 4)  # warm every replica
    # The prober is its own process, as a replica is: in this one it would compete with the 32 clients.
    prober = subprocess.Popen(  # noqa: ASYNC220  (started before the load, read after it)
        [sys.executable, "-m", "tests.scale.measure", "--probe", url], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        for _ in range(3):
            elapsed = await load(cluster, 32, 4)
            print(f"32 clients x 4 calls through nginx: {128 / elapsed:.1f} calls/s ({elapsed:.2f} s)")
    finally:
        out, _ = prober.communicate(b"", timeout=60)
    ms = sorted(float(line) * 1000 for line in out.decode().split())
    p99 = ms[int(len(ms) * 0.99)]
    median = statistics.median(ms)
    print(f"load average: {os.getloadavg()}")
    print(f"one store call under load: median {median:.2f} ms, p99 {p99:.2f} ms, max {ms[-1]:.2f} ms ({len(ms)})")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--probe"]:
        store_latency(sys.argv[2])
    else:
        anyio.run(main)
