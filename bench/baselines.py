"""Two yardsticks served by gunicorn exactly as the forum is, so the forum's figures read as ratios.

- ``/hello``: bare Flask, a constant string. The ceiling of Flask + gunicorn on this machine
  (and a check that the load generator can drive more than any real page needs).
- ``/rows``: Flask-SQLAlchemy loads 200 ORM rows from its own table and renders them through a
  Jinja template with autoescaping: what a plain "list 200 things" page costs here. The forum's
  200-comment thread page does the same work plus its own (tree, permissions, markdown HTML).

It runs on the same database URL as the forum under test (``FORUM_DATABASE_URL``), with the
forum's SQLite pragmas. ``python bench/baselines.py`` (or ``create_rows(url)``) makes its table;
``gunicorn -c gunicorn.conf.py bench.baselines:app`` serves it.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

from flask import Flask, render_template
from flask_sqlalchemy import SQLAlchemy
from jinja2 import DictLoader
from sqlalchemy import DateTime, String, Text, create_engine, event, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

ROWS = 200

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>
<ol>
{% for row in rows %}  <li id="r{{ row.id }}"><strong>{{ row.author }}</strong>
    <time datetime="{{ row.created_at.isoformat() }}">
      {{- row.created_at.strftime("%d %b %Y") }}</time>
    <div>{{ row.body }}</div></li>
{% endfor %}</ol></main></body></html>
"""


class Base(DeclarativeBase):
    pass


class BaselineRow(Base):
    __tablename__ = "bench_baseline_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    author: Mapped[str] = mapped_column(String(30))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """The forum's own pragmas (forum/__init__.py), so the baseline pays what the forum pays."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_rows(url: str) -> None:
    """(Re)make the baseline's 200-row table, bodies about as long as a forum comment."""
    engine = create_engine(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    body = (
        "Speaking as someone who works in survivor services, the numbers only make sense once "
        "you separate referrals from confirmed cases. <not markup> & so on. "
    ) * 2
    now = datetime.now(UTC)
    with Session(engine) as session:
        session.add_all(
            BaselineRow(id=i, author=f"member{i:05d}", body=f"{body} ({i})", created_at=now)
            for i in range(1, ROWS + 1)
        )
        session.commit()
    engine.dispose()


def create_app(url: str | None = None) -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = url or os.environ["FORUM_DATABASE_URL"]
    app.jinja_loader = DictLoader({"rows.html": TEMPLATE})
    db = SQLAlchemy(model_class=Base)
    db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            event.listen(db.engine, "connect", _sqlite_pragmas)

    @app.get("/hello")
    def hello() -> str:
        return "Hello, World!"

    @app.get("/rows")
    def rows() -> str:
        found = db.session.scalars(select(BaselineRow).order_by(BaselineRow.id)).all()
        return render_template("rows.html", title="200 rows", rows=found)

    return app


# gunicorn imports this module once per worker; the suite sets FORUM_DATABASE_URL first.
app = create_app() if "FORUM_DATABASE_URL" in os.environ else None

if __name__ == "__main__":
    create_rows(os.environ["FORUM_DATABASE_URL"])
