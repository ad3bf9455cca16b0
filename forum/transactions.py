"""How a request's transaction ends on PostgreSQL: one that only read ends with COMMIT.

psycopg prepares a statement the fifth time a connection runs it, so PostgreSQL stops planning
it again, but it forgets every prepared statement on ROLLBACK (a rolled-back transaction may
have dropped what they refer to). Flask-SQLAlchemy ends each request by rolling back, so the
pages that run the same few selects on every view never got prepared: planning them cost the
server more than running them. A transaction that sent no statement but SELECT has nothing to
undo, so COMMIT and ROLLBACK do the same to the data; COMMIT keeps the prepared statements.
A transaction that wrote anything still ends as the request decided (committed by the
service, or rolled back here as before).

A prepared statement has a cost: after five runs PostgreSQL may plan it once for any value
of its parameters (a generic plan). That is right for the thread page's selects, whose rows
per value hardly vary, and wrong for those that filter by a tag or search words, whose
matches run from none to most of the table: measured on the benchmark's data, search fell
from 77 to 15 pages a second and the tag page from 124 to 85. ``with custom_plans():`` asks
for plans made for each run's values around such selects, and no longer: planning the home
and tag pages' open-questions select each time cost 3.5 ms, more than running it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, SessionTransaction

from forum.extensions import db

_WROTE = "forum.wrote"
_CONNECTION = "forum.connection"
# How the statements of ``custom_plans`` begin; the setting ends with the transaction.
PLAN_SETTING = "SET LOCAL plan_cache_mode"
_CUSTOM_PLANS = text(f"{PLAN_SETTING} = force_custom_plan")
_DEFAULT_PLANS = text(f"{PLAN_SETTING} TO DEFAULT")
# What a transaction that only reads sends: selects, and the plan setting, which ends with it.
_READS = ("SELECT", PLAN_SETTING)


@contextmanager
def custom_plans() -> Iterator[None]:
    """On PostgreSQL, plan each select inside for its own values (the module docstring): for
    selects filtered by a tag or by search words. Nothing on SQLite. After an error the
    setting is left to end with the transaction, which is then rolled back."""
    postgres = db.session.get_bind().dialect.name == "postgresql"
    if postgres:
        db.session.execute(_CUSTOM_PLANS)
    yield
    if postgres:
        db.session.execute(_DEFAULT_PLANS)


def init_transactions(app: Flask) -> None:
    """Track, per connection, whether its transaction sent anything but SELECT; at the end
    of each request, commit a transaction that did not (before Flask-SQLAlchemy closes the
    session, since teardown functions run in reverse order of registration)."""
    with app.app_context():
        engine: Engine = db.engine
    event.listen(engine, "before_cursor_execute", _note_writes)
    event.listen(engine, "commit", _forget_writes)
    event.listen(engine, "rollback", _forget_writes)
    app.teardown_appcontext(_end_reads)


@event.listens_for(db.session, "after_begin")
def _note_connection(session: Session, _transaction: SessionTransaction, conn: Connection) -> None:
    """The connection a session's transaction runs on: the end of a request looks at it
    without asking the pool for one (a request that sent no SQL, or found the database
    unreachable, has none)."""
    session.info[_CONNECTION] = conn


@event.listens_for(db.session, "after_transaction_end")
def _forget_connection(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_CONNECTION, None)


def _note_writes(conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
    if not statement.startswith(_READS):
        conn.info[_WROTE] = True


def _forget_writes(conn: Connection) -> None:
    conn.info.pop(_WROTE, None)


def _end_reads(exc: BaseException | None) -> None:
    session = db.session()
    conn: Connection | None = session.info.get(_CONNECTION)
    if exc is not None or conn is None or conn.invalidated or conn.info.get(_WROTE):
        return
    transaction = session.get_transaction()
    if transaction is None or not transaction.is_active:
        return
    if session.new or session.dirty or session.deleted:
        return  # changes not yet sent: the request did not commit them, so they go
    try:
        session.commit()
    except DBAPIError:
        return  # the server went away after the page was read: nothing was written
