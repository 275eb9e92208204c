"""A loopback stand-in for SCP's `GET /v1/clusters` (Event Streams), for bench/perf.py.

    python bench/scp_stub.py HTTP_PORT [HTTPS_PORT CERT KEY]

Answers every GET with a ClusterPageResponse of `size` clusters (query `size`, default 1), from bytes
built once, over HTTP/1.1 keep-alive; signatures are not checked. It prints "ready" when listening and
stops when its stdin closes, so it never outlives the benchmark.
"""

from __future__ import annotations

import asyncio
import json
import ssl
import sys
from urllib.parse import parse_qs, urlsplit


def cluster_page(size: int) -> bytes:
    clusters = [
        {
            "account_id": "bench",
            "created_at": "2024-05-17T00:23:17Z",
            "created_by": "90dddfc2b1e04edba54ba2b41539a9ac",
            "ha_enabled": False,
            "id": f"{i:032x}",
            "instance_count": 3,
            "modified_at": "2024-05-17T00:23:17Z",
            "modified_by": "90dddfc2b1e04edba54ba2b41539a9ac",
            "name": f"bench-kafka-{i:02d}",
            "role_type": "ORIGIN",
            "service_state": "RUNNING",
        }
        for i in range(size)
    ]
    page = {"contents": clusters, "count": size, "page": 0, "size": size, "sort": ["created_at:asc"]}
    body = json.dumps(page).encode()
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


PAGES: dict[int, bytes] = {}


def answer(target: str) -> bytes:
    values = parse_qs(urlsplit(target).query).get("size", ["1"])
    size = max(1, min(100, int(values[0]) if values[0].isdigit() else 1))
    if size not in PAGES:
        PAGES[size] = cluster_page(size)
    return PAGES[size]


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            length = next((int(h.split(":", 1)[1]) for h in lines if h.lower().startswith("content-length:")), 0)
            if length:
                await reader.readexactly(length)
            writer.write(answer(lines[0].split(" ")[1]))
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def main(argv: list[str]) -> None:
    servers = [await asyncio.start_server(handle, "127.0.0.1", int(argv[0]))]
    if len(argv) >= 4:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(argv[2], argv[3])
        servers.append(await asyncio.start_server(handle, "127.0.0.1", int(argv[1]), ssl=context))
    print("ready", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)  # until the benchmark goes away
    for server in servers:
        server.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
