"""Real servers for the tests that need more than the test client: gunicorn with the shipped
config, the worker command, and a browser-like HTTP client with a cookie jar.

Used by the production, stateless (two hosts), concurrency, crash and outage tests.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import itertools
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SECRET = "a-real-looking-production-secret-shared-by-hosts"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Rate-limit counter files and page caches of the servers started by this test process;
# removed at its exit.
_COUNTERS = tempfile.TemporaryDirectory(prefix="forum-limits-")
_SERVERS = itertools.count(1)


def server_env(database_url: str, redis_url: str | None, **extra: str) -> dict[str, str]:
    """The environment of a production-like process on the test database (no Redis if None)."""
    env = {
        **os.environ,
        "FORUM_DATABASE_URL": database_url,
        "FORUM_SECRET_KEY": SECRET,
        "FORUM_NEW_USER_REVIEW_COUNT": "0",
        # The register form's minimum fill time: scripts sign up at once (tests/conftest.py too).
        "FORUM_REGISTER_MIN_SECONDS": "0",
        "FORUM_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "FORUM_ACCESS_LOG": "/dev/null",
        **extra,
    }
    env.pop("FORUM_REDIS_URL", None)
    if redis_url:
        env["FORUM_REDIS_URL"] = redis_url
    else:  # counters of this server's own, shared by its workers, not the checkout's instance/
        number = next(_SERVERS)
        counters = Path(_COUNTERS.name) / f"ratelimits-{number}.sqlite"
        env.setdefault("FORUM_RATELIMIT_STORAGE_URI", f"forum+sqlite://{counters}")
        # Its page cache, shared by its workers as on one host, never the checkout's.
        env.setdefault("FORUM_CACHE_DIR", str(Path(_COUNTERS.name) / f"cache-{number}"))
    return env


@dataclass
class Server:
    """A gunicorn master in a process group of its own, so a test can kill it with its workers.

    Its log goes to a file rather than a pipe: a pipe nobody reads would fill up and block
    the server once it logs a few pages of warnings.
    """

    base: str
    process: subprocess.Popen[bytes]
    log_file: IO[bytes]
    terminated: bool = False

    def log(self) -> str:
        self.log_file.seek(0)
        return self.log_file.read().decode(errors="replace")

    def wait_until_up(self, timeout: float = 90) -> None:
        """Wait for a page; generous, as several workers importing the app on a busy 2-core
        machine can take half a minute."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/login", timeout=10):
                    return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def terminate(self) -> None:
        """Ask for a graceful stop, once: a second SIGTERM that lands after gunicorn has put
        back the default handlers, late in its shutdown, would kill it instead."""
        if not self.terminated:
            self.process.terminate()
            self.terminated = True

    def stop(self) -> str:
        """Stop gracefully (SIGTERM); the server's log, after checking it exited cleanly.
        A server still up 30 s later is killed with its workers, and the failure shows its
        log, so it never outlives the test."""
        self.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            log = self.log()
            self.kill()
            raise AssertionError(f"gunicorn still up 30 s after SIGTERM:\n{log[-3000:]}") from None
        log = self.log()
        self.log_file.close()
        assert self.process.returncode == 0, log[-3000:]
        return log

    def kill(self) -> None:
        """SIGKILL the master and every worker at once, as a crash or the OOM killer would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.log_file.close()


def start_gunicorn(env: dict[str, str], *, workers: int = 1) -> Server:
    """gunicorn with the shipped config, as in production: the master reads the moderation
    rules before it forks (``when_ready``), so no worker's first comment waits seconds for
    them (on a loaded host, past a test client's timeout)."""
    port = free_port()
    log_file = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env={
            **env,
            "FORUM_BIND": f"127.0.0.1:{port}",
            "FORUM_WORKERS": str(workers),
        },
        stdout=subprocess.DEVNULL,
        stderr=log_file,
        start_new_session=True,
    )
    return Server(f"http://127.0.0.1:{port}", process, log_file)


