"""The production path: gunicorn with our config, and the app behind a reverse proxy."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from forum import create_app
from tests.conftest import base_config
from tests.factories import make_thread
from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[1]


def test_gunicorn_serves_the_forum_with_the_shipped_config(app, migrated) -> None:
    thread = make_thread(title="Served by gunicorn")
    port = free_port()
    env = {
        **os.environ,
        "FORUM_DATABASE_URL": migrated,
        "FORUM_SECRET_KEY": "a-real-looking-production-secret",
        "FORUM_BIND": f"127.0.0.1:{port}",
        "FORUM_WORKERS": "2",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/threads/{thread.id}") as r:
                    page = r.read().decode()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        assert "Served by gunicorn" in page
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=20)
    assert server.returncode == 0, errors.decode()[-2000:]


def test_the_dev_secret_key_is_refused_outside_debug_and_tests(migrated) -> None:
    with pytest.raises(RuntimeError, match="FORUM_SECRET_KEY"):
        create_app({**base_config(migrated), "TESTING": False, "SECRET_KEY": "dev-not-secret"})


@pytest.fixture
def config_overrides() -> dict[str, object]:
    return {"PROXY_COUNT": 1, "SECURE_COOKIES": True}


def test_behind_a_proxy_https_is_recognised_and_hsts_sent(client) -> None:
    response = client.get(
        "/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "forum.example"}
    )
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    plain = client.get("/")
    assert "Strict-Transport-Security" not in plain.headers
