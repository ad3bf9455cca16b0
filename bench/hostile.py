"""Hostile-input benchmark: the worst request time over pathological inputs, against a plain
page in the same run (`make bench-hostile`).

Every request a member or a moderator can send must stay within a small multiple of a plain
page (target: 20x). The corpus is the attacks of issue 14 and their kin: words repeated
50,000 times then searched, query syntax around one letter, Markdown built to make the parser
or the sanitiser work (tables, runs of delimiters and brackets, thousands of links), comments
made of accusation fragments, moderator rules that backtrack or format themselves into
megabytes, a lone surrogate in JSON, 64-bit-plus ids, a long thread. Requests run in-process
through Flask's test client on a fresh SQLite file, so the figures are the app's own work;
each case is sent REPEATS times (after a garbage collection, so that a pause owed by earlier
requests does not land on it) and its worst time is the one judged.

The table is printed and written to bench/RESULTS.md (section "hostile").
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import flask_migrate  # noqa: E402
from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402

from forum import create_app  # noqa: E402
from forum.auth.service import create_token, register_user  # noqa: E402
from forum.models import Role, Thread  # noqa: E402
from forum.threads.service import create_thread, reply  # noqa: E402

REPEATS = 5
BASELINE_REPEATS = 30
TARGET = 20.0
PASSWORD = "a long bench password"
WORD = "lantern"


@dataclass
class Case:
    name: str
    send: Callable[[], Any]


@dataclass
class Result:
    name: str
    status: int
    worst_ms: float
    median_ms: float


def make_app(folder: Path) -> Flask:
    app = create_app(
        {
            "SECRET_KEY": "bench-hostile",
            "DATABASE_URL": f"sqlite:///{folder / 'hostile.db'}",
            "RATELIMIT_ENABLED": False,
            "RATELIMIT_STORAGE_URI": "memory://",
            "WTF_CSRF_ENABLED": False,
            "NEW_USER_REVIEW_COUNT": 0,
            "FLAG_MIN_ACCOUNT_DAYS": 0,
            "REGISTER_MIN_SECONDS": 0,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    with app.app_context():
        flask_migrate.upgrade(directory=str(ROOT / "migrations"))
    return app


def seed(app: Flask) -> dict[str, Any]:
    """A plain thread, ten threads of one word repeated to the body limit, a long thread."""
    with app.app_context():
        member = register_user("bench_member", PASSWORD)
        moderator = register_user("bench_mod", PASSWORD, role=Role.ADMIN)
        token = create_token(member, "bench")
        plain = create_thread(
            author=moderator, title="Hotline hours", body="When is it open?", tags=["funding"]
        )
        for n in range(10):
            reply(thread=plain, author=member, body=f"Reply {n} about the evening hours.")
        for n in range(10):
            create_thread(
                author=member,
                title=f"Repeated {n}",
                body=(f"{WORD} " * 10_000)[:50_000],
                tags=["funding"],
            )
        long = create_thread(author=member, title="Long", body="Many replies.", tags=["funding"])
        for n in range(1_000):
            reply(thread=long, author=member, body=f"Point {n} on the budget lines.")
        return {"plain": plain.id, "long": long.id, "token": token}


def signed_in(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def corpus(app: Flask, ids: dict[str, Any]) -> list[Case]:
    member, moderator = signed_in(app, "bench_member"), signed_in(app, "bench_mod")
    api = {"Authorization": f"Bearer {ids['token']}", "Content-Type": "application/json"}
    plain, long = ids["plain"], ids["long"]
    table = "| a | b | c |\n|---|---|---|\n" + "| x | y | z |\n" * 3_500

    # Each request's text differs by a number, so no cache of an earlier one helps it.
    sent = iter(range(1_000_000))

    def comment(body: str) -> Callable[[], Any]:
        return lambda: member.post(
            f"/threads/{plain}/comments", data={"body": f"{next(sent)} {body}"[:20_000]}
        )

    def preview(body: str) -> Callable[[], Any]:
        return lambda: member.post("/preview", data={"body": f"{next(sent)} {body}"[:50_000]})

    def rule(pattern: str, message: str = "m") -> Callable[[], Any]:
        form = {"id": "bench.rule", "kind": "pattern", "action": "flag", "message": message,
                "pattern": pattern, "preview": "1"}  # fmt: skip
        return lambda: moderator.post("/mod/rules/new", data=form)

    def api_post(path: str, raw: str) -> Callable[[], Any]:
        return lambda: member.post(f"/api/v1{path}", data=raw, headers=api)

    return [
        Case(
            f"search: {WORD} in 10 posts of 50,000 chars", lambda: member.get(f"/search?q={WORD}")
        ),
        Case("search: a* (one letter after syntax)", lambda: member.get("/search?q=a*")),
        Case('search: "a" -a', lambda: member.get('/search?q="a" -a')),
        Case(
            "search: 60 different words",
            lambda: member.get("/search?q=" + " ".join(f"w{n}ord" for n in range(60))),
        ),
        Case("preview: 50,000-char table", preview(table)),
        Case('preview: "**_" x 6,000', preview("**_" * 6_000)),
        Case('preview: "[" x 50,000', preview("[" * 50_000)),
        Case("preview: 2,400 bare links", preview("http://example.org/a " * 2_400)),
        Case('preview: "<" x 50,000', preview("<" * 50_000)),
        Case('preview: "a\\n" x 25,000', preview("a\n" * 25_000)),
        Case("preview: 2,000 e-mail addresses", preview("a@b.cd " * 2_000)),
        Case('preview: "1." x 25,000 (one dotted word)', preview("1." * 25_000)),
        Case(
            "preview: at every markup bound",
            preview("- item\n" * 250 + "[a](http://e.org) " * 90 + "*x* " * 150),
        ),
        Case("comment: 20,000 chars of 'you are a '", comment(("you are a " * 2_000)[:20_000])),
        Case(
            "comment: 20,000 chars of accusations",
            comment(("Are some of you pimps? You liar, who pays you? " * 500)[:20_000]),
        ),
        Case(
            "comment: 20,000 chars the encoder reads",
            comment(("Could you post the link to the shelter rota again? " * 400)[:20_000]),
        ),
        Case(
            "assess: 50,000 chars of insults",
            lambda: member.post(
                "/moderation/assess",
                data={"body": ("you idiot troll liar " * 2_500)[:50_000], "thread_id": plain},
            ),
        ),  # fmt: skip
        Case("rule preview: (q|q)*z", rule("(q|q)*z")),
        Case("rule preview: (a|aa)+$", rule("(a|aa)+$")),
        Case("rule save: message {term:>99999999}", rule(r"\bliar\b", "x {term:>99999999}")),
        Case(
            "api: lone surrogate in a comment",
            api_post(f"/threads/{plain}/comments", '{"body": "x\\ud800y"}'),
        ),
        Case(
            "api: notification ids past 64 bits",
            api_post("/notifications/read", json.dumps({"ids": [2**64, 2**63]})),
        ),
        Case("thread of 1,000 comments (first page)", lambda: member.get(f"/threads/{long}")),
        Case(
            "thread of 1,000 comments (last page)", lambda: member.get(f"/threads/{long}?after=800")
        ),
        Case("id past 64 bits in a path", lambda: member.get(f"/comments/{2**70}")),
    ]


def time_case(send: Callable[[], Any], repeats: int) -> tuple[int, list[float]]:
    send()  # warm: compiled templates, regexes, caches
    times, status = [], 0
    for _ in range(repeats):
        gc.collect()  # a collection owed by earlier requests is not this request's work
        started = time.perf_counter()
        response = send()
        times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    return status, times


def run() -> tuple[float, list[Result]]:
    with tempfile.TemporaryDirectory(prefix="forum-hostile-") as folder:
        app = make_app(Path(folder))
        ids = seed(app)
        with app.app_context():
            assert Thread.query.count() >= 12
        member = signed_in(app, "bench_member")
        _, base = time_case(lambda: member.get(f"/threads/{ids['plain']}"), BASELINE_REPEATS)
        baseline = statistics.median(base)
        results = []
        for case in corpus(app, ids):
            status, times = time_case(case.send, REPEATS)
            results.append(Result(case.name, status, max(times), statistics.median(times)))
        return baseline, results


def table(baseline: float, results: list[Result]) -> str:
    lines = [
        "## Hostile input\n",
        f"Plain page (a thread of 10 comments, signed in): median {baseline:.1f} ms over "
        f"{BASELINE_REPEATS} requests. Each case: {REPEATS} requests after one warm-up, in "
        "process (Flask test client, SQLite).\n",
        "| case | status | worst ms | median ms | worst / plain |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.status} | {r.worst_ms:.1f} | {r.median_ms:.1f} | "
            f"{r.worst_ms / baseline:.1f}x |"
        )
    worst = max(results, key=lambda r: r.worst_ms)
    verdict = "within" if worst.worst_ms / baseline <= TARGET else "OVER"
    lines.append(
        f"\nWorst: {worst.name}, {worst.worst_ms:.1f} ms = {worst.worst_ms / baseline:.1f}x "
        f"the plain page ({verdict} the {TARGET:.0f}x target).\n"
    )
    return "\n".join(lines)


def main() -> None:
    import run as suite  # bench/run.py: the RESULTS.md writer

    baseline, results = run()
    text = table(baseline, results)
    print(text)
    suite.update_results({"hostile": text})
    print(f"written to {suite.RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
