"""The page benchmark suite (``make bench``) and the scale curves (``make bench-scale``).

Run: ``python bench/run.py`` (suite) or ``python bench/run.py scale``. Settings, from the
environment:

- ``BENCH_DB``: ``sqlite``, ``postgres`` or ``both`` (default);
- ``BENCH_SCALE``: 1 is 200,000 comments; 0.1 for a quick run;
- ``BENCH_SCALES``: the scale run's sizes (default ``0.1,1,10``; 10 runs on PostgreSQL only);
- ``BENCH_DURATION`` (seconds per case, default 10), ``BENCH_WARMUP`` (2),
  ``BENCH_CONCURRENCY`` (8), ``BENCH_POSTS`` (500), ``BENCH_TOOL`` (``wrk`` when installed,
  else ``python``), ``BENCH_PORT`` (8765), ``BENCH_REUSE=1`` to keep a database already seeded
  at that scale (the scale run reuses by default; ``BENCH_REUSE=0`` re-seeds).

Each database is seeded (bench/seed.py), then the baselines (bench/baselines.py) and the forum
are each served by ``gunicorn -c gunicorn.conf.py`` with FORUM_WORKERS=2 and rate limits off,
and measured over loopback. Tables are printed and written to bench/RESULTS.md; a page that
misses its target is profiled in-process with pyinstrument and its top frames written there too.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import count
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import loadgen  # noqa: E402
import seed  # noqa: E402
from redis import Redis  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
LOG_DIR = ROOT / "instance" / "bench"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"

DB_LABEL = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
SEARCH_QUERY = "hotline figures"


def env_float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


DURATION = env_float("BENCH_DURATION", 10)
WARMUP = env_float("BENCH_WARMUP", 2)
CONCURRENCY = int(env_float("BENCH_CONCURRENCY", 8))
POSTS = int(env_float("BENCH_POSTS", 500))
PORT = int(env_float("BENCH_PORT", 8765))
TOOL = os.environ.get("BENCH_TOOL") or ("wrk" if shutil.which("wrk") else "python")

THREAD = "thread (200 comments)"
THREAD_SIGNED_IN = "thread (200 comments), signed in"
BIG_FIRST = "thread (10,000 comments), first page"
BIG_LAST = "thread (10,000 comments), last page"
QUEUE = "review queue, 50 items (moderator)"
NO_ACCESS_LOG = "hello, no access log"
# What writing the access log may cost a page, at most, against the same page without it.
ACCESS_LOG_COST = 0.05
CACHED = {
    "disk": ("thread, cached on disk", "home page, cached on disk"),
    "redis": ("thread, cached in Redis", "home page, cached in Redis"),
}
# Target lines: case -> (share of the 200-row baseline's rps it must reach)
RPS_TARGETS = {
    THREAD: 0.60,
    THREAD_SIGNED_IN: 0.60,
    "home page": 0.60,
    "tag page": 0.60,
}
# A long thread's pages against the 200-comment thread's p50 (keyset paging: no page costs
# more than the first).
BIG_P50_SHARE = 1.2
# Cached anonymous pages with Redis: a share of the hello baseline's rps, and a p99 bound.
CACHED_HELLO_SHARE = 0.5
CACHED_P99_MS = 50.0
REDIS_BENCH_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
SEARCH_P99_MS = 100.0
# The search's latency is also measured with one client per gunicorn worker: at 8 clients a
# request mostly waits its turn behind the others, which measures the queue, not the search.
WORKERS = 2
SEARCH_ALONE = f"search ({WORKERS} connections, one per worker)"
# The busiest tag's last page shows whether paging walks an index (flat in the data size)
# or skips rows (grows with it).
LAST_TAG_PAGE = "tag page, its last page"
SCALE_GROWTH = 0.25
PAGE_SIZE = 200  # comments per thread page (FORUM_THREAD_PAGE_SIZE's default)


# --------------------------------------------------------------------------- measuring


@dataclass
class Measure:
    rps: float = 0.0
    p50_ms: float = float("nan")
    p99_ms: float = float("nan")
    requests: int = 0
    bad: int = 0  # non-2xx/3xx responses and socket errors
    note: str = ""
    restarts: int = 0  # gunicorn worker recycles (max_requests) during the case
    load: float = 0.0  # 1-minute load average when the case started (others share the machine)

    @property
    def ok(self) -> bool:
        """Measured, and every request answered well (errors make the figures meaningless)."""
        return self.requests > 0 and not self.note and self.bad == 0


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value.strip()).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def wrk(url: str, seconds: float, concurrency: int = CONCURRENCY, cookie: str = "") -> Measure:
    threads = min(concurrency, max(1, (os.cpu_count() or 2) // 2))
    out = subprocess.run(
        # A generous timeout: a slow page must show up as latency, not as dropped requests.
        ["wrk", f"-t{threads}", f"-c{concurrency}", f"-d{seconds:g}s", "--timeout", "30s"]
        # As every browser asks: kept pages come gzip-compressed (the others as rendered).
        + ["-H", "Accept-Encoding: gzip, deflate, br"]
        + (["-H", f"Cookie: {cookie}"] if cookie else [])
        + ["--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    m = Measure()
    m.rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    m.requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    m.p50_ms = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    m.p99_ms = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    if bad := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out):
        m.bad += int(bad.group(1))
    if errors := re.search(r"Socket errors:(.*)", out):
        m.bad += sum(int(n) for n in re.findall(r"\d+", errors.group(1)))
    return m


def from_loadgen(result: loadgen.Result) -> Measure:
    bad = sum(n for status, n in result.statuses.items() if status >= 400) + result.failures
    return Measure(
        rps=result.rps,
        p50_ms=result.percentile(50) * 1e3,
        p99_ms=result.percentile(99) * 1e3,
        requests=result.requests,
        bad=bad,
    )


def measure_get(
    port: int,
    path: str,
    *,
    tool: str = TOOL,
    seconds: float = DURATION,
    concurrency: int = CONCURRENCY,
    cookie: str = "",
) -> Measure:
    url = f"http://{HOST}:{port}{path}"
    if tool == "wrk":
        wrk(url, WARMUP, concurrency, cookie)
        return wrk(url, seconds, concurrency, cookie)
    step = loadgen.get(path, cookie=cookie)
    loadgen.run(HOST, port, step, concurrency=concurrency, duration=WARMUP)
    return from_loadgen(loadgen.run(HOST, port, step, concurrency=concurrency, duration=seconds))


class Server:
    """``gunicorn -c gunicorn.conf.py <app>`` with the benchmark's settings, stopped on exit."""

    def __init__(
        self, app: str, url: str, port: int, ready_path: str, log_name: str, **env: str
    ) -> None:
        self.app, self.port, self.ready_path = app, port, ready_path
        self.env = {
            **seed.app_env(url),
            "FORUM_WORKERS": str(WORKERS),
            "FORUM_BIND": f"{HOST}:{port}",
            **env,
        }
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.log_path = LOG_DIR / log_name
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [str(GUNICORN), "-c", "gunicorn.conf.py", self.app],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url(self.ready_path), timeout=5) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer {self.ready_path}; see {self.log_path}")

    def __exit__(self, *_exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def restarts(self) -> int:
        return self.log_path.read_bytes().count(b"Autorestarting worker")

    def measure(self, path: str, *, cookie: str = "", **kwargs: Any) -> Measure:
        before, load = self.restarts(), os.getloadavg()[0]
        request = urllib.request.Request(self.url(path), headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=30) as response:
            if response.status != 200:
                return Measure(note=f"status {response.status}")
        m = measure_get(self.port, path, cookie=cookie, **kwargs)
        m.restarts, m.load = self.restarts() - before, load
        return m

    def sign_in(self, username: str) -> str:
        """A signed-in session's Cookie header, for the pages a member or moderator sees."""
        client = loadgen.Client(HOST, self.port)
        sign_in(client, username)
        client.close()
        return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


def sign_in(client: loadgen.Client, username: str) -> None:
    """Sign ``client`` in through the form, as a browser does (its cookie jar keeps it)."""
    token = client.csrf_token("/login")
    form = {"username": username, "password": seed.BENCH_PASSWORD, "csrf_token": token}
    status, _ = client.request("POST", "/login", form)
    if status != 302:
        raise RuntimeError(f"sign-in as {username} failed with status {status}")


def measure_posts(server: Server, thread_id: int, total: int) -> Measure:
    """Signed-in replies into the posting thread, ``total`` in all, ``CONCURRENCY`` at once.
    Each client signs in and scrapes its CSRF token from the thread page first (untimed)."""
    numbers = count(1)

    def setup(client: loadgen.Client) -> str:
        sign_in(client, seed.BENCH_USER)
        return client.csrf_token(f"/threads/{thread_id}")

    def step(client: loadgen.Client, token: object) -> int:
        n = next(numbers)
        body = (
            f"Benchmark reply {n}: thanks for the link to the resource page, "
            "the intake checklist there matches what our clinic uses."
        )
        status, _ = client.request(
            "POST", f"/threads/{thread_id}/comments", {"body": body, "csrf_token": str(token)}
        )
        return status

    before, load = server.restarts(), os.getloadavg()[0]
    result = loadgen.run(HOST, server.port, step, concurrency=CONCURRENCY, total=total, setup=setup)
    m = from_loadgen(result)
    # A post answers 302 to the new comment; anything else (a 422 nudge, a 400 CSRF) is bad.
    m.bad = result.requests - result.statuses.get(302, 0) + result.failures
    m.restarts, m.load = server.restarts() - before, load
    return m


# --------------------------------------------------------------------------- the forum's side


def forum_app(url: str) -> Any:
    from forum import create_app

    # Rendering is what a profile looks at: no page cache.
    return create_app(
        {"DATABASE_URL": url, "SECRET_KEY": seed.SECRET_KEY, "CACHE_TYPE": "NullCache"}
    )


def has_search(url: str) -> bool:
    app = forum_app(url)
    return any(rule.rule.startswith("/search") for rule in app.url_map.iter_rules())


def pages(url: str) -> dict[str, str]:
    """The measured pages' paths (canonical URLs, so no redirect is measured)."""
    engine = create_engine(url)
    with engine.connect() as conn:
        slugs = dict(
            conn.execute(
                text("SELECT id, slug FROM threads WHERE id IN (:a, :b)"),
                {"a": seed.BIG_THREAD, "b": seed.MEDIUM_THREAD},
            ).all()
        )
        tag = conn.execute(text("SELECT slug FROM tags WHERE id = 1")).scalar_one()
    engine.dispose()
    return {
        "home page": "/",
        THREAD: f"/threads/{seed.MEDIUM_THREAD}/{slugs[seed.MEDIUM_THREAD]}",
        BIG_FIRST: f"/threads/{seed.BIG_THREAD}/{slugs[seed.BIG_THREAD]}",
        BIG_LAST: last_thread_page(url, slugs[seed.BIG_THREAD]),
        "tag page": f"/tags/{tag}",
        LAST_TAG_PAGE: last_tag_page(url, tag),
        "tag feed": f"/tags/{tag}/feed.atom",
        "search": "/search?" + urllib.parse.urlencode({"q": SEARCH_QUERY}),
    }


def last_thread_page(url: str, slug: str) -> str:
    """The long thread's last page, as its "Show more" links lead there: after the comment
    that comes a page before the end in tree order."""
    engine = create_engine(url)
    with engine.connect() as conn:
        total = conn.execute(
            text("SELECT count(*) FROM comments WHERE thread_id = :t"), {"t": seed.BIG_THREAD}
        ).scalar_one()
        after = conn.execute(
            text(
                "SELECT number FROM comments WHERE thread_id = :t ORDER BY path LIMIT 1 OFFSET :o"
            ),
            {"t": seed.BIG_THREAD, "o": total - PAGE_SIZE - 1},
        ).scalar_one()
    engine.dispose()
    return f"/threads/{seed.BIG_THREAD}/{slug}?after={after}&start={total - PAGE_SIZE}"


def last_tag_page(url: str, tag: str) -> str:
    """The tag's last page, by the cursor its "Older" links would carry."""
    from sqlalchemy import func, select

    from forum.extensions import db
    from forum.models import Tag
    from forum.threads.rules import format_cursor
    from forum.threads.service import latest_threads, tag_filter

    app = forum_app(url)
    with app.app_context():
        found = db.session.scalars(select(Tag).where(Tag.slug == tag)).one()
        threads = tag_filter(latest_threads(), found)
        total = db.session.scalar(select(func.count()).select_from(threads.subquery()))
        per_page = app.config["THREADS_PER_PAGE"]
        skip = max(0, (total - 1) // per_page * per_page - 1)
        last = db.session.scalars(threads.offset(skip).limit(1)).one()
        cursor = format_cursor(last.last_activity_at, last.id)
        db.engine.dispose()
    return f"/tags/{tag}?before={cursor}"


def profile(url: str, path: str, *, requests: int = 60, top: int = 12) -> str:
    """Top frames of ``path`` under pyinstrument, in-process through Flask's test client:
    the app's own time with gunicorn and the network taken out."""
    from pyinstrument import Profiler

    app = forum_app(url)
    client = app.test_client()
    for _ in range(3):
        client.get(path)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    started = time.perf_counter()
    for _ in range(requests):
        client.get(path)
    elapsed = time.perf_counter() - started
    profiler.stop()
    root = profiler.last_session.root_frame() if profiler.last_session else None
    if root is None:
        return "(no samples)"
    self_time: dict[str, float] = {}
    cumulative: dict[str, float] = {}

    def walk(frame: Any, stack: frozenset[str]) -> None:
        key = f"{frame.function} ({frame.file_path_short}:{frame.line_no})"
        if not frame.is_synthetic:
            self_time[key] = self_time.get(key, 0.0) + frame.total_self_time
        short = frame.file_path_short or ""
        if key not in stack and ("forum/" in short or "templates/" in short):
            cumulative[key] = cumulative.get(key, 0.0) + frame.time
        for child in frame.children:
            walk(child, stack | {key})

    walk(root, frozenset())
    total = root.time or 1.0
    lines = [
        f"`{path}`: {requests} requests in-process, {elapsed / requests * 1e3:.1f} ms each",
        "",
        "Self time (where the CPU goes):",
        "",
    ]
    for key, t in sorted(self_time.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"- {t / total:5.1%}  {key}")
    lines += ["", "Inclusive time in the forum's own code and templates:", ""]
    for key, t in sorted(cumulative.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"- {t / total:5.1%}  {key}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- reporting


def machine() -> str:
    pg = "unreachable"
    try:
        engine = create_engine(f"{seed.PG_ADMIN_URL}/postgres")
        with engine.connect() as conn:
            pg = conn.execute(text("SHOW server_version")).scalar_one()
        engine.dispose()
    except Exception:  # noqa: BLE001 - reported, not fatal
        pass
    gunicorn = subprocess.run(
        [str(GUNICORN), "--version"], capture_output=True, text=True
    ).stdout.strip()
    wrk_version = "not installed"
    if shutil.which("wrk"):
        wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
        wrk_version = wrk_version.split("[")[0].strip() or "installed"
    return (
        f"{os.cpu_count()} cores, {platform.machine()}, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}; SQLite "
        f"{sqlite3.sqlite_version}; PostgreSQL {pg}; {gunicorn}; {wrk_version}"
    )


def fmt_ms(value: float) -> str:
    return "—" if value != value else f"{value:.1f}"  # NaN check


@dataclass
class SuiteRun:
    db: str
    scale: float
    seeding: dict[str, Any]
    rows: dict[str, Measure] = field(default_factory=dict)
    generator_check: str = ""
    # (target, value, PASS/MISS, the case to profile on a miss)
    verdicts: list[tuple[str, str, str, str | None]] = field(default_factory=list)
    profiles: dict[str, str] = field(default_factory=dict)
    posts_landed: int = 0


def table(run: SuiteRun) -> str:
    hello = run.rows["hello (baseline)"].rps
    base = run.rows["200 rows (baseline)"].rps
    sizes = seed.Sizes.for_scale(run.scale)
    s = run.seeding
    lines = [
        f"### {DB_LABEL[run.db]}, scale {run.scale:g} ({sizes.comments:,} comments, "
        f"{sizes.threads:,} threads)",
        "",
        f"Load: {TOOL}, {CONCURRENCY} connections, {DURATION:g} s per case after {WARMUP:g} s "
        f"warm-up; gunicorn 2 sync workers. Seeding: "
        + (
            f"{s['seconds']:.1f} s ({s['counts']['comments']:,} comments; write "
            f"{s['write_seconds']:.1f} s)."
            if s.get("seconds")
            else "reused an already seeded database."
        ),
        "",
        "| case | rps | p50 ms | p99 ms | rps vs 200 rows | rps vs hello | requests | errors "
        "| load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, m in run.rows.items():
        if m.note:
            lines.append(f"| {name} | {m.note} | | | | | | | |")
            continue
        lines.append(
            f"| {name} | {m.rps:,.0f} | {fmt_ms(m.p50_ms)} | {fmt_ms(m.p99_ms)} | "
            f"{m.rps / base:.2f}x | {m.rps / hello:.3f}x | {m.requests:,} | {m.bad}"
            + (f" ({m.restarts} worker recycles)" if m.restarts else "")
            + f" | {m.load:.1f} |"
        )
    lines += ["", run.generator_check, "", "Targets:", ""]
    lines += [f"- {verdict}: {target} — {value}" for target, value, verdict, _ in run.verdicts]
    return "\n".join(lines)


def judge(run: SuiteRun) -> None:
    """Each target: what it asks, the measured value, PASS or MISS, and the case to profile
    when it misses (None: nothing to profile)."""
    base = run.rows["200 rows (baseline)"].rps
    hello = run.rows["hello (baseline)"].rps
    for name, share in RPS_TARGETS.items():
        m = run.rows[name]
        ok = m.ok and m.rps >= share * base
        run.verdicts.append(
            (
                f"{name} ≥ {share:.0%} of the 200-row baseline's rps",
                f"{m.rps / base:.0%} ({m.rps:,.0f} vs {base:,.0f} rps)",
                "PASS" if ok else "MISS",
                name,
            )
        )
    logged, silent = run.rows["hello (baseline)"].rps, run.rows[NO_ACCESS_LOG].rps
    run.verdicts.append(
        (
            f"the access log costs under {ACCESS_LOG_COST:.0%} of a bare page's rps",
            f"{1 - logged / silent:.1%} ({logged:,.0f} logged vs {silent:,.0f} rps)",
            "PASS" if logged >= (1 - ACCESS_LOG_COST) * silent else "MISS",
            None,
        )
    )
    thread_p50 = run.rows[THREAD].p50_ms
    for name in (BIG_FIRST, BIG_LAST):
        m = run.rows[name]
        ok = m.ok and m.p50_ms <= BIG_P50_SHARE * thread_p50
        run.verdicts.append(
            (
                f"{name}: p50 ≤ {BIG_P50_SHARE:g}x the 200-comment thread's",
                f"{m.p50_ms / thread_p50:.2f}x ({m.p50_ms:.1f} vs {thread_p50:.1f} ms)",
                "PASS" if ok else "MISS",
                name,
            )
        )
    for name in CACHED["redis"]:
        m = run.rows[name]
        ok = m.ok and m.rps >= CACHED_HELLO_SHARE * hello and m.p99_ms <= CACHED_P99_MS
        run.verdicts.append(
            (
                f"{name} ≥ {CACHED_HELLO_SHARE:.0%} of hello's rps, p99 ≤ {CACHED_P99_MS:g} ms",
                f"{m.rps / hello:.0%} ({m.rps:,.0f} vs {hello:,.0f} rps), p99 {m.p99_ms:.1f} ms",
                "PASS" if ok else "MISS",
                None,
            )
        )
    target = f"search p99 < {SEARCH_P99_MS:g} ms, one client per worker"
    search, queued = run.rows.get(SEARCH_ALONE), run.rows["search"]
    if search is None:
        run.verdicts.append((target, queued.note, "n/a", None))
    elif not search.ok:
        value = f"{search.bad} of {search.requests} requests failed or timed out"
        run.verdicts.append((target, value, "MISS", "search"))
    else:
        verdict = "PASS" if search.p99_ms < SEARCH_P99_MS else "MISS"
        if run.scale != 1:
            verdict += " (target is set at 200,000 comments; this is another scale)"
        value = (
            f"{search.p99_ms:.1f} ms (p50 {search.p50_ms:.1f} ms); with {CONCURRENCY} "
            f"clients queueing for {WORKERS} workers, {queued.p99_ms:.1f} ms"
        )
        run.verdicts.append((target, value, verdict, "search"))


def update_results(sections: dict[str, str]) -> None:
    """Replace the given sections of RESULTS.md, keeping the others from earlier runs."""
    order = [
        "header",
        "suite-sqlite",
        "suite-postgres",
        "profiles-sqlite",
        "profiles-postgres",
        "scale",
        "profiles-scale",
        "hostile",
    ]
    existing: dict[str, str] = {}
    if RESULTS.exists():
        for name, body in re.findall(
            r"<!-- begin:([\w-]+) -->\n(.*?)<!-- end:\1 -->", RESULTS.read_text(), re.S
        ):
            existing[name] = body
    existing.update({k: v.rstrip("\n") + "\n" for k, v in sections.items()})
    parts = [f"<!-- begin:{k} -->\n{existing[k]}<!-- end:{k} -->\n" for k in order if k in existing]
    RESULTS.write_text("\n".join(parts))


def header() -> str:
    return (
        "# Benchmark results\n\n"
        "Generated by `make bench` and `make bench-scale` (bench/run.py); "
        "see bench/README.md for what each column means.\n\n"
        f"Machine: {machine()}.\n"
    )


# --------------------------------------------------------------------------- runs


def ensure_seeded(db: str, scale: float, *, reuse: bool) -> dict[str, Any]:
    if reuse and seed.is_seeded(db, scale):
        print(f"seed {db} x{scale:g}: reusing the database already seeded", flush=True)
        return {"reused": True}
    return seed.seed(db, scale)


def suite(db: str, scale: float) -> SuiteRun:
    reuse = os.environ.get("BENCH_REUSE") == "1"
    run = SuiteRun(db, scale, ensure_seeded(db, scale, reuse=reuse))
    url = seed.database_url(db, scale)
    import baselines

    baselines.create_rows(url)
    quiet = Server(
        "bench.baselines:app", url, PORT, "/hello", f"baselines-{db}.log", FORUM_ACCESS_LOG=""
    )
    with quiet as server:  # what the access log costs: the same page with none
        run.rows[NO_ACCESS_LOG] = server.measure("/hello")
    with Server("bench.baselines:app", url, PORT, "/hello", f"baselines-{db}.log") as server:
        run.rows["hello (baseline)"] = server.measure("/hello")
        run.rows["200 rows (baseline)"] = server.measure("/rows")
        if TOOL == "wrk":
            check = from_loadgen(
                loadgen.run(HOST, PORT, loadgen.get("/hello"), concurrency=CONCURRENCY, duration=5)
            )
            run.generator_check = (
                f"Generator check: the same hello page drove by the Python load generator "
                f"(bench/loadgen.py, used for posting) reaches {check.rps:,.0f} rps against "
                f"wrk's {run.rows['hello (baseline)'].rps:,.0f}; every forum page is far "
                f"below both, so neither generator limits them."
            )
        else:
            run.generator_check = (
                "Generator check: wrk is not installed, so the Python load generator measured "
                "every case; its hello figure is its own ceiling on this machine."
            )
    paths = pages(url)
    search = has_search(url)
    # Rendering: no page cache, so every anonymous request costs what a first visit does.
    rendering = Server("wsgi:app", url, PORT, "/", f"forum-{db}.log", FORUM_CACHE_TYPE="NullCache")
    with rendering as server:
        for name, path in paths.items():
            if name == "search" and not search:
                run.rows[name] = Measure(note="search: not available")
                continue
            print(f"  {db}: {name} ...", flush=True)
            run.rows[name] = server.measure(path)
        print(f"  {db}: {THREAD_SIGNED_IN} and {QUEUE} ...", flush=True)
        run.rows[THREAD_SIGNED_IN] = server.measure(
            paths[THREAD], cookie=server.sign_in(seed.BENCH_USER)
        )
        run.rows[QUEUE] = server.measure("/mod/queue", cookie=server.sign_in(seed.BENCH_MODERATOR))
        if search:
            print(f"  {db}: {SEARCH_ALONE} ...", flush=True)
            run.rows[SEARCH_ALONE] = server.measure(paths["search"], concurrency=WORKERS)
        print(f"  {db}: post comment x{POSTS} ...", flush=True)
        engine = create_engine(url)
        count_sql = text("SELECT count(*) FROM comments WHERE thread_id = :t")
        with engine.connect() as conn:
            before = conn.execute(count_sql, {"t": seed.POST_THREAD}).scalar_one()
        run.rows[f"post comment ({POSTS} posts)"] = measure_posts(server, seed.POST_THREAD, POSTS)
        with engine.connect() as conn:
            after = conn.execute(count_sql, {"t": seed.POST_THREAD}).scalar_one()
        run.posts_landed = after - before
        engine.dispose()
    # The page cache: anonymous pages kept on one host's disk (the default install), then in
    # Redis (many hosts).
    cache_dir = LOG_DIR / f"cache-{db}"
    shutil.rmtree(cache_dir, ignore_errors=True)
    Redis.from_url(REDIS_BENCH_URL).flushdb()
    stores = {
        "disk": {"FORUM_CACHE_DIR": str(cache_dir)},
        "redis": {"FORUM_REDIS_URL": REDIS_BENCH_URL},
    }
    for store, env in stores.items():
        with Server("wsgi:app", url, PORT, "/", f"forum-{db}-{store}.log", **env) as server:
            for name, path in zip(CACHED[store], (paths[THREAD], "/"), strict=True):
                print(f"  {db}: {name} ...", flush=True)
                run.rows[name] = server.measure(path)
    judge(run)
    for _target, _value, verdict, name in run.verdicts:
        if verdict.startswith("MISS") and name in paths:
            print(f"  {db}: profiling {name} ...", flush=True)
            run.profiles[name] = profile(url, paths[name])
    return run


def selected_dbs() -> list[str]:
    choice = os.environ.get("BENCH_DB", "both")
    return ["sqlite", "postgres"] if choice == "both" else [choice]


def main_suite() -> None:
    scale = env_float("BENCH_SCALE", 1)
    sections = {"header": header()}
    for db in selected_dbs():
        run = suite(db, scale)
        out = table(run)
        landed = f"{run.posts_landed} of {POSTS} posts landed in thread {seed.POST_THREAD}"
        out += f"\n\nPosting: {landed}."
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        print("\n" + out + "\n", flush=True)
        sections[f"suite-{db}"] = f"## Pages ({stamp})\n\n{out}\n"
        prof = [f"## Profiles of the misses, {DB_LABEL[db]} ({stamp})\n"]
        for name, text_ in run.profiles.items():
            prof.append(f"### {name}\n\n{text_}\n")
            print(f"Profile: {name}\n{text_}\n", flush=True)
        if not run.profiles:
            prof.append("No page missed its target.\n")
        sections[f"profiles-{db}"] = "\n".join(prof)
    update_results(sections)
    print(f"written to {RESULTS.relative_to(ROOT)}")


SCALE_CASES = ("home page", "tag page", LAST_TAG_PAGE, "thread (200 comments)")


def main_scale() -> None:
    scales = [float(s) for s in os.environ.get("BENCH_SCALES", "0.1,1,10").split(",")]
    reuse = os.environ.get("BENCH_REUSE", "1") == "1"
    seconds = env_float("BENCH_DURATION", 10)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = [f"## Scale curves ({stamp})", ""]
    out.append(
        f"p50 latency in ms ({TOOL}, {CONCURRENCY} connections, {seconds:g} s per case). "
        "The thread keeps its 200 comments at every size; threads, users and the busiest "
        "tag grow with the comments."
    )
    profiles: list[str] = []
    for db in selected_dbs():
        sizes = [s for s in scales if db == "postgres" or s <= 1]
        p50: dict[str, dict[float, float]] = {c: {} for c in SCALE_CASES}
        seeded: dict[float, str] = {}
        for scale in sizes:
            info = ensure_seeded(db, scale, reuse=reuse)
            seeded[scale] = "reused" if info.get("reused") else f"seeded in {info['seconds']:.0f} s"
            url = seed.database_url(db, scale)
            paths = pages(url)
            scale_server = Server(
                "wsgi:app", url, PORT, "/", f"scale-{db}.log", FORUM_CACHE_TYPE="NullCache"
            )
            with scale_server as server:
                for case in SCALE_CASES:
                    print(f"  {db} x{scale:g}: {case} ...", flush=True)
                    p50[case][scale] = server.measure(paths[case], seconds=seconds).p50_ms
        first, last = sizes[0], sizes[-1]
        heads = [f"{seed.Sizes.for_scale(s).comments:,} comments" for s in sizes]
        out += [
            "",
            f"### {DB_LABEL[db]}",
            "",
            "Databases: " + "; ".join(f"x{s:g} {how}" for s, how in seeded.items()) + ".",
            "",
            "| page | " + " | ".join(heads) + " | growth | target ≤ 25% |",
            "|---|" + "---:|" * (len(sizes) + 2),
        ]
        for case in SCALE_CASES:
            growth = p50[case][last] / p50[case][first] - 1
            full = first <= 0.1 and last >= 10
            verdict = "PASS" if growth <= SCALE_GROWTH else "MISS"
            if not full:
                verdict += f" (only x{first:g}→x{last:g} measured)"
            cells = " | ".join(fmt_ms(p50[case][s]) for s in sizes)
            out.append(f"| {case} | {cells} | {growth:+.0%} | {verdict} |")
            if verdict.startswith("MISS"):
                url = seed.database_url(db, last)
                print(f"  {db} x{last:g}: profiling {case} ...", flush=True)
                profiles.append(
                    f"### {case}, {DB_LABEL[db]} x{last:g}\n\n{profile(url, pages(url)[case])}\n"
                )
    text_ = "\n".join(out) + "\n"
    print("\n" + text_, flush=True)
    sections = {"header": header(), "scale": text_}
    sections["profiles-scale"] = f"## Profiles of the scale misses ({stamp})\n\n" + (
        "\n".join(profiles) if profiles else "No page missed its target.\n"
    )
    for p in profiles:
        print(p, flush=True)
    update_results(sections)
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main_scale() if sys.argv[1:] == ["scale"] else main_suite()
