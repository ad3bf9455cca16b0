"""Page weight: the thread page with 200 comments, and the stylesheet and script it loads, raw
and gzip-compressed, against the budgets of issue 8.

Run: ``.venv/bin/python bench/page_weight.py`` (a scratch SQLite database in a temporary
folder; nothing else is touched). Budgets, compressed: the thread page's HTML under 150 KB,
CSS and JS together under 50 KB. KB here is 1,000 bytes; gzip at level 6, what a proxy sends.
These are sizes, not timings: the same code gives the same figures on every machine, so
tests/test_page_weight.py asserts the same budgets.

The page is measured three times, as an anonymous reader, a member (Reply, Quote and Flag on
every comment) and a moderator (Edit, Delete and Promote too). The comments are shaped as the
reply service writes them: numbered, in a tree (about half answer an earlier comment), with
rendered Markdown (quotes, lists, emphasis, a few long links and code blocks). Their words are
drawn at random from the demo threads' vocabulary, about 400 characters a comment (as in the
demo): random words compress worse than prose, so the compressed figures err high.
"""

from __future__ import annotations

import gzip
import random
import re
import sys
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask import g  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402

from forum.auth.service import register_user  # noqa: E402
from forum.demo.content import THREADS  # noqa: E402
from forum.extensions import db  # noqa: E402
from forum.models import Comment, Role, Thread, User  # noqa: E402
from forum.models.base import utcnow  # noqa: E402
from forum.text import render_markdown  # noqa: E402
from forum.threads.rules import comment_position  # noqa: E402
from forum.threads.service import create_thread  # noqa: E402

COMMENTS = 200
HTML_BUDGET = 150_000
ASSET_BUDGET = 50_000
GZIP_LEVEL = 6
LONG_LINK = "https://reports.example.org/" + "anti-trafficking-funding-" * 6 + "table-4.csv"
CODE = "```\n" + "region | referrals | confirmed | share_confirmed_per_thousand_calls\n" * 3 + "```"


@dataclass(frozen=True)
class Weight:
    name: str
    raw: int
    compressed: int
    budget: int

    @property
    def ok(self) -> bool:
        return self.compressed < self.budget


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))


def _vocabulary() -> list[str]:
    text = " ".join(c.body for t in THREADS for c in t.comments)
    return sorted({w.lower() for w in re.findall(r"[A-Za-z][a-z']+", text)})


def _sentence(rng: random.Random, words: list[str]) -> str:
    text = " ".join(rng.choice(words) for _ in range(rng.randint(6, 20)))
    return text[0].upper() + text[1:] + rng.choice(".....?")


def _body(rng: random.Random, words: list[str], number: int) -> str:
    """One comment's Markdown: one to three paragraphs, now and then a quote, a list,
    emphasis, a long link or a code block."""
    paragraphs = [
        " ".join(_sentence(rng, words) for _ in range(rng.randint(1, 3)))
        for _ in range(rng.choice((1, 1, 2, 2, 3)))
    ]
    if number % 5 == 0:
        paragraphs.insert(0, "> " + _sentence(rng, words))
    if number % 7 == 0:
        paragraphs.append("\n".join(f"- {_sentence(rng, words)}" for _ in range(3)))
    if number % 3 == 0:
        first, _, rest = paragraphs[-1].partition(" ")
        paragraphs[-1] = f"**{first}** {rest}"
    if number % 25 == 0:
        paragraphs.append(f"The table: {LONG_LINK}")
    if number % 40 == 0:
        paragraphs.append(CODE)
    return "\n\n".join(paragraphs)


