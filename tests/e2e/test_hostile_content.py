"""Every payload of the XSS corpus, in every field the forum shows, stays inert in chromium.

The corpus (../shared/data/xss: 2,800 public payloads and 78 Markdown vectors) goes into
comment and thread bodies, thread titles, usernames, tags (names typed into a thread, and a
moderator's tag names and descriptions), moderation rule messages, flag notes and search
queries. Then the thread, tag, search, queue, rule, profile and editor pages are opened in
chromium with the Content-Security-Policy header stripped, every page that holds payloads,
so the proof is that the HTML is inert, not only that CSP blocked it; and as served, with
CSP, through the forms and one light page of each kind. tests/e2e/xss_watch.py lists what
counts as script running; escaped fields must also show the stored text exactly (escaped
once, never twice). Feeds and mail have tests of their own below.

Speed: the services commit once per call (reply() takes about 20 ms), which for 2,878
payloads in each of several fields would take minutes, so the corpus is stored in bulk by
``Seeder`` exactly as the services store it (the same cleaning and rendering functions),
and a sample goes through the services themselves, the HTML forms in the browser and the
JSON API over HTTP; the sample's rows are compared with the bulk rows. Pages hold hundreds
of payloads each (THREADS_PER_PAGE is raised for the tag pages). The figures of each run
are written to tests/e2e/screens/hostile-*.json.
"""

from __future__ import annotations

import email
import itertools
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from html.parser import HTMLParser
from typing import Any

import pytest
from lxml import etree
from playwright.sync_api import Browser, expect
from sqlalchemy import func, insert

from forum.auth.service import create_token, register_user
from forum.errors import ValidationError
from forum.extensions import db
from forum.feeds.service import TAG_FEED_SIZE, THREAD_FEED_SIZE
from forum.mail import messages
from forum.mail import service as mail_service
from forum.models import (
    Comment,
    CommentStatus,
    Flag,
    FlagReason,
    ModerationRule,
    QueueItem,
    QueueSource,
    Tag,
    TagLevel,
    TagSubscription,
    Thread,
    User,
    thread_tags,
)
from forum.models.base import utcnow
from forum.moderation import service as moderation
from forum.moderation.policy import FLAG_NOTE_MAX, PRIORITY
from forum.moderation.rules import RuleError, rule_from_dict, rule_to_dict
from forum.search.rules import parse_query
from forum.tags.rules import TagError, parse_tag_list, tag_display_name
from forum.tags.service import DESCRIPTION_MAX, NAME_MAX, update_tag
from forum.text import clean_line, clean_text, render_markdown
from forum.threads import rules as thread_rules
from forum.threads.service import create_thread, reply
from tests.e2e.conftest import SCREENS
from tests.e2e.xss_watch import CspSwitch, Watcher, missing
from tests.factories import PASSWORD, make_admin, make_moderator, make_user
from tests.feeds.helpers import parse_atom
from tests.xss_corpus import CORPUS, problems_in, require_corpus

pytestmark = pytest.mark.browser

PAYLOADS = [payload for _, payload in CORPUS]
# Payloads that open with a quote or backtick break out of attributes if anything is left
# unescaped; the samples that go through forms and single pages favour them.
BREAKERS = [p for p in PAYLOADS if p[:1] in "\"'`" or "</" in p[:12]]
BIG_THREADS = 6  # the comment payloads are shown on this many thread pages
QUEUE_ITEMS = 95  # open queue items; the queue page shows up to 100
TRIGGER = "xsstrigger"  # the word the sample's enabled rules match
HOSTILE_TAG = "hostile"


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    # CSRF on, as in production; a tag page holds a thousand titles; flagged comments stay
    # published, so a reader's thread pages still show every payload.
    return {"WTF_CSRF_ENABLED": True, "THREADS_PER_PAGE": 1000, "FLAG_HIDE_THRESHOLD": 10_000}


