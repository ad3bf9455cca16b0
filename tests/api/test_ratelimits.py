"""The API's named limits: one budget for all API calls, and "post" shared with the site."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from forum.models import User
from tests.api.test_threads import assert_error
from tests.factories import make_thread


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_API": "5 per minute",
        "RATELIMIT_POST": "2 per minute",
    }


def test_api_limit_is_shared_across_endpoints(client: FlaskClient) -> None:
    thread = make_thread()
    urls = ["/api/v1/threads", "/api/v1/tags", f"/api/v1/threads/{thread.id}"]
    statuses = [client.get(urls[i % 3]).status_code for i in range(5)]
    assert statuses == [200] * 5
    response = client.get("/api/v1/openapi.json")
    assert_error(response, 429)


def test_bad_tokens_spend_the_api_limit(client: FlaskClient) -> None:
    for _ in range(5):
        assert client.get("/api/v1/tags", headers={"Authorization": "Bearer x"}).status_code == 401
    assert_error(client.get("/api/v1/tags"), 429)


def test_post_limit_counts_site_and_api_together(
    client: FlaskClient,
    member: User,
    member_auth: dict[str, str],
    login_as: Callable[[User], FlaskClient],
) -> None:
    thread = make_thread()
    login_as(member)
    site = client.post(f"/threads/{thread.id}/comments", data={"body": "From the site"})
    assert site.status_code == 302

    url = f"/api/v1/threads/{thread.id}/comments"
    assert client.post(url, json={"body": "From the API"}, headers=member_auth).status_code == 201
    assert_error(client.post(url, json={"body": "One too many"}, headers=member_auth), 429)
    body = {"title": "t", "body": "b", "tags": "t"}
    assert_error(client.post("/api/v1/threads", json=body, headers=member_auth), 429)


def test_posts_also_spend_the_api_limit(client: FlaskClient, member_auth: dict[str, str]) -> None:
    thread = make_thread()
    for _ in range(4):
        assert client.get("/api/v1/tags").status_code == 200
    url = f"/api/v1/threads/{thread.id}/comments"
    assert client.post(url, json={"body": "fifth call"}, headers=member_auth).status_code == 201
    assert_error(client.get("/api/v1/tags"), 429)
