"""How the app's Redis clients connect: short timeouts, and a pause once Redis stops answering.

Every use of Redis copes with an error: a page cache read misses, a rate limit counts in
memory, a job waits in the outbox for the sweep. But a hung Redis (connections accepted,
nothing answered) costs each call its whole socket timeout, and a post makes four calls, a
page three. So once a call to one Redis times out or can't connect, every client of this
process fails at once, without a round trip, for ``PAUSE_SECONDS``; the first call after the
pause tries Redis again. A hung Redis then costs a process one timeout per pause, not one
per call.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from redis.connection import Connection, SSLConnection, UnixDomainSocketConnection
from redis.exceptions import ConnectionError, TimeoutError

# Long enough that a burst of requests pays one timeout, short enough that a restarted Redis
# is back in use within seconds.
PAUSE_SECONDS = 5.0
# A request waits at most this long for Redis to connect or to answer one call.
SOCKET_SECONDS = 1

# Each Redis's end of pause; one assignment per failure, which the GIL keeps whole.
_paused_until: dict[object, float] = {}


def options(url: str) -> dict[str, Any]:
    """Keyword arguments for ``redis.from_url(url, ...)`` (and the clients built on it: the
    page cache, the rate-limit storage, the job queue): short timeouts and the pause."""
    scheme = urlsplit(url).scheme
    kind: type[Connection | UnixDomainSocketConnection] = {
        "rediss": PausingSSLConnection,
        "unix": PausingUnixConnection,
    }.get(scheme, PausingConnection)
    return {
        "socket_connect_timeout": SOCKET_SECONDS,
        "socket_timeout": SOCKET_SECONDS,
        "connection_class": kind,
    }


class Paused(ConnectionError):
    """A call refused without a round trip: its Redis is paused after a failed call."""


def warn_failure(log: logging.Logger, message: str, *args: object) -> None:
    """Log the failure being handled: with its traceback, but only its reason when Redis is
    paused (the call that paused it logged the cause; a traceback per page says nothing new)."""
    failure = sys.exc_info()[1]
    if isinstance(failure, Paused):
        log.warning(f"{message} (%s)", *args, failure)
    else:
        log.warning(message, *args, exc_info=True)


def paused(server: object) -> bool:
    """True while calls to ``server`` fail without trying (after a failure, for the pause)."""
    return time.monotonic() < _paused_until.get(server, 0.0)


def pause(server: object) -> None:
    _paused_until[server] = time.monotonic() + PAUSE_SECONDS


class Pausing:
    """Fails a command at once while its server is paused; pauses it on a timeout or a
    refused or lost connection. Mixed into redis-py's connection classes."""

    def _server(self) -> object:
        path = getattr(self, "path", None)
        return path if path else (getattr(self, "host", None), getattr(self, "port", None))

    def _check(self) -> object:
        server = self._server()
        if paused(server):
            raise Paused(f"Redis at {server} is paused for a few seconds after a failed call")
        return server

    @contextmanager
    def _pausing_on_failure(self, server: object) -> Iterator[None]:
        try:
            yield
        except (ConnectionError, TimeoutError):
            pause(server)
            raise

    def connect(self) -> None:
        with self._pausing_on_failure(self._check()):
            super().connect()  # type: ignore[misc]

    def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        with self._pausing_on_failure(self._check()):
            super().send_packed_command(command, check_health)  # type: ignore[misc]

    def read_response(self, *args: Any, **kwargs: Any) -> Any:
        with self._pausing_on_failure(self._server()):
            return super().read_response(*args, **kwargs)  # type: ignore[misc]


class PausingConnection(Pausing, Connection):
    pass


class PausingSSLConnection(Pausing, SSLConnection):
    pass


class PausingUnixConnection(Pausing, UnixDomainSocketConnection):
    pass
