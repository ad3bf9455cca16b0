"""The production path: gunicorn with our config, and the app behind a reverse proxy."""

from __future__ import annotations

import re

import pytest

from forum import create_app
from tests.conftest import base_config
from tests.factories import make_thread
from tests.servers import Browser, server_env, start_gunicorn


def test_gunicorn_serves_the_forum_with_the_shipped_config(app, migrated) -> None:
    thread = make_thread(title="Served by gunicorn")
    server = start_gunicorn(server_env(migrated, None), workers=2)
    try:
        server.wait_until_up()
        status, _, page = Browser().request(f"{server.base}/threads/{thread.id}")
    finally:
        server.stop()
    assert status == 200 and "Served by gunicorn" in page


def test_the_access_log_has_a_line_per_request_and_no_client_address(migrated, tmp_path) -> None:
    log = tmp_path / "access.log"
    server = start_gunicorn(server_env(migrated, None, FORUM_ACCESS_LOG=str(log)))
    try:
        server.wait_until_up()
        found = Browser().request(f"{server.base}/search?q=funding")
        missing = Browser().request(f"{server.base}/no/such/page")
    finally:
        server.stop()
    assert (found[0], missing[0]) == (200, 404)
    lines = log.read_text().splitlines()
    line = r'"GET {} HTTP/1\.1" {} (\d+) \d+ms <\d+>'
    searched = [
        m for m in (re.fullmatch(line.format(r"/search\?q=funding", 200), x) for x in lines) if m
    ]
    assert len(searched) == 1 and int(searched[0][1]) == len(found[2].encode())
    assert sum(bool(re.fullmatch(line.format("/no/such/page", 404), x)) for x in lines) == 1
    assert "127.0.0.1" not in log.read_text()


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


@pytest.mark.parametrize("unit", ["forum-worker.service", "forum-mail-in.service"])
def test_the_shipped_systemd_units_run_commands_the_forum_has(unit) -> None:
    """Each unit's ExecStart names a `flask forum` command and options it really takes."""
    import configparser
    import shlex
    from pathlib import Path

    from forum.cli import forum_cli

    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(Path(__file__).parents[1] / "deploy" / unit)
    assert parser["Service"]["User"] == "forum" and parser["Install"]["WantedBy"]
    argv = shlex.split(parser["Service"]["ExecStart"])
    assert argv[:4] == ["/srv/forum/.venv/bin/flask", "--app", "wsgi", "forum"]
    command = forum_cli.get_command(None, argv[4])  # type: ignore[arg-type]  # no context needed
    assert command is not None, argv
    command.make_context(argv[4], argv[5:])  # a wrong option or value raises here


def test_the_first_request_warms_moderation_in_a_thread(migrated, monkeypatch) -> None:
    """Outside tests a process reads the moderation rules and loads the models at its first
    request, in a thread of its own, once; the request does not wait for it."""
    import threading

    from forum.moderation import rules

    warmed: list[dict[str, object]] = []
    release = threading.Event()

    def warm(**kwargs: object) -> None:
        release.wait(5)
        warmed.append(kwargs)

    monkeypatch.setattr(rules, "warm", warm)
    app = create_app({**base_config(migrated), "TESTING": False, "SECRET_KEY": "x" * 32})
    client = app.test_client()
    assert client.get("/tags").status_code == 200  # answered while the warm-up waits
    assert client.get("/tags").status_code == 200
    release.set()
    for thread in threading.enumerate():
        if thread.name == "warm-moderation":
            thread.join(5)
    assert warmed == [{"models": True}]
