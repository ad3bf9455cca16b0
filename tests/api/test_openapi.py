"""The OpenAPI document: it names exactly the served routes, and responses match its schemas."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from forum.models import User
from forum.threads.service import delete_comment
from tests.api.conftest import bearer, suspend
from tests.factories import make_comment, make_thread, make_user

PREFIX = "/api/v1"
IGNORED_METHODS = {"HEAD", "OPTIONS"}  # added by Flask to every rule
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


@pytest.fixture
def doc(client: FlaskClient) -> dict[str, Any]:
    response = client.get(f"{PREFIX}/openapi.json")
    assert response.status_code == 200
    assert response.is_json
    return response.get_json()


def openapi_path(rule: str) -> str:
    """Flask's ``/threads/<int(max=9):thread_id>`` as OpenAPI's ``/threads/{thread_id}``."""
    return re.sub(r"<(?:[^>]*:)?(\w+)>", r"{\1}", rule.removeprefix(PREFIX))


def test_declares_openapi_3_1(doc: dict[str, Any]) -> None:
    assert re.fullmatch(r"3\.1\.\d+", doc["openapi"])
    assert doc["info"]["title"] and doc["info"]["version"]
    assert doc["servers"] == [{"url": PREFIX}]


def test_paths_match_the_url_map_both_ways(app: Flask, doc: dict[str, Any]) -> None:
    served: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(PREFIX + "/"):
            methods = set(rule.methods or ()) - IGNORED_METHODS
            served.setdefault(openapi_path(rule.rule), set()).update(methods)
    documented = {
        path: {method.upper() for method in item if method in HTTP_METHODS}
        for path, item in doc["paths"].items()
    }
    assert served == documented


def test_path_parameters_are_declared(doc: dict[str, Any]) -> None:
    for path, item in doc["paths"].items():
        names = set(re.findall(r"{(\w+)}", path))
        for method, operation in item.items():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == names, (path, method)


def test_every_ref_resolves(doc: dict[str, Any]) -> None:
    refs: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "$ref" in node:
                refs.append(node["$ref"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc)
    assert refs
    for ref in refs:
        resolve(doc, ref)


# Reads of one's own or moderators' data: a token is required (401 without one).
PRIVATE_READS = {"/moderation/queue", "/subscriptions", "/notifications", "/me/export"}
# Writes whose body is optional: an empty one means "all".
BODILESS_WRITES = {"/notifications/read"}


def test_security_and_error_schema(doc: dict[str, Any]) -> None:
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": doc["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    error = doc["components"]["schemas"]["Error"]["properties"]["error"]
    assert set(error["required"]) == {"code", "message", "fields"}
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method == "get" and path in PRIVATE_READS:
                assert operation["security"] == [{"bearerAuth": []}], path
                assert "401" in operation["responses"], path
            elif method == "get":
                assert {} in operation["security"], path  # reads are public
            else:
                assert operation["security"] == [{"bearerAuth": []}], path
                assert {"401", "403"} <= set(operation["responses"]), path
                if method in ("post", "put") and path not in BODILESS_WRITES:
                    assert operation["requestBody"]["required"] is True, path
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    assert response == {"$ref": response["$ref"]}
                    target = resolve(doc, response["$ref"])
                    schema = target["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}


def test_document_is_valid_openapi(doc: dict[str, Any]) -> None:
    """Full validation by openapi-spec-validator (a dev dependency)."""
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(doc)


# --- responses against the documented schemas -------------------------------------------------


def resolve(doc: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = doc
    for part in ref[2:].split("/"):
        node = node[part]
    return node


JSON_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def conforms(doc: dict[str, Any], schema: dict[str, Any], value: Any, where: str = "$") -> None:
    """The subset of JSON Schema our document uses; enough to catch a drifting shape."""
    if "$ref" in schema:
        conforms(doc, resolve(doc, schema["$ref"]), value, where)
    for part in schema.get("allOf", []):
        conforms(doc, part, value, where)
    if "oneOf" in schema:
        passed = 0
        for option in schema["oneOf"]:
            try:
                conforms(doc, option, value, where)
                passed += 1
            except AssertionError:
                pass
        assert passed == 1, f"{where}: matches {passed} of oneOf"
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        assert any(JSON_TYPES[t](value) for t in types), f"{where}: {value!r} is not {types}"
    if "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r} not in {schema['enum']}"
    if isinstance(value, dict):
        for name in schema.get("required", []):
            assert name in value, f"{where}: missing {name}"
        properties = schema.get("properties", {})
        for name, item in value.items():
            if name in properties:
                conforms(doc, properties[name], item, f"{where}.{name}")
            elif isinstance(schema.get("additionalProperties"), dict):
                conforms(doc, schema["additionalProperties"], item, f"{where}.{name}")
            else:
                assert schema.get("additionalProperties", True) is not False, where
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            conforms(doc, schema["items"], item, f"{where}[{index}]")


def check(doc: dict[str, Any], path: str, method: str, response: Any) -> None:
    """The status is documented for the operation, and the body matches its schema."""
    operation = doc["paths"][path][method]
    status = str(response.status_code)
    assert status in operation["responses"], (path, method, status)
    documented = operation["responses"][status]
    if "$ref" in documented:
        documented = resolve(doc, documented["$ref"])
    schema = documented["content"]["application/json"]["schema"]
    conforms(doc, schema, response.get_json())
    for header in documented.get("headers", {}):
        assert header in response.headers, (path, method, status, header)


def test_responses_match_the_schemas(client: FlaskClient, doc: dict[str, Any]) -> None:
    author = make_user()
    headers = bearer(_token(author))
    thread = make_thread(tags=["housing"])
    gone = make_comment(thread, author=author)
    make_comment(thread, parent=gone)
    delete_comment(gone, actor=author)

    check(doc, "/threads", "get", client.get(f"{PREFIX}/threads"))
    check(doc, "/threads", "get", client.get(f"{PREFIX}/threads?page=0"))
    check(doc, "/threads", "get", client.get(f"{PREFIX}/threads?tag=nope"))
    check(doc, "/threads", "get", client.get(f"{PREFIX}/threads", headers=bearer("fat_x")))
    new = {"title": "T", "body": "B", "tags": ["a", "b"]}
    check(doc, "/threads", "post", client.post(f"{PREFIX}/threads", json=new, headers=headers))
    check(doc, "/threads", "post", client.post(f"{PREFIX}/threads", json=new))
    check(doc, "/threads", "post", client.post(f"{PREFIX}/threads", data="{", headers=headers))
    check(doc, "/threads", "post", client.post(f"{PREFIX}/threads", json={}, headers=headers))

    one = "/threads/{thread_id}"
    check(doc, one, "get", client.get(f"{PREFIX}/threads/{thread.id}"))
    check(doc, one, "get", client.get(f"{PREFIX}/threads/{thread.id}", headers=headers))
    check(doc, one, "get", client.get(f"{PREFIX}/threads/999"))

    comments = "/threads/{thread_id}/comments"
    url = f"{PREFIX}/threads/{thread.id}/comments"
    check(doc, comments, "post", client.post(url, json={"body": "x"}, headers=headers))
    check(doc, comments, "post", client.post(url, json={"body": ""}, headers=headers))
    check(doc, comments, "post", client.post(url, json={"body": 1}, headers=headers))
    missing = f"{PREFIX}/threads/999/comments"
    check(doc, comments, "post", client.post(missing, json={"body": "x"}, headers=headers))
    suspend(author)
    check(doc, comments, "post", client.post(url, json={"body": "x"}, headers=headers))

    check(doc, "/tags", "get", client.get(f"{PREFIX}/tags"))
    check(doc, "/openapi.json", "get", client.get(f"{PREFIX}/openapi.json"))


def _token(user: User) -> str:
    from forum.auth.service import create_token

    return create_token(user)
