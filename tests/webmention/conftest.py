"""The local "blog" the webmention tests fetch from: a real HTTP server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.webmention.blog import Blog


@pytest.fixture
def blog() -> Iterator[Blog]:
    server = Blog().start()
    yield server
    server.stop()
