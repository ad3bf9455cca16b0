"""Fixtures for the feed tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.feeds.helpers import ATOM, parse_atom


@pytest.fixture
def read_feed(client: FlaskClient) -> Callable[[str], Any]:
    def read(url: str) -> Any:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Content-Type"] == ATOM
        return parse_atom(response.data)

    return read
