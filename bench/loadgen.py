"""A bounded, closed-loop HTTP load generator: N threads, one keep-alive connection each.

Used for what wrk can't do simply (signed-in posting with a scraped CSRF token, a fixed
number of requests), and for every case when wrk isn't installed. Each thread keeps its own
cookies, runs ``setup`` once untimed (sign in, scrape a token), then sends requests until the
duration or the request budget runs out. Latency is measured per request, connection reuse
included, so it compares with wrk's.

Python threads share one core under the GIL: on a small machine this generator tops out
below gunicorn's "hello" rate, which is why the suite prefers wrk for reads and reports both
generators' hello figures (the "generator check" line).
"""

from __future__ import annotations

import http.client
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

CSRF_RE = re.compile(rb'name="csrf_token" value="([^"]+)"')


class Client:
    """One keep-alive connection with a cookie jar; reconnects if the server closed it."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(host, port, timeout=30)

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        headers = {"Connection": "keep-alive", "Accept": "text/html"}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError, TimeoutError):
                # gunicorn recycles workers (max_requests): the kept-alive socket may be gone.
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, data

    def csrf_token(self, path: str) -> str:
        status, page = self.request("GET", path)
        match = CSRF_RE.search(page)
        if status != 200 or match is None:
            raise RuntimeError(f"no CSRF token on {path} (status {status})")
        return match.group(1).decode()

    def close(self) -> None:
        self.conn.close()


@dataclass
class Result:
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: int = 0

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """Latency in seconds at percentile ``p`` (nearest rank)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


# One request: given the thread's client and its setup state, send it; return the status.
Step = Callable[[Client, object], int]


def run(
    host: str,
    port: int,
    step: Step,
    *,
    concurrency: int,
    duration: float | None = None,
    total: int | None = None,
    setup: Callable[[Client], object] | None = None,
) -> Result:
    """Run ``step`` from ``concurrency`` threads until ``duration`` seconds or ``total``
    requests (whichever is set; both bound the run)."""
    if duration is None and total is None:
        raise ValueError("give a duration or a total: the run must be bounded")
    result = Result()
    lock = threading.Lock()
    budget = [total if total is not None else -1]
    ready = threading.Barrier(concurrency + 1)
    deadline: list[float] = [0.0]

    def take() -> bool:
        with lock:
            if budget[0] == 0:
                return False
            budget[0] -= 1
            return True

    def worker() -> None:
        client = Client(host, port)
        state = setup(client) if setup else None
        latencies: list[float] = []
        statuses: Counter[int] = Counter()
        failures = 0
        ready.wait()
        try:
            while (duration is None or time.perf_counter() < deadline[0]) and take():
                started = time.perf_counter()
                try:
                    status = step(client, state)
                except (OSError, http.client.HTTPException):
                    failures += 1
                    continue
                latencies.append(time.perf_counter() - started)
                statuses[status] += 1
        finally:
            client.close()
            with lock:
                result.latencies.extend(latencies)
                result.statuses.update(statuses)
                result.failures += failures

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    ready.wait()  # every thread has signed in (or whatever setup does) before the clock starts
    started = time.perf_counter()
    deadline[0] = started + (duration or 0)
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - started
    return result


def get(path: str, cookie: str = "") -> Step:
    """GET ``path``, as a signed-in reader when given their session's Cookie header."""
    cookies = dict(pair.split("=", 1) for pair in cookie.split("; ") if pair)

    def step(client: Client, _state: object) -> int:
        client.cookies.update(cookies)
        return client.request("GET", path)[0]

    return step
