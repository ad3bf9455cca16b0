"""/api/v1/tags: canonical tags with their thread counts."""

from __future__ import annotations

from flask.testing import FlaskClient

from forum.tags.service import get_tag, merge_tags, update_tag
from tests.api.test_threads import assert_error
from tests.factories import make_thread


def test_tags_empty(client: FlaskClient) -> None:
    response = client.get("/api/v1/tags")
    assert response.status_code == 200
    assert response.get_json() == {"tags": []}


def test_tags_with_counts_busiest_first(client: FlaskClient) -> None:
    make_thread(tags=["housing", "funding"])
    make_thread(tags=["housing"])
    housing = get_tag("housing")
    assert housing is not None
    update_tag(housing, name="Housing", description="Homes & <b>rent</b>")

    tags = client.get("/api/v1/tags").get_json()["tags"]

    assert tags == [
        {
            "slug": "housing",
            "name": "Housing",
            "description": "Homes & <b>rent</b>",
            "thread_count": 2,
        },
        {"slug": "funding", "name": "funding", "description": "", "thread_count": 1},
    ]


def test_merged_tags_are_not_listed(client: FlaskClient) -> None:
    make_thread(tags=["rent"])
    make_thread(tags=["housing"])
    merge_tags(get_tag("rent"), get_tag("housing"))  # type: ignore[arg-type]

    tags = client.get("/api/v1/tags").get_json()["tags"]

    assert [(t["slug"], t["thread_count"]) for t in tags] == [("housing", 2)]


def test_tags_with_token(client: FlaskClient, member_auth: dict[str, str]) -> None:
    assert client.get("/api/v1/tags", headers=member_auth).status_code == 200


def test_tags_bad_token_is_401(client: FlaskClient) -> None:
    assert_error(client.get("/api/v1/tags", headers={"Authorization": "Bearer fat_x"}), 401)


def test_tags_are_read_only(client: FlaskClient, member_auth: dict[str, str]) -> None:
    assert_error(client.post("/api/v1/tags", json={"slug": "x"}, headers=member_auth), 405)
