"""The Alembic history builds the same schema as the models, upgrades data in place, and
downgrades cleanly, on whichever database the suite runs against."""

from __future__ import annotations

import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from forum import create_app
from forum.extensions import db
from forum.search.rules import is_search_index_object
from tests.conftest import base_config


def test_upgrade_matches_the_models_and_downgrades_to_nothing(scratch_url: str) -> None:
    app = create_app(base_config(scratch_url))
    with app.app_context():
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            # The search migration's FTS5 table and GIN expression indexes have no model.
            opts = {"include_name": lambda name, type_, parent: not is_search_index_object(name)}
            diff = compare_metadata(MigrationContext.configure(conn, opts=opts), db.metadata)
        assert diff == [], "models and migrations disagree; run flask db migrate"
        flask_migrate.downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_upgrade_keeps_existing_rows(scratch_url: str) -> None:
    """Upgrade a database that already holds a thread made with the first schema."""
    app = create_app(base_config(scratch_url))
    with app.app_context():
        flask_migrate.upgrade(revision="4e3d15038e60")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO users (id, username, username_key, password_hash, role, "
                    "session_version, created_at) VALUES (1, 'janfray', 'janfray', 'x', "
                    "'member', 1, CURRENT_TIMESTAMP)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO threads (id, title, slug, author_id, body_src, body_html, "
                    "created_at, last_activity_at, comment_count, comment_seq) VALUES (1, 'Old', "
                    "'old', 1, 'b', '<p>b</p>', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1, 1)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO comments (id, thread_id, author_id, number, path, depth, "
                    "body_src, body_html, status, created_at) VALUES (1, 1, 1, 1, '000001', 0, "
                    "'c', '<p>c</p>', 'published', CURRENT_TIMESTAMP)"
                )
            )
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            row = conn.execute(text("SELECT removal_reason, appealed FROM comments")).one()
            user = conn.execute(text("SELECT auto_follow_threads FROM users")).one()
        assert tuple(row) == ("", False)
        assert user[0] in (True, 1)
        flask_migrate.downgrade(revision="base")
        db.engine.dispose()


def test_flags_and_queue_items_take_their_comments_thread(scratch_url: str) -> None:
    """Flags and queue items written before threads were moderated name the comment's thread,
    so the queue and the scope checks find them; downgrading keeps them."""
    app = create_app(base_config(scratch_url))
    with app.app_context():
        flask_migrate.upgrade(revision="b7c2d9e4a1f3")
        with db.engine.begin() as conn:
            for statement in (
                "INSERT INTO users (id, username, username_key, password_hash, role, "
                "session_version, created_at) VALUES (1, 'janfray', 'janfray', 'x', 'member', 1, "
                "CURRENT_TIMESTAMP)",
                "INSERT INTO threads (id, title, slug, author_id, body_src, body_html, created_at, "
                "last_activity_at, comment_count, comment_seq) VALUES (7, 'Old', 'old', 1, 'b', "
                "'<p>b</p>', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1, 1)",
                "INSERT INTO comments (id, thread_id, author_id, number, path, depth, body_src, "
                "body_html, status, created_at) VALUES (3, 7, 1, 1, '000001', 0, 'c', '<p>c</p>', "
                "'published', CURRENT_TIMESTAMP)",
                "INSERT INTO flags (id, comment_id, user_id, reason, note, excerpt, weight, "
                "created_at) VALUES (1, 3, 1, 'spam', '', '', 1.0, CURRENT_TIMESTAMP)",
                "INSERT INTO queue_items (id, comment_id, source, state, priority, matches, score, "
                "created_at, reason) VALUES (1, 3, 'flags', 'open', 20, '[]', 0, "
                "CURRENT_TIMESTAMP, '')",
            ):
                conn.execute(text(statement))
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            flag = conn.execute(text("SELECT thread_id, comment_id FROM flags")).one()
            item = conn.execute(text("SELECT thread_id, comment_id FROM queue_items")).one()
            thread = conn.execute(text("SELECT status, locked_at FROM threads")).one()
        assert tuple(flag) == tuple(item) == (7, 3)
        assert tuple(thread) == ("published", None)
        flask_migrate.downgrade(revision="b7c2d9e4a1f3")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT comment_id FROM queue_items")).scalar_one() == 3
        flask_migrate.downgrade(revision="base")
        db.engine.dispose()
