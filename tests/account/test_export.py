"""Export: a JSON file of everything the account holds, and nobody else's private data."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from forum.models import ApiToken, User
from tests.api.conftest import bearer, revoke_all
from tests.api.test_openapi import check


def _export(client) -> tuple[dict, str]:
    response = client.get("/settings/account/export")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    return json.loads(text), text


def test_the_export_downloads_everything_the_account_holds(client, login_as, life, db) -> None:
    login_as(life.hazel)
    response = client.get("/settings/account/export")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="forum-hazel-\d{4}-\d{2}-\d{2}\.json"', disposition)
    assert response.headers["Cache-Control"] == "private, no-store"
    data = response.get_json()
    assert data["format"] == "forum-account-export/1"
    assert data["profile"]["username"] == "hazel"
    assert data["profile"]["email"] == "hazel@example.org"
    assert [t["title"] for t in data["threads"]] == ["Beds in winter"]
    assert data["threads"][0]["body"] == "Who pays for the **winter beds**?"  # Markdown source
    assert [v["tags"] for v in data["threads"][0]["earlier_versions"]] == [
        ["funding"],
        ["funding", "housing"],
    ]
    assert data["ignoring"] == ["needler"]
    (comment,) = data["comments"]
    assert comment["body"] == "A considered point about vans."
    assert [v["body"] for v in comment["earlier_versions"]] == ["First draft of my point."]
    assert [(f["reason"], f["note"]) for f in data["flags"]] == [("off_topic", "A private note")]
    assert data["subscriptions"]["tags"][0]["tag"] == "funding"
    assert data["subscriptions"]["tags"][0]["level"] == "daily"
    assert {t["title"] for t in data["subscriptions"]["threads"]} >= {"Beds in winter"}
    kinds = {(n["kind"], n["actor"]) for n in data["notifications"]}
    assert ("reply", "rowan") in kinds and ("warning", "keeper") in kinds
    assert [t["name"] for t in data["api_tokens"]] == ["laptop"]
    assert data["moderation_record"][0]["reason"] == "Keep it about the argument."


def test_the_export_holds_no_secrets_and_no_one_elses_private_data(client, login_as, life, db):
    login_as(life.hazel)
    _, text = _export(client)
    token_hash = db.session.scalar(select(ApiToken.token_hash))
    hazel = db.session.get(User, life.hazel.id)
    for secret in (life.token, token_hash, hazel.password_hash, hazel.feed_token):
        assert secret not in text
    assert "rowan@example.org" not in text
    assert "Rowan answers the point." not in text  # others' words are theirs to export


def test_each_person_exports_only_their_own(client, login_as, life) -> None:
    login_as(life.rowan)
    data, text = _export(client)
    assert data["profile"]["username"] == "rowan"
    assert "hazel@example.org" not in text and "A private note" not in text
    assert [t["title"] for t in data["threads"]] == ["Outreach vans"]


def test_the_api_export_is_the_same_document_and_matches_its_schema(client, login_as, life):
    doc = client.get("/api/v1/openapi.json").get_json()
    response = client.get("/api/v1/me/export", headers=bearer(life.token))
    check(doc, "/me/export", "get", response)
    login_as(life.hazel)
    site, _ = _export(client)
    api = response.get_json()
    assert {**api, "exported_at": None} == {
        **site,
        "exported_at": None,
        # The site's download came after the API call marked the token used.
        "api_tokens": api["api_tokens"],
    }


def test_the_api_export_needs_a_live_token(client, life) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    missing = client.get("/api/v1/me/export")
    check(doc, "/me/export", "get", missing)
    assert missing.status_code == 401
    revoke_all(life.hazel)
    revoked = client.get("/api/v1/me/export", headers=bearer(life.token))
    assert revoked.status_code == 401
    assert "revoked" in revoked.get_json()["error"]["message"]
