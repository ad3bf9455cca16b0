"""Real answers match the models they are documented with, and bodies are read by theirs.

The serialisers in forum.api.schemas build plain dicts for speed; these tests hold them to
the pydantic models in forum.api.shapes (no field missing, none extra, every type right) and
to the schemas the served document publishes from those models.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jsonschema
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from forum.api import openapi, shapes
from forum.auth.service import create_token
from forum.errors import ForumError
from forum.models import User
from forum.moderation import service as moderation
from forum.threads.service import delete_comment
from tests.factories import make_comment, make_moderator, make_thread, make_user

PREFIX = "/api/v1"
ATTACK = "Are some of you traffickers yourselves? What is your real motivation?"
QUESTION = "What should happen to people found in a raid once the police leave?"
Call = Callable[..., TestResponse]


class Shaped:
    """Calls the API and checks every answer against its documented model, noting which
    documented answers (endpoint and status) were seen."""

    def __init__(self, app: Flask, client: FlaskClient) -> None:
        self.app, self.client = app, client
        self.components = client.get(f"{PREFIX}/openapi.json").get_json()["components"]
        self.seen: set[tuple[str, int]] = set()

    def __call__(self, method: str, path: str, user: User | None = None, **kw: Any) -> Any:
        headers = {"Authorization": f"Bearer {create_token(user)}"} if user else {}
        response = self.client.open(PREFIX + path, method=method, headers=headers, **kw)
        adapter = self.app.url_map.bind("localhost")
        endpoint, _ = adapter.match(PREFIX + path.partition("?")[0], method)
        status = response.status_code
        self.seen.add((endpoint.removeprefix("api."), status))
        if status >= 400:
            self.check(shapes.Error, response)
        else:
            shape, _ = openapi.OPERATIONS[endpoint.removeprefix("api.")].ok[status]
            if isinstance(shape, type):
                self.check(shape, response)
            elif shape is None:
                assert response.get_data() == b"", (method, path)
        return response

    def check(self, model: type[shapes.Shape], response: TestResponse) -> None:
        # Exactly the model's fields, each of its type (extra keys are refused here, though
        # the document lets answers grow).
        model.model_validate_json(response.get_data(), strict=True, extra="forbid")
        # And the schema the document publishes, with the rules only the schema states.
        schema = {"$ref": f"#/components/schemas/{model.__name__}", "components": self.components}
        jsonschema.validate(response.get_json(), schema, cls=jsonschema.Draft202012Validator)


@pytest.fixture
def api(app: Flask, client: FlaskClient) -> Shaped:
    return Shaped(app, client)


def test_every_documented_answer_matches_its_model(api: Shaped) -> None:
    author, reader, moderator = make_user(), make_user(), make_moderator()
    thread = make_thread(author, tags=["housing"])
    gone = make_comment(thread, author=reader)
    make_comment(thread, author=author, parent=gone)
    delete_comment(gone, actor=reader)

    api("GET", "/threads")
    api("GET", "/threads?tag=housing&page=1", reader)
    api("GET", "/tags")
    new = {"title": "Beds in winter", "body": "Who pays?", "tags": ["housing", "funding"]}
    created = api("POST", "/threads", author, json=new).get_json()
    api("POST", "/threads", reader, json={**new, "title": "Are some of you pimps?", "body": ATTACK})
    api("PATCH", f"/threads/{created['id']}", author, json={"title": "Beds this winter"})
    api("PATCH", f"/threads/{created['id']}", author, json={"body": ATTACK})

    reply = api("POST", f"/threads/{thread.id}/comments", reader, json={"body": "Agreed."})
    api("POST", f"/threads/{thread.id}/comments", reader, json={"body": ATTACK})
    api("PATCH", f"/comments/{reply.get_json()['id']}", reader, json={"body": "Agreed, yes."})
    api("PATCH", f"/comments/{reply.get_json()['id']}", reader, json={"body": ATTACK})
    api("GET", f"/threads/{thread.id}", reader)  # the reader's own held comment included

    question = make_comment(thread, author=reader, body=QUESTION)
    api("POST", f"/comments/{question.id}/flags", author, json={"reason": "spam", "note": "x"})
    api("POST", f"/threads/{thread.id}/flags", reader, json={"reason": "off_topic"})
    api("POST", f"/comments/{question.id}/promote", author, json={"intro": "A good one."})

    queue = api("GET", "/moderation/queue", moderator).get_json()["items"]
    assert {item["kind"] for item in queue} == {"comment", "thread"}
    api("POST", f"/moderation/queue/{queue[0]['id']}", moderator, json={"decision": "approve"})

    api("PUT", "/tags/housing/subscription", reader, json={"level": "all"})
    assert api("GET", "/subscriptions", reader).get_json()["tags"]
    api("DELETE", "/tags/housing/subscription", reader)
    make_comment(thread, author=author, parent=question)  # a reply the reader is told of
    assert api("GET", "/notifications", reader).get_json()["notifications"]
    api("POST", "/notifications/read", reader, json={"ids": [1, 2]})
    api("POST", "/notifications/read", reader)
    export = api("GET", "/me/export", reader).get_json()
    assert all(export[part] for part in ("threads", "comments", "flags", "notifications"))
    assert api("GET", "/search?q=survivor").get_json()["results"]
    api("GET", "/openapi.json")

    api("DELETE", f"/comments/{reply.get_json()['id']}", reader)
    api("DELETE", f"/threads/{created['id']}", author)

    documented = {
        (endpoint, status)
        for endpoint, operation in openapi.OPERATIONS.items()
        for status in operation.ok
    }
    assert documented <= api.seen, documented - api.seen


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "/threads", {"title": 5}, 400),
        ("POST", "/threads", {"title": "t", "colour": "red"}, 400),
        ("POST", "/threads", {}, 422),
        ("POST", "/threads", None, 401),
        ("GET", "/threads/999999", None, 404),
        ("GET", "/threads?page=0", None, 400),
    ],
)
def test_errors_match_the_error_model(
    api: Shaped, method: str, path: str, body: Any, status: int
) -> None:
    user = make_user() if body is not None else None
    response = api(method, path, user, json=body)
    assert response.status_code == status


@pytest.mark.parametrize(
    ("model", "body", "field"),
    [
        (shapes.NewThread, {"title": 1}, "title"),
        (shapes.NewThread, {"tags": ["a", 2]}, "tags"),
        (shapes.NewComment, {"parent_id": True}, "parent_id"),
        (shapes.NewComment, {"parent_id": 1.0}, "parent_id"),
        (shapes.NewPromotion, {"move_replies": 1}, "move_replies"),
        (shapes.Decision, {"override": "true"}, "override"),
        (shapes.MarkRead, {"ids": [0]}, "ids"),
        (shapes.MarkRead, {"ids": [True]}, "ids"),
        (shapes.MarkRead, {"ids": list(range(1, shapes.MAX_READ_IDS + 2))}, "ids"),
        (shapes.FollowLevel, {"level": "all", "tag": "x"}, "tag"),
    ],
)
def test_a_body_is_read_as_sent_with_no_coercion(
    model: type[shapes.Body], body: dict[str, Any], field: str
) -> None:
    with pytest.raises(ForumError) as refused:
        shapes.read(model, body)
    assert set(refused.value.fields) == {field}
    assert refused.value.message.startswith(("'", "Unknown field"))


def test_every_body_field_says_what_it_expects() -> None:
    for operation in openapi.OPERATIONS.values():
        for name, field in (operation.body.model_fields if operation.body else {}).items():
            assert any(isinstance(item, shapes.Expect) for item in field.metadata), name


def test_a_missing_expected_field_is_read_as_empty_but_documented_as_required() -> None:
    assert shapes.read(shapes.NewThread, {}).title == ""
    schema = shapes.NewThread.model_json_schema(schema_generator=shapes.SchemaGenerator)
    assert schema["required"] == ["title", "body", "tags"]
    assert "default" not in schema["properties"]["title"]


# Where each body is sent, and a body the endpoint accepts, to break one rule of at a time.
BODIES: dict[type[shapes.Body], tuple[str, str, dict[str, Any]]] = {
    shapes.NewThread: ("POST", "/threads", {"title": "T", "body": "B", "tags": "housing"}),
    shapes.ThreadEdit: ("PATCH", "/threads/{thread}", {}),
    shapes.NewComment: ("POST", "/threads/{thread}/comments", {"body": "B"}),
    shapes.CommentEdit: ("PATCH", "/comments/{comment}", {"body": "B"}),
    shapes.NewFlag: ("POST", "/comments/{question}/flags", {"reason": "spam"}),
    shapes.NewPromotion: ("POST", "/comments/{question}/promote", {}),
    shapes.Decision: ("POST", "/moderation/queue/{item}", {"decision": "remove", "reason": "r"}),
    shapes.FollowLevel: ("PUT", "/tags/housing/subscription", {"level": "all"}),
}


def test_every_body_is_documented_here() -> None:
    bodies = {op.body for op in openapi.OPERATIONS.values() if op.body is not None}
    assert bodies - {shapes.MarkRead} == set(BODIES)


@pytest.mark.parametrize("model", list(BODIES), ids=lambda model: model.__name__)
def test_each_documented_rule_is_the_one_enforced(
    client: FlaskClient, model: type[shapes.Body]
) -> None:
    """The models only document lengths and allowed values (the services check them): just
    past each documented maxLength or enum is a 422 naming the field, and at it is not."""
    author, moderator = make_user(), make_moderator()
    thread = make_thread(author, tags=["housing"])
    comment = make_comment(thread, author=author)
    question = make_comment(thread, author=make_user(), body=QUESTION)
    moderation.flag_post(comment, actor=make_user(), reason="spam")
    item = moderation.open_item(comment)
    assert item is not None
    method, path, good = BODIES[model]
    ids = {"thread": thread.id, "comment": comment.id, "question": question.id, "item": item.id}
    user = moderator if model is shapes.Decision else author
    headers = {"Authorization": f"Bearer {create_token(user)}"}
    rules = model.model_json_schema(schema_generator=shapes.SchemaGenerator)["properties"]
    past, at = {}, {}
    for name, rule in rules.items():
        if "maxLength" in rule:
            past[name], at[name] = "x" * (rule["maxLength"] + 1), "x" * rule["maxLength"]
        elif "enum" in rule:
            past[name], at[name] = "none-such", rule["enum"][0]
    assert past, model
    url = PREFIX + path.format(**ids)
    for name, value in past.items():
        response = client.open(url, method=method, json={**good, name: value}, headers=headers)
        assert response.status_code == 422, (name, response.get_json())
        assert name in response.get_json()["error"]["fields"], name
    # All at once at the rules' edge (a body that is accepted may be accepted only once).
    response = client.open(url, method=method, json={**good, **at}, headers=headers)
    assert response.status_code < 300, response.get_json()
