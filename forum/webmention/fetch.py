"""Fetching a Webmention source within strict bounds: the sender chooses the address, so
the forum must not become a way to reach its own network or to tie up its worker.

- http and https only; at most ``max_redirects`` redirects, each hop checked like the first;
- every address the host name resolves to must be public (forum.webmention.rules
  .is_public_address), unless ``allow_private``; the connection then goes to the address
  that was checked, never to a second lookup of the name, so a DNS answer that changes
  between the check and the connection (rebinding) can't send it elsewhere. For https the
  certificate is still checked against the host name;
- one deadline, ``timeout`` seconds, for the whole fetch (redirects included): every
  connect and every read waits at most what is left of it, so a server that answers slowly,
  or sends a byte now and then, is dropped when the time is up;
- ``text/html`` only, read in chunks and dropped past ``max_bytes`` (a larger declared
  Content-Length is refused before reading), without decompression.

The standard library's http.client rather than a client library: pinning a connection to
the checked address takes one ``connect`` method here.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from forum.webmention.rules import DEFAULT_PORTS, SCHEMES, is_public_address

CHUNK = 64 * 1024
REDIRECTS = frozenset({301, 302, 303, 307, 308})
GONE = frozenset({404, 410})
USER_AGENT = "forum-webmention/1 (W3C Webmention receiver)"

Resolver = Callable[[str, int], list[str]]


@dataclass(frozen=True)
class FetchLimits:
    timeout: float
    max_bytes: int
    max_redirects: int
    allow_private: bool = False


@dataclass(frozen=True)
class Fetched:
    """The source as read: its final address (after redirects), status and body. A 404 or
    410 comes back with an empty body: the page is gone, which means something too."""

    url: str
    status: int
    body: bytes = b""
    charset: str | None = None

    @property
    def gone(self) -> bool:
        return self.status in GONE


class FetchError(Exception):
    """The source could not be read within the limits; ``bytes_read`` of its body were."""

    def __init__(self, message: str, *, bytes_read: int = 0) -> None:
        super().__init__(message)
        self.bytes_read = bytes_read


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, in the order the system gives them."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Sends ``Host: host`` but connects to ``address``, the one that was checked.

    ``pinned`` keeps the socket: http.client hands it to the response and forgets it when
    the server will close the connection, and each read's timeout is set on it."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address
        self.pinned: socket.socket | None = None

    def connect(self) -> None:
        self.sock = self.pinned = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(_PinnedHTTPConnection, http.client.HTTPSConnection):
    """As above, over TLS, with the certificate checked for ``host``."""

    default_port = http.client.HTTPS_PORT

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        self.tls = ssl.create_default_context()
        http.client.HTTPSConnection.__init__(self, host, port, timeout=timeout, context=self.tls)
        self.address = address
        self.pinned = None

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.pinned = self.tls.wrap_socket(sock, server_hostname=self.host)


def fetch(
    url: str,
    limits: FetchLimits,
    *,
    resolver: Resolver = resolve,
    is_public: Callable[[str], bool] = is_public_address,
    clock: Callable[[], float] = time.monotonic,
) -> Fetched:
    """GET ``url`` within ``limits``; raises FetchError saying why it could not.

    ``resolver``, ``is_public`` and ``clock`` are seams for the tests (a test blog on
    127.0.0.1 taken for public, to see the check refuse a redirect to another address)."""
    deadline = clock() + limits.timeout
    for _ in range(limits.max_redirects + 1):
        timeout = _left(deadline, clock)
        connection = _connect(url, limits, resolver, is_public, timeout)
        response: http.client.HTTPResponse | None = None
        try:
            response = _request(connection, url)
            if response.status in REDIRECTS:
                location = response.getheader("Location", "").strip()
                if not location:
                    raise FetchError(f"a redirect ({response.status}) without a Location")
                url = urljoin(url, location)
                continue
            if response.status in GONE:
                return Fetched(url, response.status)
            if not 200 <= response.status < 300:
                raise FetchError(f"the source answered {response.status}")
            if response.headers.get_content_type() != "text/html":
                raise FetchError(f"not an HTML page ({response.headers.get_content_type()})")
            body = _read(connection, response, limits.max_bytes, deadline, clock)
            return Fetched(url, response.status, body, response.headers.get_content_charset())
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError(_describe(exc)) from exc
        finally:
            # The response holds the socket when the server closes the connection after it.
            if response is not None:
                response.close()
            connection.close()
    raise FetchError(f"more than {limits.max_redirects} redirects")


def _left(deadline: float, clock: Callable[[], float], bytes_read: int = 0) -> float:
    left = deadline - clock()
    if left <= 0:
        raise FetchError("timed out", bytes_read=bytes_read)
    return left


def _connect(
    url: str,
    limits: FetchLimits,
    resolver: Resolver,
    is_public: Callable[[str], bool],
    timeout: float,
) -> _PinnedHTTPConnection:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchError(f"not a valid URL: {url[:200]}") from exc
    scheme, host = parts.scheme.lower(), parts.hostname
    if scheme not in SCHEMES or not host:
        raise FetchError(f"only http and https addresses are fetched, not {url[:200]}")
    port = port or DEFAULT_PORTS[scheme]
    try:
        addresses = resolver(host, port)
    except OSError as exc:
        raise FetchError(f"{host} could not be resolved") from exc
    if not addresses:
        raise FetchError(f"{host} has no address")
    if not limits.allow_private:
        hidden = [a for a in addresses if not is_public(a)]
        if hidden:
            raise FetchError(f"{host} resolves to a non-public address ({hidden[0]})")
    if scheme == "https":
        return _PinnedHTTPSConnection(host, port, addresses[0], timeout)
    return _PinnedHTTPConnection(host, port, addresses[0], timeout)


def _request(connection: http.client.HTTPConnection, url: str) -> http.client.HTTPResponse:
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection.request(
        "GET",
        path,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html",
            "Accept-Encoding": "identity",
        },
    )
    return connection.getresponse()


def _read(
    connection: _PinnedHTTPConnection,
    response: http.client.HTTPResponse,
    max_bytes: int,
    deadline: float,
    clock: Callable[[], float],
) -> bytes:
    declared = response.getheader("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"larger than {max_bytes} bytes ({declared} declared)")
    chunks: list[bytes] = []
    total = 0
    while True:
        left = _left(deadline, clock, total)
        if connection.pinned is not None:
            connection.pinned.settimeout(left)
        # read1: one read from the socket at most, so each waits only for what time is left.
        chunk = response.read1(min(CHUNK, max_bytes + 1 - total))
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > max_bytes:
            raise FetchError(f"larger than {max_bytes} bytes", bytes_read=total)
        chunks.append(chunk)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed: {exc.reason or exc}"
    return f"{type(exc).__name__}: {exc}"[:300]