def run_flask(
    env: dict[str, str], *args: str, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """``flask --app wsgi ARGS`` in a process of its own, which must succeed. One that runs
    past ``timeout`` is stopped with SIGABRT, so Python's fault handler prints where each of
    its threads was, and that goes into the failure."""
    process = subprocess.Popen(
        [str(BIN / "flask"), "--app", "wsgi", *args],
        cwd=ROOT,
        env={**env, "PYTHONFAULTHANDLER": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGABRT)
        stdout, stderr = process.communicate()
        raise AssertionError(f"{args} ran past {timeout} s:\n{(stdout + stderr)[-6000:]}") from None
    done = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    return done


class Browser:
    """urllib with a cookie jar; cookies for 127.0.0.1 go to every port, as in a browser."""

    def __init__(self, timeout: float = 10) -> None:
        self.timeout = timeout
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(
        self,
        url: str,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        *,
        json_body: Any = None,
    ) -> tuple[int, dict[str, str], str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = dict(headers or {})
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(url, data=body, headers=headers)
        try:
            with self.opener.open(req, timeout=self.timeout) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, dict(exc.headers), exc.read().decode()

    def csrf(self, url: str) -> str:
        status, _, html = self.request(url)
        assert status == 200, (url, status)
        found = re.search(r'name="csrf_token" value="([^"]+)"', html)
        assert found, f"no CSRF token on {url}"
        return found.group(1)

    def sign_in(self, base: str, username: str, password: str) -> str:
        """Sign in through the form; the session's CSRF token, good for its later forms."""
        token = self.csrf(f"{base}/login")
        status, _, _ = self.request(
            f"{base}/login", {"csrf_token": token, "username": username, "password": password}
        )
        assert status == 302, f"sign-in as {username} failed ({status})"
        return token


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the test reads each 302 itself


# --------------------------------------------------------------------------- posting comments


@dataclass
class Posted:
    """One attempt: the body sent, the status (0: no answer at all) and the number given."""

    body: str
    status: int
    number: int | None

    @property
    def acknowledged(self) -> bool:
        return self.status in (201, 302) and self.number is not None


class Poster:
    """Posts comments into one thread: through the site's form when signed in with ``login``,
    else through the API with ``token``. Signs in when made, so posting measures posting."""

    def __init__(
        self,
        base: str,
        thread_id: int,
        *,
        login: tuple[str, str] | None = None,
        token: str | None = None,
        timeout: float = 30,
    ) -> None:
        self.browser = Browser(timeout=timeout)
        self.token = token
        self.csrf = self.browser.sign_in(base, *login) if login else None
        self.form_url = f"{base}/threads/{thread_id}/comments"
        self.api_url = f"{base}/api/v1/threads/{thread_id}/comments"

    def post(self, body: str) -> Posted:
        try:
            if self.csrf is not None:
                status, headers, _ = self.browser.request(
                    self.form_url, {"csrf_token": self.csrf, "body": body}
                )
                found = re.search(r"#c(\d+)$", headers.get("Location", ""))
                number = int(found.group(1)) if status == 302 and found else None
            else:
                status, _, answer = self.browser.request(
                    self.api_url,
                    headers={"Authorization": f"Bearer {self.token}"},
                    json_body={"body": body},
                )
                number = json.loads(answer)["number"] if status == 201 else None
        except (OSError, http.client.HTTPException):
            # refused, reset, timed out or cut off mid-answer: nothing we can trust was said
            return Posted(body, 0, None)
        return Posted(body, status, number)

    def post_all(
        self, bodies: list[str], *, into: list[Posted] | None = None, stop_on_error: bool = False
    ) -> list[Posted]:
        """Post one after another; each result is appended to ``into`` as it comes."""
        done = [] if into is None else into
        for body in bodies:
            done.append(self.post(body))
            if stop_on_error and done[-1].status == 0:
                break
        return done


def _post_from_a_process(spec: dict[str, Any]) -> None:
    """``python -m tests.servers SPEC``: sign in, say "ready", wait for "go", post, print JSON.

    A process of its own per writer (only the standard library is imported, so it starts in
    milliseconds); the go line lets every writer start at the same moment.
    """
    login = (spec["login"][0], spec["login"][1]) if spec.get("login") else None
    poster = Poster(
        spec["base"],
        spec["thread_id"],
        login=login,
        token=spec.get("token"),
        timeout=spec.get("timeout", 30),
    )
    bodies = [f"{spec['label']} note {i}: {spec['text']}" for i in range(spec["count"])]
    print("ready", flush=True)
    sys.stdin.readline()
    posted = poster.post_all(bodies)
    print(json.dumps([p.__dict__ for p in posted]), flush=True)


if __name__ == "__main__":
    _post_from_a_process(json.loads(sys.argv[1]))
