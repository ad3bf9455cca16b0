"""A second local HTTP server playing another site's blog, for the Webmention tests: pages
that link to a thread or not, and the hostile ones (a redirect to a private address, an
endless body, a server that is slow or drips a byte at a time)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

FILLER = b"<p>" + b"filler " * 9_360 + b"</p>\n"  # about 64 KB


@dataclass
class Page:
    """What the blog answers at one path."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    # Seconds to wait before answering at all.
    delay: float = 0.0
    # Send this many bytes of filler after ``body``, with no Content-Length (read to close).
    stream: int = 0
    # Declare this Content-Length whatever is sent.
    declared: int | None = None
    # Send a byte every this many seconds, for ever (until the reader leaves).
    drip: float = 0.0
    # Answer only once this is set (at most 10 s later): a source that waits on the test.
    hold: threading.Event | None = None


class Blog:
    """A threaded HTTP server on 127.0.0.1 in this process, serving ``pages`` by path.

    ``requests`` lists the paths asked for, ``sent`` the body bytes each streamed answer got
    out before the reader left. ``stop`` releases any answer still waiting or dripping."""

    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.requests: list[str] = []
        self.sent: dict[str, int] = {}
        self.release = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.handle_error = lambda request, address: None  # type: ignore[method-assign]
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def start(self) -> Blog:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def _handler(blog: Blog) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            blog.requests.append(self.path)
            page = blog.pages.get(self.path)
            try:
                if page is None:
                    self._answer(Page(b"<p>Not here</p>", status=404))
                else:
                    self._answer(page)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the reader left, as it should when a page is too large or too slow

        def _answer(self, page: Page) -> None:
            if page.delay and blog.release.wait(page.delay):
                return
            if page.hold is not None:
                page.hold.wait(10)
            self.send_response(page.status)
            self.send_header("Content-Type", page.content_type)
            for name, value in page.headers.items():
                self.send_header(name, value)
            if page.declared is not None:
                self.send_header("Content-Length", str(page.declared))
            elif not page.stream and not page.drip:
                self.send_header("Content-Length", str(len(page.body)))
            self.end_headers()
            self.wfile.write(page.body)
            sent = 0
            while sent < page.stream and not blog.release.is_set():
                self.wfile.write(FILLER)
                sent += len(FILLER)
                blog.sent[self.path] = sent
            while page.drip and not blog.release.wait(page.drip):
                self.wfile.write(b" ")
                self.wfile.flush()

    return Handler


def post_html(
    *,
    link: str | None,
    title: str = "Why the funding debate matters",
    author: str = "Ada Blogger",
    summary: str = "A reply to the forum's thread on funding, from my blog.",
    h_entry: bool = True,
    page_title: str = "Ada's blog",
) -> bytes:
    """A blog post, as an h-entry or as plain HTML, linking to ``link`` (or to nothing)."""
    anchor = f'<a href="{link}">the forum thread</a>' if link else "the forum thread"
    if h_entry:
        article = (
            f'<article class="h-entry"><h1 class="p-name">{title}</h1>'
            f'<a class="p-author h-card" href="/about">{author}</a>'
            f'<p class="p-summary">{summary}</p>'
            f'<div class="e-content"><p>{summary} See {anchor}.</p></div></article>'
        )
    else:
        article = f"<article><h1>{title}</h1><p>{summary} See {anchor}.</p></article>"
    return (
        f"<!doctype html><html><head><title>{page_title}</title></head>"
        f"<body><nav><a href='/'>Home</a></nav>{article}</body></html>"
    ).encode()
