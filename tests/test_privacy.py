"""No IP address is kept in the database: rate limits count addresses in their own storage
(memory or Redis) only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import inspect, text

from forum.extensions import db
from tests.factories import make_comment, make_thread

ADDRESS = "203.0.113.77"


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    # Limits on, so every path that reads the client's address runs.
    return {"RATELIMIT_ENABLED": True}


def test_no_column_is_meant_for_an_address() -> None:
    suspicious = re.compile(r"(^|_)(ip|ips|ip_address|remote_addr|address|user_agent)($|_)")
    columns = [
        f"{table.name}.{column.name}"
        for table in db.metadata.sorted_tables
        for column in table.columns
    ]
    assert [c for c in columns if suspicious.search(c.split(".", 1)[1])] == []


def test_registering_posting_flagging_and_the_api_store_no_address(app) -> None:
    thread = make_thread(tags=["funding"])
    someone_else = make_comment(thread, body="A comment someone else wrote.")
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ADDRESS
    password = "a long passphrase"

    assert (
        client.post("/register", data={"username": "visitor", "password": password}).status_code
        == 302
    )
    client.post("/logout")
    assert (
        client.post("/login", data={"username": "visitor", "password": "wrong"}).status_code == 422
    )
    assert (
        client.post("/login", data={"username": "visitor", "password": password}).status_code == 302
    )
    new = {"title": "From an address", "body": "Posting.", "tags": "funding"}
    assert client.post("/threads/new", data=new).status_code == 302
    reply = client.post(f"/threads/{thread.id}/comments", data={"body": "A reply."})
    assert reply.status_code == 302
    flag = client.post(f"/comments/{someone_else.id}/flag", data={"reason": "spam"})
    assert flag.status_code == 302
    created = client.post("/settings/account/tokens", data={"name": "script"})
    token = re.search(r'readonly value="(fat_[^"]+)"', created.get_data(as_text=True)).group(1)
    api = client.get("/api/v1/notifications", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200
    assert client.get("/settings/account/export").status_code == 200

    assert _tables_holding(ADDRESS) == []
    # The scan does see what was stored: the name, the thread and the reply.
    stored = set(_tables_holding("visitor", "From an address", "A reply."))
    assert {"users", "threads", "comments"} <= stored


def _tables_holding(*needles: str) -> list[str]:
    """Every table (models' or not, e.g. the search index) with a value containing a needle."""
    found = []
    with db.engine.connect() as conn:
        for name in inspect(conn).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{name}"')):
                if any(n in str(value) for value in row for n in needles):
                    found.append(name)
                    break
    return found
