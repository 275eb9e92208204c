"""A deadline on reading each HTTP request: slow and idle clients are disconnected.

uvicorn closes a keep-alive connection that stays silent, but a client that trickles a request's
head (or body) one byte at a time keeps it open forever (slowloris). This h11 protocol starts a
timer when a connection opens and when the first byte of a request arrives, and stops it once
the whole request is in; when it fires, the connection is closed. Waiting for the answer (an
event stream included) is not bounded here: that is the server's side.
"""

from __future__ import annotations

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol


class ReadDeadlineProtocol(H11Protocol):
    read_timeout_s: float = 10.0
    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state in (h11.IDLE, h11.SEND_BODY):
            self._arm()
        else:
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._deadline is None:
            self._deadline = self.loop.call_later(self.read_timeout_s, self._expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expired(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.logger.info("closing a connection that took over %g s to send its request", self.read_timeout_s)
            self.transport.close()


def read_deadline_protocol(read_timeout_s: float) -> type[ReadDeadlineProtocol]:
    """The protocol class for uvicorn's ``http=``, with this deadline."""
    return type("ReadDeadline", (ReadDeadlineProtocol,), {"read_timeout_s": read_timeout_s})