def seed_thread(comments: int = COMMENTS) -> tuple[Thread, User, User]:
    """A thread with ``comments`` comments by 20 people; (thread, a member, a moderator).

    Inside an app context, on an empty (or any) database. Comments are inserted as the reply
    service would write them, without its moderation pass: 200 of those would time the
    rules, not weigh the page.
    """
    rng = random.Random(8)
    words = _vocabulary()
    people = [register_user(f"reader_{n:02d}", "weight-password") for n in range(20)]
    moderator = register_user("weight_moderator", "weight-password", role=Role.MODERATOR)
    thread = create_thread(
        author=people[0],
        title="Where the anti-trafficking money goes: two hundred replies",
        body="Let's compare what shelters receive with what enforcement receives.",
        tags=["funding", "research-and-statistics"],
    )
    start = utcnow() - timedelta(days=3)
    posted: list[Comment] = []
    parents: list[Comment | None] = []
    for number in range(1, comments + 1):
        body = _body(rng, words, number)
        parent = rng.choice(posted) if posted and rng.random() < 0.5 else None
        path, depth = comment_position(
            parent.path if parent else None, parent.depth if parent else 0, number
        )
        comment = Comment(
            thread_id=thread.id,
            author=people[rng.randrange(len(people))],
            number=number,
            path=path,
            depth=depth,
            body_src=body,
            body_html=render_markdown(body),
            status="published",
            created_at=start + timedelta(minutes=7 * number),
        )
        db.session.add(comment)
        posted.append(comment)
        parents.append(parent)
    db.session.flush()  # ids for all, then who answers whom: two statements, not 200
    for comment, parent in zip(posted, parents, strict=True):
        comment.parent_id = parent.id if parent else None
    thread.comment_seq = thread.comment_count = comments
    thread.last_activity_at = posted[-1].created_at
    db.session.commit()
    return thread, people[1], moderator


def _page(client: FlaskClient, url: str, user: User | None) -> bytes:
    g.pop("_login_user", None)  # an app context kept open would keep the last reader
    with client.session_transaction() as session:
        session.clear()
        if user is not None:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data()


def _asset(client: FlaskClient, url: str) -> bytes:
    response = client.get(url)
    try:
        assert response.status_code == 200, (url, response.status_code)
        return response.get_data()
    finally:
        response.close()  # a static file is sent from an open file


def assets_of(html: str) -> list[str]:
    """The stylesheets and scripts a page loads, in order."""
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    scripts = re.findall(r'<script[^>]* src="([^"]+)"', html)
    return links + scripts


def measure(client: FlaskClient, thread: Thread, member: User, moderator: User) -> list[Weight]:
    """The page as each kind of reader gets it, then its CSS and JS together."""
    url = f"/threads/{thread.id}/{thread.slug}"
    weights = []
    pages = {}
    for name, user in (("anonymous", None), ("member", member), ("moderator", moderator)):
        body = _page(client, url, user)
        pages[name] = body
        weights.append(Weight(f"thread page ({name})", len(body), gzipped(body), HTML_BUDGET))
    urls = assets_of(pages["member"].decode())
    files = [_asset(client, u) for u in urls]
    weights.append(
        Weight(
            "CSS + JS (" + ", ".join(u.split("?")[0].rsplit("/", 1)[1] for u in urls) + ")",
            sum(len(f) for f in files),
            sum(gzipped(f) for f in files),
            ASSET_BUDGET,
        )
    )
    return weights


def report(weights: list[Weight], comments: int) -> str:
    lines = [
        f"{'':40} {'raw':>10} {'gzip -6':>10} {'budget':>10}",
    ]
    for w in weights:
        verdict = "PASS" if w.ok else "OVER"
        lines.append(
            f"{w.name:40} {w.raw / 1000:>7.1f} KB {w.compressed / 1000:>7.1f} KB "
            f"{w.budget / 1000:>7.0f} KB  {verdict}"
        )
    lines.append(f"({comments} comments; KB = 1,000 bytes)")
    return "\n".join(lines)


def _app(folder: str) -> Any:
    import flask_migrate

    from forum import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "page-weight",
            "DATABASE_URL": f"sqlite:///{folder}/weight.db",
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    with app.app_context():
        flask_migrate.upgrade()
    return app


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        app = _app(folder)
        with app.app_context():
            thread, member, moderator = seed_thread()
            weights = measure(app.test_client(), thread, member, moderator)
            db.session.remove()
            db.engine.dispose()
    print(report(weights, COMMENTS))
    return 0 if all(w.ok for w in weights) else 1


if __name__ == "__main__":
    raise SystemExit(main())
