"""What the sandbox received: one record per request, signature left out, the last ones only."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, overload

DEFAULT_LIMIT = 1000  # requests kept; a long-running sandbox must not grow without end

RECORDED_HEADERS = (
    "host",
    "content-type",
    "accept",
    "accept-language",
    "scp-accesskey",
    "scp-timestamp",
    "scp-clienttype",
    "scp-api-version",
)


@dataclass(frozen=True)
class ReceivedRequest:
    """One request as the sandbox saw it (the signature itself is not kept)."""

    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: Any
    operation: str | None = None  # tool name, once routed


class RequestLog(Sequence[ReceivedRequest]):
    """The last `limit` requests received, oldest first; `total` counts all of them since `clear()`."""

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        if limit < 1:
            raise ValueError("the request log must keep at least one request")
        self.limit = limit
        self.total = 0
        self._kept: deque[ReceivedRequest] = deque(maxlen=limit)

    def append(self, record: ReceivedRequest) -> int:
        """Keep `record` (dropping the oldest when full); returns its number since `clear()`, from 0."""
        number = self.total
        self.total += 1
        self._kept.append(record)
        return number

    def routed(self, record: ReceivedRequest, operation: str) -> None:
        """Name the operation `record` was routed to (if it is still kept)."""
        for index in range(len(self._kept) - 1, -1, -1):
            if self._kept[index] is record:
                self._kept[index] = replace(record, operation=operation)
                return

    def clear(self) -> None:
        self._kept.clear()
        self.total = 0

    def __len__(self) -> int:
        return len(self._kept)

    def __iter__(self) -> Iterator[ReceivedRequest]:
        return iter(list(self._kept))

    @overload
    def __getitem__(self, index: int) -> ReceivedRequest: ...
    @overload
    def __getitem__(self, index: slice) -> list[ReceivedRequest]: ...
    def __getitem__(self, index: int | slice) -> ReceivedRequest | list[ReceivedRequest]:
        if isinstance(index, slice):
            return list(self._kept)[index]
        return self._kept[index]

    def __repr__(self) -> str:
        return f"RequestLog({list(self._kept)!r}, limit={self.limit}, total={self.total})"
