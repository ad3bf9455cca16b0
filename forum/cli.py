"""``flask --app wsgi forum ...``: operator commands."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from forum.errors import ValidationError

forum_cli = AppGroup("forum", help="Forum administration.")


def _fail_on(exc: ValidationError) -> None:
    details = "; ".join(f"{field}: {problem}" for field, problem in exc.fields.items())
    raise click.ClickException(f"{exc.message} {details}".strip())


@forum_cli.command("create-user")
@click.argument("name")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--role", type=click.Choice(["member", "moderator", "admin"]), default="member")
@click.option("--email", default="", help="Optional; never shown to others.")
def create_user(name: str, password: str, role: str, email: str) -> None:
    """Create an account NAME."""
    from forum.auth.service import register_user

    try:
        user = register_user(name, password, email=email, role=role)
    except ValidationError as exc:
        _fail_on(exc)
        return
    click.echo(f"Created {user.role} {user.username}.")


@forum_cli.command("create-token")
@click.argument("name")
@click.option("--label", default="cli", help="What the token is for.")
def create_token(name: str, label: str) -> None:
    """Print a new API token for user NAME (shown once; only its hash is stored)."""
    from forum.auth.service import create_token as issue
    from forum.auth.service import find_user

    user = find_user(name)
    if user is None:
        raise click.ClickException(f"No user named {name!r}.")
    click.echo(issue(user, label))


@forum_cli.command("demo")
def demo() -> None:
    """Load the demo threads, users and tags (does nothing if they are already there)."""
    from forum.demo.load import DEMO_PASSWORD, load_demo

    created = load_demo()
    if created:
        click.echo(f"Loaded demo content: {created}.")
        click.echo(f"Every demo account's password is {DEMO_PASSWORD!r}.")
    else:
        click.echo("Demo content is already loaded.")


moderation_cli = AppGroup("moderation", help="Moderation rules.")
forum_cli.add_command(moderation_cli)


@moderation_cli.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--quiet", "-q", is_flag=True, help="Print only the summaries and the table.")
@click.option(
    "--intervals",
    "with_intervals",
    is_flag=True,
    help="Also print 90% intervals of each part's figures, resampling its discussions.",
)
def moderation_check(paths: tuple[str, ...], quiet: bool, with_intervals: bool) -> None:
    """Assess each {"id", "text", "label"?, ...} record of JSON-lines FILES with the default
    rules and scorer, each in its thread's context when the record gives one.

    Prints one JSON line per record (unless --quiet), a summary line per file, then a table of
    precision, recall, F1 and false-positive rate per file and per part (tune: what the rules
    and the scorer were tuned on; untouched: never looked at while tuning). With --intervals,
    a second table gives the range each part's figures take in 90% of resamplings of its
    discussions: how far a figure may be from the next sample's by chance alone.
    """
    import json

    from forum.moderation.evaluate import (
        interval_table,
        intervals,
        iter_results,
        read_jsonl,
        summarize,
        table,
    )

    summaries = {}
    spreads = {}
    for path in paths:
        results = []
        try:
            for result in iter_results(read_jsonl(path)):
                if not quiet:
                    click.echo(json.dumps(result))
                results.append(result)
        except ValueError as exc:
            raise click.ClickException(f"{path}: {exc}") from exc
        summaries[path] = summarize(results)
        click.echo(json.dumps({"file": path, "summary": summaries[path]}))
        if with_intervals:
            spreads[path] = intervals(results)
    click.echo(table(summaries))
    if with_intervals:
        click.echo("\n" + interval_table(spreads))


@forum_cli.command("worker")
@click.option("--burst", is_flag=True, help="Process what is due now, print how many, and exit.")
def worker(burst: bool) -> None:
    """Deliver notifications: run the outbox (through RQ when FORUM_REDIS_URL is set)."""
    from flask import current_app

    from forum.subscriptions import worker as outbox_worker

    use_rq = bool(current_app.config.get("REDIS_URL"))
    if use_rq and not outbox_worker.redis_answers(current_app.config["REDIS_URL"]):
        click.echo("Redis doesn't answer: running the outbox from the database instead.", err=True)
        use_rq = False
    if burst:
        if use_rq:
            done = outbox_worker.run_rq(burst=True)
        else:
            done = outbox_worker.poll(burst=True)
        click.echo(f"Processed {done} outbox event{'s' if done != 1 else ''}.")
        return
    click.echo(
        "Worker started: RQ queue 'forum' plus an outbox sweep."
        if use_rq
        else "Worker started: polling the outbox. Press Ctrl-C to stop."
    )
    try:
        if use_rq:
            outbox_worker.run_rq()
        else:
            outbox_worker.poll()
    except KeyboardInterrupt:
        pass
    click.echo("Worker stopped.")


@forum_cli.command("mail-in")
@click.option("--bind", default="127.0.0.1:2525", show_default=True, help="HOST:PORT to listen on.")
@click.option("--lmtp", is_flag=True, help="Speak LMTP (for Postfix or Exim in front).")
def mail_in(bind: str, lmtp: bool) -> None:
    """Receive replies by mail (reply+TOKEN@FORUM_MAIL_DOMAIN) and post them."""
    import signal
    import threading

    from flask import current_app

    from forum.mail import receiver

    host, _, port = bind.rpartition(":")
    if not host or not port.isdigit():
        raise click.BadParameter("use HOST:PORT, for example 127.0.0.1:2525", param_hint="--bind")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    controller = receiver.start(app, host=host.strip("[]"), port=int(port), lmtp=lmtp)
    click.echo(f"Receiving replies by {'LMTP' if lmtp else 'SMTP'} on {bind}.")
    try:
        while not stopping.wait(receiver.SWEEP_SECONDS):
            controller.handler.sweep()
    except KeyboardInterrupt:
        pass
    receiver.stop(controller)
    click.echo("Receiver stopped.")


@forum_cli.command("digest")
@click.option("--daily", "kinds", flag_value="daily", multiple=True, help="Send daily digests.")
@click.option("--weekly", "kinds", flag_value="weekly", multiple=True, help="Send weekly digests.")
def digest(kinds: tuple[str, ...]) -> None:
    """Send the digests that are due now (each person gets one per day or week at most)."""
    from forum.mail.service import send_due_digests

    if not kinds:
        raise click.UsageError("Say which: --daily, --weekly, or both.")
    sent = send_due_digests(kinds=kinds)
    click.echo(f"Sent {sent} digest{'s' if sent != 1 else ''}.")


@forum_cli.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup(path: Path) -> None:
    """Back up the database to the new file PATH while the forum runs.

    SQLite: an online copy, integrity-checked. PostgreSQL: prints the pg_dump command to run.
    """
    from flask import current_app

    from forum import backup as backups

    url: str = current_app.config["DATABASE_URL"]
    if url.startswith("postgresql"):
        dump, restore = backups.postgres_commands(url, path)
        click.echo("PostgreSQL: back up with pg_dump (password from PGPASSWORD or ~/.pgpass):")
        click.echo(f"  {dump}")
        click.echo("and restore with `flask --app wsgi forum restore PATH`, which prints:")
        click.echo(f"  {restore}")
        return
    try:
        report = backups.backup_sqlite(backups.sqlite_path(url), path)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backed up to {report.describe()}")


@forum_cli.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the database without asking.")
def restore(path: Path, yes: bool) -> None:
    """Replace the database with the backup PATH (stop the web and the workers first).

    SQLite: checks the backup, then copies it in. PostgreSQL: prints the pg_restore command.
    """
    from flask import current_app

    from forum import backup as backups

    url: str = current_app.config["DATABASE_URL"]
    if url.startswith("postgresql"):
        click.echo("PostgreSQL: restore with pg_restore (password from PGPASSWORD or ~/.pgpass):")
        click.echo(f"  {backups.postgres_commands(url, path)[1]}")
        click.echo("then run `flask --app wsgi db upgrade` if the backup is from an older release.")
        return
    try:
        target = backups.sqlite_path(url)
        if not yes:
            click.confirm(f"Replace everything in {target} with {path}?", abort=True)
        report = backups.restore_sqlite(path, target)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored {report.describe()}")
    click.echo("Run `flask --app wsgi db upgrade` if the backup is from an older release.")
