"""The Webmention endpoint's two rate limits: per sending address, and per source host
however many addresses one site sends from."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import make_thread


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_WEBMENTION": "3 per minute",
        "RATELIMIT_WEBMENTION_SOURCE": "2 per minute",
    }


def _send(client, source: str, target: str, address: str):  # noqa: ANN001, ANN202
    return client.post(
        "/webmention",
        data={"source": source, "target": target},
        environ_base={"REMOTE_ADDR": address},
    )


def test_one_source_host_is_limited_across_addresses(client) -> None:
    thread = make_thread()
    target = f"http://localhost/threads/{thread.id}/{thread.slug}"
    statuses = [
        _send(client, f"https://blog.example/post{n}", target, f"198.51.100.{n}").status_code
        for n in range(1, 4)
    ]
    assert statuses == [202, 202, 429]
    # Another site from the same addresses is not held back by blog.example.
    assert _send(client, "https://other.example/p", target, "198.51.100.3").status_code == 202


def test_one_address_is_limited_across_source_hosts(client) -> None:
    thread = make_thread()
    target = f"http://localhost/threads/{thread.id}/{thread.slug}"
    statuses = [
        _send(client, f"https://site{n}.example/post", target, "203.0.113.9").status_code
        for n in range(4)
    ]
    assert statuses == [202, 202, 202, 429]
    response = _send(client, "https://site9.example/post", target, "203.0.113.10")
    assert response.status_code == 202


def test_bad_requests_count_too_against_their_sender(client) -> None:
    """Refused requests spend the sender's budget (probing costs as much as sending); with
    no source host to count them by, they count by the sender's address alone."""
    statuses = [_send(client, "", "", "192.0.2.1").status_code for _ in range(3)]
    assert statuses == [400, 400, 429]
    assert _send(client, "", "", "192.0.2.2").status_code == 400
