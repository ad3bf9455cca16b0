"""GET /api/v1/search: the site's results as JSON, in the documented shape."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.api.test_openapi import check
from tests.factories import make_comment, make_thread, make_user

URL = "/api/v1/search"


def test_results_match_the_document_and_the_site(client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    alice = make_user("alice")
    thread = make_thread(alice, title="Rent strike", body="Notes.", tags=["housing"])
    comment = make_comment(thread, body="The <b>strike</b> starts Monday.")
    response = client.get(URL, query_string={"q": "strike"})
    check(doc, "/search", "get", response)
    data = response.get_json()
    assert (data["total"], data["page"], data["next_page"], data["message"]) == (2, 1, None, None)
    first, second = data["results"]
    assert (first["type"], first["thread_id"], first["comment_id"]) == ("thread", thread.id, None)
    assert first["author"] == "alice" and first["tags"] == ["housing"]
    assert (second["type"], second["comment_id"], second["number"]) == (
        "comment",
        comment.id,
        comment.number,
    )
    assert second["url"].endswith(f"/threads/{thread.id}/{thread.slug}#c{comment.number}")
    # Snippets are text pieces with the match flagged, never HTML. (PostgreSQL's parser
    # leaves tag-like text such as "<b>" out of headlines; SQLite keeps it, as text.)
    assert {"text": "strike", "match": True} in second["snippet"]
    assert "starts Monday" in "".join(piece["text"] for piece in second["snippet"])


def test_unusable_queries_answer_with_a_message(client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    make_thread(title="Rent strike")
    for params in ({"q": ""}, {"q": "!!"}, {"q": "strike", "tag": "nope"}, {"q": "x' OR 1=1"}):
        response = client.get(URL, query_string=params)
        check(doc, "/search", "get", response)
        assert response.get_json()["results"] == []
    assert client.get(URL, query_string={"q": "!!"}).get_json()["message"]


def test_pages_past_the_cap_are_refused(client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    for page in ("51", "0", "x"):
        response = client.get(URL, query_string={"q": "strike", "page": page})
        assert response.status_code == 400
        check(doc, "/search", "get", response)
