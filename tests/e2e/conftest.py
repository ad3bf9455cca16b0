"""A live server on a loopback port and Debian's chromium driven by Playwright.

The browser tests must run, never skip: without chromium they fail and say how to install it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

CHROMIUM = os.environ.get("FORUM_CHROMIUM", "/usr/bin/chromium")
SCREENS = Path(__file__).parent / "screens"
# Flags for a root sandbox with no outside network (see the machine notes in the README).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    """The browser sees the real thing: CSRF on."""
    return {"WTF_CSRF_ENABLED": True}


def read_whole(app: Flask) -> WSGIApplication:
    """The app with each response read and closed before the server writes it.

    When a browser drops a request mid-reply (chromium cancels favicon fetches), werkzeug's
    development server can fail while draining the socket and skip closing the response, so a
    static file is left for the garbage collector to warn about in whatever test runs next.
    Bytes already read have nothing to leak; no page here streams."""

    def wsgi(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        response = app(environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            if hasattr(response, "close"):
                response.close()

    return wsgi


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, read_whole(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser: Browser, live_server: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """Factory of pages, one browser context (one person) each, kept off the outside network.
    Keyword arguments go to ``browser.new_context`` (viewport, color_scheme, JavaScript off)."""
    contexts = []

    def make(**options: Any) -> Page:
        context = browser.new_context(base_url=live_server, **options)
        context.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith(live_server) else route.abort()
            ),
        )
        contexts.append(context)
        return context.new_page()

    yield make
    SCREENS.mkdir(exist_ok=True)
    for index, context in enumerate(contexts):
        for page in context.pages:
            page.screenshot(path=SCREENS / f"{request.node.name}-{index}.png", full_page=True)
        context.close()