def sample(items: Sequence[str], count: int, *, offset: int = 0) -> list[str]:
    """``count`` items spread evenly over ``items``."""
    step = max(1, len(items) // count)
    return list(items[offset::step][:count])


class Figures:
    """What was tried where, for the report: per field, and per page kind."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.fields: dict[str, Counter[str]] = {}
        self.pages: dict[str, Counter[str]] = {}
        self.seconds: dict[str, dict[str, float]] = {}

    def field(self, field: str, outcome: str, n: int = 1) -> None:
        self.fields.setdefault(field, Counter())[outcome] += n

    def page(self, kind: str, *, visits: int = 1, payloads: int = 0) -> None:
        counter = self.pages.setdefault(kind, Counter())
        counter["visits"] += visits
        counter["payloads"] += payloads

    @contextmanager
    def timed(self, phase: str) -> Iterator[None]:
        """Wall and CPU seconds of this process (server and test, not the browser)."""
        wall, cpu = time.perf_counter(), time.process_time()
        yield
        spent = self.seconds.setdefault(phase, {"wall": 0.0, "cpu": 0.0})
        spent["wall"] += round(time.perf_counter() - wall, 2)
        spent["cpu"] += round(time.process_time() - cpu, 2)

    def write(self, watchers: Sequence[Watcher]) -> None:
        SCREENS.mkdir(exist_ok=True)
        visits = sorted((t for w in watchers for t in w.timings), key=lambda t: -t[1] - t[2])
        report = {
            "fields": {k: dict(v) for k, v in self.fields.items()},
            "pages": {k: dict(v) for k, v in self.pages.items()},
            "executed": sum(len(w.ran) for w in watchers),
            "signs": sum(len(w.signs) for w in watchers),
            "seconds": self.seconds,
            "slowest visits (load, checks)": [
                [w, round(a, 2), round(b, 2)] for w, a, b in visits[:12]
            ],
        }
        (SCREENS / f"hostile-{self.name}.json").write_text(json.dumps(report, indent=2) + "\n")


def assert_inert(watchers: Iterable[Watcher], wrong: list[str]) -> None:
    """Fail with every sign of script and every mis-escaped field, not just the first."""
    signs = [sign for watcher in watchers for sign in watcher.signs]
    report = "\n".join([*signs[:25], *wrong[:25]])
    assert not signs and not wrong, f"{len(signs)} signs of script, {len(wrong)} wrong:\n{report}"


# --- The net itself -----------------------------------------------------------------------

# Known-bad documents, and a sign each must leave: a watcher that missed one would pass
# every page below without proving anything. "alert(1) in" is the marker having been called
# (the DOM check's signs quote the markup instead).
CAUGHT = [
    ('<img src=x onerror="alert(1)">', "alert(1) in about:blank"),
    ('<img src=x onerror="alert(1)">', "forbidden element"),
    ('<div onmouseover="prompt(2)">hover</div>', "prompt(2) in about:blank"),
    ('<p tabindex=1 onfocus="confirm(3)">focus</p>', "confirm(3) in about:blank"),
    ('<details open ontoggle="print()">x</details>', "print() in about:blank"),
    ('<a href=" java\tscript:alert(4)">x</a>', "script URL in href"),
    ('<a href="vbscript:msgbox(5)">x</a>', "script URL in href"),
    ('<svg><a xlink:href="data:text/html,x">x</a></svg>', "script URL in xlink:href"),
    ('<link rel=stylesheet href="http://ha.ckers.org/x.css">', "request to http://ha.ckers.org"),
    ('<iframe srcdoc="<script>alert(6)</script>"></iframe>', "alert(6) in about:srcdoc"),
    ('<iframe srcdoc="x"></iframe>', "a frame opened"),
    ('<meta http-equiv="refresh" content="0;url=http://14.rs/">', "request to http://14.rs"),
    ('<p style="color:red">x</p>', "style attribute"),
    ('<article class="body"><form action="/x"><input></form></article>', "form"),
    ('<article class="body"><b>bold</b></article>', "outside the allow-list"),
    ('<article class="body"><a href="/" onclick="x()">x</a></article>', "event handler onclick"),
]


def test_the_watcher_catches_script_that_runs_or_leaks(
    app, browser: Browser, live_server: str
) -> None:
    watcher = Watcher(browser, live_server, CspSwitch(app.wsgi_app))
    missed = []
    try:
        for document, sign in CAUGHT:
            watcher.signs.clear()
            watcher.load_html(document, label=document, content=".body")
            for _ in range(40):  # a refresh or a frame may take a moment
                if any(sign in seen for seen in watcher.signs):
                    break
                watcher.page.wait_for_timeout(25)
            else:
                missed.append((document, sign, list(watcher.signs)))
    finally:
        watcher.close()
    assert missed == []
    # Harmless markup leaves no sign, read by a fresh person: on the page above, a navigation
    # a meta refresh began can still fetch its address documents later (seen once, in a full run).
    fresh = Watcher(browser, live_server, CspSwitch(app.wsgi_app))
    try:
        fresh.load_html("<p>Plain <em>text</em> &lt;script&gt;</p>", label="harmless")
        assert fresh.signs == []
    finally:
        fresh.close()


# --- Storing the corpus -------------------------------------------------------------------


_RENDERED: dict[str, str] = {}


class Seeder:
    """Stores payloads in bulk, each field as its service stores it, one commit per batch."""

    def __init__(self, figures: Figures) -> None:
        self.figures = figures
        self._clock = itertools.count()
        self.now = utcnow() - timedelta(days=1)

    @staticmethod
    def render(source: str) -> str:
        """render_markdown, remembered: the three tests store the same bodies."""
        if source not in _RENDERED:
            _RENDERED[source] = render_markdown(source)
        return _RENDERED[source]

    def tick(self) -> datetime:
        """A distinct, increasing time, so listings have a stable order."""
        return self.now + timedelta(milliseconds=next(self._clock))

    def body(self, field: str, payload: str, limit: int) -> str | None:
        """The stored body, as reply()/create_thread() clean it, or None where they 422."""
        text = clean_text(payload)
        if thread_rules.check_body(text, limit) is not None:
            self.figures.field(field, "rejected_422")
            return None
        self.figures.field(field, "accepted")
        return text

    def comments(self, thread: Thread, author: User, bodies: Sequence[str]) -> list[Comment]:
        """Comments numbered and placed as reply() places a top-level response."""
        rows = []
        for offset, body in enumerate(bodies, start=1):
            number = thread.comment_seq + offset
            path, depth = thread_rules.comment_position(None, 0, number)
            rows.append(
                {
                    "thread_id": thread.id,
                    "author_id": author.id,
                    "number": number,
                    "path": path,
                    "depth": depth,
                    "body_src": body,
                    "body_html": self.render(body),
                    "status": CommentStatus.PUBLISHED,
                    "created_at": self.tick(),
                }
            )
        made = list(db.session.scalars(insert(Comment).returning(Comment), rows))
        thread.comment_seq += len(rows)
        thread.comment_count += len(rows)
        db.session.commit()
        return made

    def threads(
        self, author: User, items: Sequence[tuple[str, str]], tags: list[Tag]
    ) -> list[Thread]:
        """Threads as create_thread() stores them: (cleaned title, cleaned body) pairs."""
        rows = []
        for title, body in items:
            when = self.tick()
            rows.append(
                {
                    "title": title,
                    "slug": thread_rules.slugify(title),
                    "author_id": author.id,
                    "body_src": body,
                    "body_html": self.render(body),
                    "created_at": when,
                    "published_at": when,
                    "last_activity_at": when,
                }
            )
        made = list(db.session.scalars(insert(Thread).returning(Thread), rows))
        if links := [{"thread_id": t.id, "tag_id": tag.id} for t in made for tag in tags]:
            db.session.execute(insert(thread_tags), links)
        db.session.commit()
        return made


# --- The site ------------------------------------------------------------------------------


class HostileSite:
    """The corpus stored in every field, and what each page is expected to show."""

    def __init__(self, figures: Figures) -> None:
        self.figures = figures
        self.seed = Seeder(figures)
        self.author = make_user("quillpen")
        self.moderator = make_moderator("dana_mod")
        self.hostile = Tag(slug=HOSTILE_TAG, name="hostile", description="")
        db.session.add(self.hostile)
        db.session.commit()
        self.titles: list[str] = []  # every title the tag page must show
        self.big: list[Thread] = []
        self.sample_thread: Thread
        self.title_threads: list[Thread] = []
        self.tags: list[Tag] = []
        self.tag_names: dict[str, str] = {}  # slug -> payload name
        self.descriptions: dict[str, str] = {}  # slug -> payload description
        self.rule_messages: dict[str, str] = {}  # rule key -> message
        self.queue_comments: list[Comment] = []
        self.notes: list[str] = []
        self.excerpts: list[str] = []

    def store_comment_bodies(self) -> None:
        bodies = [
            b
            for p in PAYLOADS
            if (b := self.seed.body("comment body", p, thread_rules.COMMENT_MAX))
        ]
        per_thread = -(-len(bodies) // BIG_THREADS)
        for n in range(BIG_THREADS):
            title = f"Hostile comments, part {n + 1}"
            thread = self.seed.threads(self.author, [(title, f"Part {n + 1}.")], [self.hostile])[0]
            self.titles.append(title)
            self.seed.comments(thread, self.author, bodies[n * per_thread : (n + 1) * per_thread])
            self.big.append(thread)
        title = "Posted through the services, the API and the forms"
        (self.sample_thread,) = self.seed.threads(self.author, [(title, "Sample.")], [self.hostile])
        self.titles.append(title)

    def store_titles_and_thread_bodies(self) -> None:
        items = []
        for number, payload in enumerate(PAYLOADS, start=1):
            title = clean_line(payload)
            if thread_rules.check_title(title) is None:
                self.figures.field("thread title", "accepted")
            else:
                self.figures.field("thread title", "rejected_422")
                title = f"Thread body {number}"
            body = self.seed.body("thread body", payload, thread_rules.THREAD_BODY_MAX)
            items.append((title, body or "A body."))
            self.titles.append(title)
        self.title_threads = self.seed.threads(self.author, items, [self.hostile])

    def store_tags(self) -> None:
        """Tag names and descriptions as a moderator's tag editor (update_tag) stores them."""
        for number, payload in enumerate(PAYLOADS, start=1):
            slug = f"hostile-{number:04d}"
            name = clean_line(payload)
            if 0 < len(name) <= NAME_MAX:
                self.figures.field("tag name", "accepted")
                self.tag_names[slug] = name
            else:
                self.figures.field("tag name", "rejected_422")
                name = tag_display_name(slug)
            description = clean_text(payload)
            if len(description) <= DESCRIPTION_MAX:
                self.figures.field("tag description", "accepted")
                description = description.strip()
                if description:
                    self.descriptions[slug] = description
            else:
                self.figures.field("tag description", "rejected_422")
                description = ""
            self.tags.append(Tag(slug=slug, name=name, description=description))
        db.session.add_all(self.tags)
        db.session.commit()
        # Typed into a thread's tag field, a payload becomes a plain slug or is refused.
        for payload in PAYLOADS:
            try:
                parse_tag_list(payload)
            except TagError:
                self.figures.field("tags typed into a thread", "rejected_422")
            else:
                self.figures.field("tags typed into a thread", "accepted")

    def store_queue(self) -> None:
        """Payload comments flagged by readers whose notes are payloads too, so every payload
        is a flag note on the queue page; every eighth flag also selects a payload sentence
        (each selection is searched for in the comment, which costs a regex compile)."""
        comments = list(
            db.session.scalars(
                db.select(Comment)
                .where(Comment.thread_id.in_([t.id for t in self.big]))
                .order_by(Comment.id)
            )
        )
        chunk = -(-len(PAYLOADS) // QUEUE_ITEMS)
        groups = [PAYLOADS[i : i + chunk] for i in range(0, len(PAYLOADS), chunk)]
        self.queue_comments = comments[:: len(comments) // len(groups)][: len(groups)]
        flaggers = [make_user(f"flagger{n:02d}") for n in range(chunk)]
        reasons = [r for r in FlagReason if r != FlagReason.OTHER]
        flags, items = [], []
        for comment, group in zip(self.queue_comments, groups, strict=True):
            for flagger, payload in zip(flaggers, group, strict=False):
                note = clean_text(payload)
                if len(note) > FLAG_NOTE_MAX:  # the service checks before stripping
                    self.figures.field("flag note", "rejected_422")
                    continue
                self.figures.field("flag note", "accepted")
                note = note.strip()
                selected = note if len(flags) % 8 == 0 else ""
                if selected:
                    self.figures.field("flag selection", "accepted")
                    self.excerpts.append(selected)
                if note:  # an empty note is not shown at all
                    self.notes.append(note)
                flags.append(
                    {
                        "thread_id": comment.thread_id,
                        "comment_id": comment.id,
                        "user_id": flagger.id,
                        "reason": reasons[len(flags) % len(reasons)],
                        "note": note,
                        "excerpt": selected,
                        "weight": 1.0,
                    }
                )
            items.append(
                {
                    "thread_id": comment.thread_id,
                    "comment_id": comment.id,
                    "source": QueueSource.FLAGS,
                    "priority": PRIORITY["flag"] + len(group),
                    "matches": [],
                }
            )
        db.session.execute(insert(Flag), flags)
        db.session.execute(insert(QueueItem), items)
        db.session.commit()

    def store_rules(self) -> None:
        """Every payload as the message of a (switched off) rule, through the rules' own
        validation, as moderation.save_rule stores them."""
        rows = []
        for number, payload in enumerate(PAYLOADS, start=1):
            key = f"xss-{number:04d}"
            definition = {
                "id": key,
                "kind": "lexicon",
                "action": "flag",
                "message": payload.strip(),  # what the rule editor's form hands the service
                "terms": ["xssneverused"],
                "enabled": False,
            }
            try:
                rule = rule_from_dict(definition)
            except RuleError:
                self.figures.field("rule message", "rejected_422")
                continue
            self.figures.field("rule message", "accepted")
            self.rule_messages[key] = rule.message
            rows.append(ModerationRule(key=key, definition=rule_to_dict(rule), version=1))
        db.session.add_all(rows)
        db.session.commit()

    def refuse_usernames(self) -> None:
        """Every payload as a username, through register_user: a 422 for each, or an account."""
        for payload in PAYLOADS:
            try:
                register_user(payload, "a long enough password")
            except ValidationError as exc:
                assert exc.status == 422 and "username" in exc.fields, payload
                self.figures.field("username", "rejected_422")
            else:
                self.figures.field("username", "accepted")


# --- Through the services, the forms and the API ----------------------------------------


def through_the_services(site: HostileSite, wrong: list[str]) -> None:
    """A sample through reply(), create_thread(), flag_post(), save_rule() and
    update_tag(): what they store must equal what the Seeder stored for the same payload."""
    thread = site.sample_thread
    stored = {c.body_src: c for c in db.session.scalars(db.select(Comment))}
    for payload in sample(PAYLOADS, 15):
        try:
            comment = reply(thread=thread, author=site.author, body=payload, confirmed=True)
        except ValidationError:
            site.figures.field("comment body (service)", "rejected_422")
            continue
        site.figures.field("comment body (service)", "accepted")
        bulk = stored.get(comment.body_src)
        if bulk is None or bulk.body_html != comment.body_html:
            wrong.append(f"reply() stored {payload!r} unlike the seeder")
    for payload in sample(BREAKERS, 6):
        try:
            made = create_thread(
                author=site.author, title=payload, body=payload, tags=[HOSTILE_TAG]
            )
        except ValidationError:
            site.figures.field("thread title (service)", "rejected_422")
            continue
        site.figures.field("thread title (service)", "accepted")
        site.titles.append(made.title)
        if made.title != clean_line(payload) or made.body_html != site.seed.render(made.body_src):
            wrong.append(f"create_thread() stored {payload!r} unlike the seeder")
    # Rules a comment can trigger, so their messages reach the queue and the nudge.
    for number, payload in enumerate(sample(BREAKERS, 3, offset=1), start=1):
        definition = {
            "id": f"trigger-{number}",
            "kind": "lexicon",
            "action": "flag",
            "message": payload.strip()[:200].replace("{", "(").replace("}", ")"),
            "terms": [TRIGGER],
            "target": "any",
            "enabled": True,
        }
        rule = moderation.save_rule(definition, actor=make_admin())
        site.figures.field("rule message (service)", "accepted")
        site.rule_messages[rule.id] = rule.message
    for payload in sample(BREAKERS, 3, offset=2):
        reply(thread=thread, author=site.author, body=f"{payload} {TRIGGER}", confirmed=True)
    target = site.sample_thread.id
    for comment, payload in zip(
        db.session.scalars(
            db.select(Comment)
            .where(Comment.thread_id == target, Comment.author_id != site.moderator.id)
            .limit(5)
        ),
        sample(BREAKERS, 5, offset=3),
        strict=False,
    ):
        moderation.flag_post(
            comment, actor=site.moderator, reason="other", note=payload[:400], excerpt=payload[:80]
        )
        site.figures.field("flag note (service)", "accepted")
    for tag, payload in zip(site.tags[:5], sample(BREAKERS, 5, offset=4), strict=True):
        try:
            update_tag(tag, name=payload, description=payload)
        except ValidationError:
            site.figures.field("tag name (service)", "rejected_422")
        else:
            site.figures.field("tag name (service)", "accepted")
            site.tag_names[tag.slug] = tag.name
            site.descriptions[tag.slug] = tag.description  # breakers are never blank


def through_the_api(site: HostileSite, base: str, wrong: list[str]) -> None:
    """A sample over real HTTP with a bearer token: comments, threads and flags."""
    token = create_token(site.author, "hostile")
    moderator_token = create_token(site.moderator, "hostile")

    def post(path: str, body: dict[str, Any], auth: str = token) -> tuple[int, dict[str, Any]]:
        request = urllib.request.Request(
            base + path,
            data=json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {auth}", "Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as exc:
            return exc.code, json.load(exc)

    thread_id = site.sample_thread.id
    posted: list[int] = []
    for payload in sample(PAYLOADS, 30, offset=7):
        status, data = post(f"/api/v1/threads/{thread_id}/comments", {"body": payload})
        site.figures.field("comment body (API)", "accepted" if status < 300 else f"{status}")
        if status in (201, 202):
            posted.append(data["id"])
            if problems := problems_in(data["body_html"]):
                wrong.append(f"API comment {payload!r}: {problems}")
        elif status != 422:
            wrong.append(f"API comment {payload!r}: {status} {data}")
    for payload in sample(BREAKERS, 10, offset=5):
        body = {"title": payload, "body": payload, "tags": [HOSTILE_TAG, payload]}
        status, data = post("/api/v1/threads", body)
        site.figures.field("thread title + tags (API)", "accepted" if status < 300 else f"{status}")
        if status == 201:
            site.titles.append(data["title"])
        elif status != 422:
            wrong.append(f"API thread {payload!r}: {status} {data}")
    for comment_id, payload in zip(posted[:8], sample(BREAKERS, 8, offset=6), strict=False):
        note = {"reason": "other", "note": payload, "excerpt": payload[:60]}
        status, data = post(f"/api/v1/comments/{comment_id}/flags", note, moderator_token)
        site.figures.field("flag note (API)", "accepted" if status < 300 else f"{status}")
        if status not in (201, 422):
            wrong.append(f"API flag {payload!r}: {status} {data}")


def through_the_forms(site: HostileSite, mod: Watcher, guest: Watcher, wrong: list[str]) -> None:
    """Real HTML forms in chromium, with CSP on: reply (and a nudge), new thread, flag,
    rule editor, tag editor, search box, and registration (as a guest)."""
    page = mod.page
    thread = site.sample_thread
    # Reply: one plain payload, one that a rule matches, which answers with a nudge first.
    for payload in (BREAKERS[0], f"{BREAKERS[1]} {TRIGGER}"):
        mod.visit(f"/threads/{thread.id}/{thread.slug}", label="thread page, before a reply")
        page.get_by_label("Your comment").fill(payload)
        mod.submit(page.get_by_role("button", name="Post reply"), label="after a reply")
        if page.get_by_role("button", name="Post anyway").count():
            shown = mod.texts(".nudge ul li .nudge-reason")
            expected = [m for k, m in site.rule_messages.items() if k.startswith("trigger-")]
            wrong += [f"nudge lacks rule message {m!r}" for m in missing(expected, shown)]
            mod.submit(page.get_by_role("button", name="Post anyway"), label="posted anyway")
            site.figures.page("nudge page (CSP)", payloads=1 + len(expected))
        site.figures.field("comment body (form)", "accepted")
    # New thread: an accepted one, then one whose tags are refused (the 422 keeps the text).
    for payload, tags in ((BREAKERS[2], "hostile"), (BREAKERS[3], BREAKERS[3])):
        mod.visit("/threads/new", label="new thread form")
        page.get_by_label("Title").fill(payload)
        page.locator("#body").fill(payload)
        page.get_by_label("Tags", exact=False).fill(tags)
        typed = page.get_by_label("Title").input_value()
        mod.submit(page.get_by_role("button", name="Post thread"), label="after a new thread")
        if page.locator(".form-error").count():
            site.figures.field("thread title + tags (form)", "rejected_422")
            if mod.values("#title") != [typed]:
                wrong.append(f"new-thread form did not keep {typed!r}")
        else:
            site.figures.field("thread title + tags (form)", "accepted")
            site.titles.append(clean_line(typed))
            if mod.texts("h1") != [clean_line(typed)]:
                wrong.append(f"thread page h1 is not {typed!r}")
    # Flag a comment with a hostile note and selection.
    comment = db.session.scalar(
        db.select(Comment)
        .where(Comment.thread_id == thread.id, Comment.author_id != site.moderator.id)
        .order_by(Comment.id.desc())
    )
    mod.visit(f"/comments/{comment.id}/flag", label="flag form")
    page.get_by_label("Something else (say what below)").check()
    page.get_by_label("The sentence that offends (optional)").fill(BREAKERS[4][:200])
    page.get_by_label("Note for the moderators").fill(BREAKERS[4][:400])
    mod.submit(page.get_by_role("button", name="Send to moderators"), label="after a flag")
    site.figures.field("flag note (form)", "accepted")
    # The rule editor: a new rule whose message is a payload.
    message = BREAKERS[5].strip()[:200].replace("{", "(").replace("}", ")")
    mod.visit("/mod/rules/new", label="rule editor")
    page.locator("#id").fill("form-rule")
    page.get_by_label("Lexicon: a list of words").check()
    page.locator("#terms").fill("xssformterm")
    page.locator("#message").fill(message)
    mod.submit(page.get_by_role("button", name="Save"), label="after saving a rule")
    site.figures.field("rule message (form)", "accepted")
    site.rule_messages["form-rule"] = message
    if mod.values("#message") != [message]:
        wrong.append(f"rule editor shows {mod.values('#message')} for {message!r}")
    # The tag editor: a hostile name and description.
    tag = site.tags[10]
    mod.visit(f"/tags/{tag.slug}/edit", label="tag editor")
    page.get_by_label("Name", exact=True).fill(BREAKERS[6][:60])
    page.get_by_label("Description", exact=True).fill(BREAKERS[6])
    mod.submit(page.get_by_role("button", name="Save"), label="after editing a tag")
    site.figures.field("tag name (form)", "accepted")
    site.tag_names[tag.slug] = clean_line(BREAKERS[6][:60])
    site.descriptions[tag.slug] = clean_text(BREAKERS[6]).strip()
    # The search box in the header of the page that leads to.
    page.locator("#site-search-q").fill(BREAKERS[7][:200])
    typed = page.locator("#site-search-q").input_value()
    mod.submit(page.get_by_role("button", name="Search"), label="after a search")
    site.figures.field("search query (form)", "accepted")
    if mod.values("#search-q") != [parse_query(typed).text]:
        wrong.append(f"search box echoes {mod.values('#search-q')} for {typed!r}")
    # Registration: a refused name comes back in the form, escaped.
    for payload in BREAKERS[8:9]:
        guest.visit("/register", label="register form")
        guest.page.get_by_label("Username").fill(payload)
        guest.page.get_by_label("Password").fill("a long enough password")
        typed = guest.page.get_by_label("Username").input_value()
        guest.submit(guest.page.get_by_role("button", name="Register"), label="refused name")
        site.figures.field("username (form)", "rejected_422")
        if guest.values("#username") != [typed]:
            wrong.append(f"register form echoes {guest.values('#username')} for {typed!r}")


def sign_in(watcher: Watcher, username: str) -> None:
    # Back to a light page: the home page lists a thousand payload titles.
    watcher.visit("/login?next=/tags/hostile-0001", label="sign-in form")
    watcher.page.get_by_label("Username").fill(username)
    watcher.page.get_by_label("Password").fill(PASSWORD)
    watcher.submit(watcher.page.get_by_role("button", name="Sign in"), label="signed in")
    expect(watcher.page.get_by_role("link", name=username)).to_be_visible()


# --- Visiting every page kind --------------------------------------------------------------


def visit_everything(
    site: HostileSite, mod: Watcher, guest: Watcher, wrong: list[str], *, full: bool
) -> None:
    """Each page kind that shows the stored payloads, checked for exact, once-escaped text.

    ``full`` opens every page that holds payloads. Otherwise, for the run with CSP on, one
    light page of each kind, leaving out the single pages of thousands of payloads (tag
    index, rules list, queue): the run without CSP is the stronger one, since stripping a
    policy can only let more run, and the DOM check fails on any inline markup CSP blocks.
    """
    f = site.figures
    mode = "no CSP" if mod.strip_csp else "CSP"
    # A reader's view of every thread; the moderator's (with its per-comment forms) of the
    # thread the services, the API and the forms posted to.
    threads = [site.sample_thread, *site.big] if full else [site.sample_thread]
    for number, thread in enumerate(threads):
        for watcher in (guest, mod) if number == 0 else (guest,):
            watcher.visit(f"/threads/{thread.id}/{thread.slug}", label=f"thread {thread.id}")
            shown = watcher.page.locator("article.comment .body").count()
            f.page(f"thread page ({mode})", payloads=shown)
    if full:
        shown_titles: list[str] = []
        link: str | None = f"/tags/{HOSTILE_TAG}"
        while link:  # follow the "Older" links (keyset pages have no numbers)
            mod.visit(link, label="tag page")
            on_page = mod.texts(".thread-item h2 a")
            shown_titles += on_page
            f.page(f"tag page ({mode})", payloads=len(on_page))
            (link,) = mod.attributes("a[rel=next]", "href") or [None]
        wrong += [f"tag page lacks title {t!r}" for t in missing(site.titles, shown_titles)]
    # A title's own page puts it in <title>, <h1> and a feed link's title attribute.
    count = 3 if full else 1
    for thread in site.title_threads[:: len(site.title_threads) // count][:count]:
        mod.visit(f"/threads/{thread.id}/{thread.slug}", label=f"title thread {thread.id}")
        title = thread.title
        if mod.texts("h1") != [title] or mod.page.title() != f"{title} · Forum":
            wrong.append(f"thread page shows {mod.texts('h1')} for title {title!r}")
        if mod.attributes("link[rel=alternate]", "title") != [f"Comments on {title}"]:
            wrong.append(f"feed link title wrong for {title!r}")
        f.page(f"title thread page ({mode})", payloads=2)
    if full:
        mod.visit("/tags", label="tag index")
        shown = mod.texts(".tag-index li p")
        descriptions = site.descriptions.values()
        wrong += [f"tag index lacks description {d!r}" for d in missing(descriptions, shown)]
        f.page(f"tag index ({mode})", payloads=len(shown))
    named = list(site.tag_names.items())
    for slug, name in named[:: max(1, len(named) // count)][:count]:
        mod.visit(f"/tags/{slug}", label=f"tag page {slug}")
        if mod.texts("h1") != [f"{name} {slug}"] or mod.page.title() != f"{name} · Forum":
            wrong.append(f"tag page shows {mod.texts('h1')} for name {name!r}")
        if mod.attributes("link[rel=alternate]", "title") != [f"Threads tagged {name}"]:
            wrong.append(f"tag feed link title wrong for {name!r}")
        f.page(f"tag page by name ({mode})", payloads=1)
    if full:
        mod.visit("/mod/rules", label="rules list")
        shown = mod.texts(".mod-rules tbody td:nth-child(6)")
        messages = site.rule_messages.values()
        wrong += [f"rules list lacks message {m!r}" for m in missing(messages, shown)]
        f.page(f"rules list ({mode})", payloads=len(shown))
    # A rule's own page: the message in a form field, and in its list of versions.
    mod.visit("/mod/rules/trigger-1", label="rule trigger-1")
    if mod.values("#message") != [site.rule_messages["trigger-1"]]:
        wrong.append(f"rule editor shows {mod.values('#message')} for trigger-1")
    f.page(f"rule editor ({mode})", payloads=2)
    if full:
        mod.visit("/mod/queue", label="review queue")
        check_queue(site, mod, wrong)
        notes = mod.page.locator(".mod-note").count()
        f.page(f"review queue ({mode})", payloads=notes + mod.page.locator(".mod-text").count())
    item_id = db.session.scalar(db.select(func.max(QueueItem.id)))
    mod.visit(f"/mod/queue/{item_id}", label=f"queue item {item_id}")
    f.page(f"queue item ({mode})", payloads=1)
    for query in ("alert", "javascript onerror")[: 2 if full else 1]:
        mod.visit(f"/search?q={urllib.parse.quote(query)}", label=f"search {query}")
        f.page(f"search snippets ({mode})", payloads=mod.page.locator(".snippet").count())
    for payload in sample(BREAKERS, 3 if full else 1):
        query = parse_query(payload).text
        mod.visit(f"/search?q={urllib.parse.quote(payload)}", label="search echo")
        if mod.values("#search-q") != [query]:
            wrong.append(f"search box echoes {mod.values('#search-q')} for {payload!r}")
        if query and mod.page.title() != f"Search: {query} · Forum":
            wrong.append(f"search title is {mod.page.title()!r} for {payload!r}")
        f.page(f"search query echo ({mode})", payloads=1)
    for watcher in (mod, guest):
        watcher.visit(f"/users/{site.author.username}", label="profile")
        shown_count = watcher.page.locator(".thread-item, .comment-list li").count()
        f.page(f"profile ({mode})", payloads=shown_count)
    comment = site.queue_comments[0]
    mod.visit(f"/comments/{comment.id}/flag", label="flag form with a payload comment")
    thread = db.session.get(Thread, comment.thread_id)
    mod.visit(f"/threads/{thread.id}/reply?to={comment.id}&quote=1", label="quote reply")
    mod.visit(f"/tags/{site.tags[0].slug}/edit", label="tag editor")
    f.page(f"flag, reply and tag forms ({mode})", visits=3, payloads=3)


def check_queue(site: HostileSite, mod: Watcher, wrong: list[str]) -> None:
    """Notes, selections and flagged texts appear exactly as stored, escaped once."""
    wrong += [f"queue lacks flag note {n!r}" for n in missing(site.notes, mod.texts(".mod-note"))]
    selections = set(mod.texts(".mod-excerpt q"))
    wrong += [f"queue lacks selection {e!r}" for e in missing(site.excerpts, selections)]
    texts = set(mod.texts(".mod-text"))
    boxes = set(mod.values(".mod-actions textarea[name=body]"))
    for comment in site.queue_comments:
        db.session.refresh(comment)
        if comment.body_src not in texts:
            wrong.append(f"queue does not show flagged comment {comment.id} as written")
        # A textarea drops one leading newline, as HTML parsing does.
        if comment.body_src.removeprefix("\n") not in boxes:
            wrong.append(f"queue edit box does not hold comment {comment.id} as written")


def test_every_payload_in_every_shown_field_is_inert(
    app, browser: Browser, live_server: str
) -> None:
    require_corpus()
    figures = Figures("site")
    wrong: list[str] = []
    site = HostileSite(figures)
    with figures.timed("store the corpus"):
        site.refuse_usernames()
        site.store_comment_bodies()
        site.store_titles_and_thread_bodies()
        site.store_tags()
        site.store_queue()
    with figures.timed("through the services"):
        through_the_services(site, wrong)
    with figures.timed("store the corpus"):
        site.store_rules()  # after the posts: 2,000 rules are checked on every new comment
    with figures.timed("through the API"):
        through_the_api(site, live_server, wrong)
    csp = CspSwitch(app.wsgi_app)
    app.wsgi_app = csp
    mod, guest = Watcher(browser, live_server, csp), Watcher(browser, live_server, csp)
    try:
        with figures.timed("through the forms"):
            sign_in(mod, site.moderator.username)
            through_the_forms(site, mod, guest, wrong)
        for strip in (False, True):
            csp.on = strip
            with figures.timed("pages without CSP" if strip else "pages with CSP"):
                visit_everything(site, mod, guest, wrong, full=strip)
            control(mod, csp=not strip)
        mod.page.screenshot(path=SCREENS / "hostile-content-queue.png")
    finally:
        figures.write([mod, guest])
        mod.close()
        guest.close()
    assert figures.fields["username"]["rejected_422"] == len(PAYLOADS)
    assert_inert([mod, guest], wrong)


def control(watcher: Watcher, *, csp: bool) -> None:
    """Prove the net works on a real page: a handler added by hand must be caught, by the
    marker without CSP, by a CSP violation with it. The expected sign is then taken out."""
    before = len(watcher.signs)
    watcher.page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend',"
        " '<img src=x onerror=\"alert(`control`)\">')"
    )
    wanted = "csp-violation" if csp else "alert(control)"
    for _ in range(100):  # the image's request goes to the server first: allow for a slow one
        if any(wanted in sign for sign in watcher.signs[before:]):
            break
        watcher.page.wait_for_timeout(50)
    caught = watcher.signs[before:]
    del watcher.signs[before:]
    watcher.ran[:] = [sign for sign in watcher.ran if sign not in caught]
    assert any(wanted in sign for sign in caught), (wanted, caught)


# --- Feeds --------------------------------------------------------------------------------


ATOM_NS = {"atom": "http://www.w3.org/2005/Atom"}


def atom_entries(data: bytes) -> list[tuple[str, str, str]]:
    """(title, title type, content HTML) of each entry, read strictly by lxml."""
    feed = etree.fromstring(data)
    entries = []
    for entry in feed.iterfind("atom:entry", ATOM_NS):
        title = entry.find("atom:title", ATOM_NS)
        content = entry.find("atom:content", ATOM_NS)
        entries.append((title.text or "", title.get("type", "text"), content.text or ""))
    return entries


def test_every_payload_in_a_feed_is_inert_for_a_reader_and_in_chromium(
    app, client, browser: Browser, live_server: str
) -> None:
    """Every comment payload through thread feeds, and a sample of titles, bodies and tag
    names (attribute breakers first) through tag feeds: read strictly with lxml, a sample
    also with feedparser, each entry's HTML then shown in chromium as a feed reader shows
    it, and three feeds opened in chromium as served. (Building a feed costs about 40 ms
    and feedparser 50 ms more; all 155 feeds through both would take most of this module's
    budget, for escaping that feedgen does the same way every time.)"""
    require_corpus()
    figures = Figures("feeds")
    wrong: list[str] = []
    seed = Seeder(figures)
    author = make_user("quillpen")
    limit = thread_rules.COMMENT_MAX
    bodies = [b for p in PAYLOADS if (b := seed.body("comment body", p, limit))]
    size = THREAD_FEED_SIZE - 1  # the opening post is an entry too
    threads = []
    titled = [*BREAKERS, *(p for p in PAYLOADS if p not in BREAKERS)][: 20 * TAG_FEED_SIZE]
    with figures.timed("store the corpus"):
        for start in range(0, len(bodies), size):
            thread = seed.threads(author, [(f"Comments from {start}", "Opening.")], [])[0]
            seed.comments(thread, author, bodies[start : start + size])
            threads.append(thread)
        tag_feeds: list[tuple[Tag, list[str]]] = []
        for start in range(0, len(titled), TAG_FEED_SIZE):
            group = titled[start : start + TAG_FEED_SIZE]
            name = clean_line(group[0])
            tag = Tag(slug=f"feed-{start:04d}", name=name if 0 < len(name) <= NAME_MAX else "x")
            db.session.add(tag)
            db.session.commit()
            items = []
            for payload in group:
                title = clean_line(payload)
                if thread_rules.check_title(title) is not None:
                    title = "A title"
                body = seed.body("thread body", payload, thread_rules.THREAD_BODY_MAX)
                items.append((title, body or "A body."))
            seed.threads(author, items, [tag])
            tag_feeds.append((tag, [title for title, _ in items]))
    entries: list[str] = []
    with figures.timed("fetch and read the feeds"):
        for number, thread in enumerate(threads):
            data = client.get(f"/threads/{thread.id}/feed.atom").data
            read = atom_entries(data)
            entries += [content for _, _, content in read]
            if number % 10 == 0:  # as a feed reader reads it, too
                for entry in parse_atom(data).entries:
                    if problems := problems_in(entry.content[0].value):
                        wrong.append(f"feedparser reads {entry.id} as {problems}")
            figures.page("thread feed", payloads=len(read) - 1)
        for tag, titles in tag_feeds:
            data = client.get(f"/tags/{tag.slug}/feed.atom").data
            parsed = parse_atom(data)
            if parsed.feed.title != f"Threads tagged {tag.name}":
                wrong.append(f"tag feed title {parsed.feed.title!r} for {tag.name!r}")
            read = atom_entries(data)
            wrong += [
                f"tag feed lacks title {t!r}" for t in missing(titles, [t for t, _, _ in read])
            ]
            if {kind for _, kind, _ in read} != {"text"}:
                wrong.append(f"a title in {tag.slug}'s feed is not plain text")
            entries += [content for _, _, content in read]
            figures.page("tag feed", payloads=len(read))
    for value in entries:
        if problems := problems_in(value):
            wrong.append(f"feed entry {value[:80]!r}: {problems}")
    csp = CspSwitch(app.wsgi_app)
    app.wsgi_app = csp
    watcher = Watcher(browser, live_server, csp)
    try:
        with figures.timed("entries in chromium"):
            for start in range(0, len(entries), 800):
                chunk = entries[start : start + 800]
                document = "".join(f'<article class="body">{value}</article>' for value in chunk)
                watcher.load_html(document, label=f"feed entries {start}-", content=".body")
                figures.page("feed entries shown as a reader would", payloads=len(chunk))
            for url in (
                f"/threads/{threads[0].id}/feed.atom",
                f"/tags/{tag_feeds[0][0].slug}/feed.atom",
                f"/tags/{tag_feeds[-1][0].slug}/feed.atom",
            ):
                watcher.visit(url, label=url, dom=False)
                figures.page(
                    "feed opened in chromium", payloads=len(atom_entries(client.get(url).data))
                )
    finally:
        figures.write([watcher])
        watcher.close()
    assert len(entries) >= len(bodies) + len(titled)
    assert_inert([watcher], wrong)


# --- Mail ---------------------------------------------------------------------------------


class Outbox:
    """A mail transport that keeps what it is given, as parsed messages."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def send(self, message: EmailMessage) -> None:
        raw = message.as_bytes()
        self.messages.append(email.message_from_bytes(raw, policy=policy.default))  # type: ignore[arg-type]


class _Markup(HTMLParser):
    """The tags and attribute names of an HTML document, and its text, as a browser reads it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shape: list[tuple[str, tuple[str, ...]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.shape.append((tag, tuple(sorted(name for name, _ in attrs))))

    def handle_endtag(self, tag: str) -> None:
        self.shape.append((f"/{tag}", ()))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


# Every element, with its attribute names, that the mail templates write themselves.
MAIL_MARKUP = frozenset(
    {
        ("html", ("lang",)),
        ("head", ()),
        ("meta", ("charset",)),
        ("title", ()),
        ("body", ()),
        ("p", ()),
        ("p", ("style",)),
        ("br", ()),
        ("a", ("href",)),
        ("hr", ()),
        ("h2", ()),
        ("ul", ()),
        ("li", ()),
        ("small", ()),
        ("strong", ()),
        ("blockquote", ()),
    }
)


def unknown_markup(parsed: _Markup) -> list[str]:
    return sorted(
        {f"<{t} {' '.join(a)}>" for t, a in parsed.shape if t[0] != "/"}
        - {f"<{t} {' '.join(a)}>" for t, a in MAIL_MARKUP}
    )


def markup(document: str) -> _Markup:
    parser = _Markup()
    parser.feed(document)
    parser.close()
    return parser


def plain(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None, message["Subject"]
    return part.get_content()


def html_part(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None, message["Subject"]
    return part.get_content()


def test_every_payload_in_mail_is_inert_on_its_own(app, browser: Browser, live_server: str) -> None:
    """Mail leaves the site, so no CSP protects it: its HTML part must be inert by itself.

    Through the real senders: a daily digest of 600 payload threads (attribute breakers
    first) in tags named by payloads, and a new thread and a comment for a sample. Through
    the mail templates (what the message builders render): every payload in every text slot
    of both immediate mails, each of which must have exactly the markup of the same mail
    with harmless text and show the payload as text. Then all of it in chromium.
    """
    require_corpus()
    figures = Figures("mail")
    wrong: list[str] = []
    seed = Seeder(figures)
    seed.now = utcnow() - timedelta(hours=2)  # inside the daily digest's window
    author = make_user("quillpen")
    reader = make_user("reader_r", email="reader@example.org")
    reader.email_verified_at = utcnow()
    reader.email_notifications = True
    reader.mail_subject_details = True  # titles in subjects, where a payload could break a line
    db.session.commit()
    sent: list[EmailMessage] = []
    with figures.timed("send through the services"):
        digested = [*BREAKERS, *(p for p in PAYLOADS if p not in BREAKERS)][:600]
        tags = []
        for start in range(0, len(digested), 100):
            name = clean_line(digested[start])
            tag = Tag(slug=f"mail-{start:04d}", name=name if 0 < len(name) <= NAME_MAX else "x")
            tags.append(tag)
        db.session.add_all(tags)
        db.session.commit()
        for tag in tags:
            db.session.add(TagSubscription(user_id=reader.id, tag_id=tag.id, level=TagLevel.DAILY))
        db.session.commit()
        titles = []
        for number, tag in enumerate(tags):
            items = []
            for payload in digested[number * 100 : (number + 1) * 100]:
                title = clean_line(payload)
                if thread_rules.check_title(title) is not None:
                    title = "A title"
                items.append((title, seed.body("thread body", payload, 50_000) or "A body."))
                titles.append(title)
            seed.threads(author, items, [tag])
        outbox = Outbox()
        assert mail_service.send_digest(reader, "daily", transport=outbox, now=utcnow())
        digest = markup(html_part(outbox.messages[0]))
        shown = "".join(digest.text)
        wrong += [f"digest lacks title {t!r}" for t in titles if t not in shown]
        wrong += [f"digest holds {tag} beyond its template's" for tag in unknown_markup(digest)]
        figures.field("digest: thread titles and excerpts", "sent", len(titles))
        # Immediate mail for a sample: a reader following a tag hears of new threads and
        # comments in it.
        follow = Tag(slug="mail-now", name=clean_line(BREAKERS[0])[:60] or "x")
        db.session.add(follow)
        db.session.commit()
        db.session.add(TagSubscription(user_id=reader.id, tag_id=follow.id, level=TagLevel.ALL))
        db.session.commit()
        for payload in sample(BREAKERS, 10):
            try:
                thread = create_thread(
                    author=author, title=payload, body=payload, tags=["mail-now"]
                )
            except ValidationError:
                continue
            count = len(outbox.messages)
            mail_service.send_batch("new_thread", thread.id, None, [reader.id], transport=outbox)
            comment = reply(thread=thread, author=author, body=payload, confirmed=True)
            mail_service.send_batch(
                "new_comment", thread.id, comment.id, [reader.id], transport=outbox
            )
            for message in outbox.messages[count:]:
                parsed = markup(html_part(message))
                if thread.title not in "".join(parsed.text):
                    wrong.append(f"mail {message['Subject']!r} does not show its title")
                wrong += [
                    f"mail holds {tag} beyond its template's" for tag in unknown_markup(parsed)
                ]
            figures.field("immediate mail (service)", "sent", len(outbox.messages) - count)
        sent = outbox.messages
    footer = messages.Footer(
        reason="You get this because you follow the tag “x”.",
        unsubscribe_url="https://forum.example/unsubscribe/t",
        unsubscribe_label="Stop this mail",
        settings_url="https://forum.example/settings/email",
    )

    def comment_mail(title: str) -> tuple[str, str]:
        return messages.render(
            "new_comment",
            thread_title=title,
            author="quillpen",
            excerpt=title,
            url="https://forum.example/comments/1",
            footer=footer,
        )

    def thread_mail(title: str) -> tuple[str, str]:
        item = messages.ThreadItem(
            title=title,
            author="quillpen",
            created_at=utcnow(),
            url="https://forum.example/threads/1/x",
            excerpt=title,
        )
        return messages.render("new_thread", thread=item, tag=title, footer=footer)

    # Every payload in every text slot of the two immediate mails (the digest above holds
    # every title and body excerpt already): rendered by the mail templates, which is what
    # the builders do before assembling the message.
    built: list[str] = []
    with figures.timed("render every payload's mail"):
        shapes = {"comment": markup(comment_mail("x")[1]).shape}
        shapes["thread"] = markup(thread_mail("x")[1]).shape
        for payload in PAYLOADS:
            title = clean_line(payload) or "x"
            for kind, (text, document) in (
                ("comment", comment_mail(title)),
                ("thread", thread_mail(title)),
            ):
                parsed = markup(document)
                if parsed.shape != shapes[kind]:
                    wrong.append(f"{kind} mail markup changed by {payload!r}")
                if title not in "".join(parsed.text) or title not in text:
                    wrong.append(f"{kind} mail does not show {title!r} as text")
                built.append(document)
            figures.field("mail: title, excerpt and tag name slots", "rendered", 2)
    for message in sent:
        subject = message["Subject"]
        if "\n" in subject or "\r" in subject:
            wrong.append(f"mail subject breaks a line: {subject!r}")
    csp = CspSwitch(app.wsgi_app)
    watcher = Watcher(browser, live_server, csp)
    try:
        with figures.timed("mail in chromium"):
            documents = [html_part(m) for m in sent] + built
            for start in range(0, len(documents), 400):
                chunk = documents[start : start + 400]
                # No events: the markup was compared with the templates' above.
                watcher.load_html("".join(chunk), label=f"mail {start}-", poke=None)
                figures.page("mail HTML parts in chromium", payloads=len(chunk))
            for message in sent[:6]:
                watcher.load_html(html_part(message), label=f"mail {message['Subject']}")
                figures.page("single mail in chromium", payloads=1)
    finally:
        figures.write([watcher])
        watcher.close()
    assert len(sent) >= 11
    assert_inert([watcher], wrong)
