"""The app's Redis clients keep what the URL asks for (TLS, a Unix socket) when they pause.

How a pause behaves against a hung Redis is tested in tests/test_outages.py.
"""

from __future__ import annotations

import pytest
from redis import Redis
from redis.connection import Connection, SSLConnection, UnixDomainSocketConnection
from redis.exceptions import ConnectionError as RedisConnectionError

from forum import redis_clients


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("redis://cache.internal:6379/0", Connection),
        ("rediss://cache.internal:6380/0", SSLConnection),
        ("unix:///run/redis/redis.sock?db=1", UnixDomainSocketConnection),
    ],
)
def test_a_client_keeps_its_urls_transport_and_pauses(url: str, kind: type) -> None:
    client = Redis.from_url(url, **redis_clients.options(url))
    connection = client.connection_pool.make_connection()
    assert isinstance(connection, kind)
    assert isinstance(connection, redis_clients.Pausing)
    assert connection.socket_timeout == redis_clients.SOCKET_SECONDS
    client.close()


def test_a_paused_server_is_refused_without_a_round_trip_and_others_are_not(monkeypatch) -> None:
    monkeypatch.setattr(redis_clients, "_paused_until", {})  # this test's pauses end with it
    url = "redis://127.0.0.1:1/0"  # nothing listens: refused
    client = Redis.from_url(url, **redis_clients.options(url))
    with pytest.raises(RedisConnectionError) as refused:
        client.ping()
    assert not isinstance(refused.value, redis_clients.Paused)
    with pytest.raises(redis_clients.Paused):
        client.ping()
    assert not redis_clients.paused(("127.0.0.1", 2))
