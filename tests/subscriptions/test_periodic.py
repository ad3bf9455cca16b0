"""Periodic jobs (the digests) run from the worker loop, at their interval."""

from __future__ import annotations

from forum import outbox
from forum.subscriptions import worker


def test_periodic_jobs_run_at_their_interval_and_on_every_burst(app, monkeypatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(outbox, "PERIODIC", {})
    monkeypatch.setattr(outbox, "_last_run", {})
    outbox.every(300)(lambda: calls.append("digest"))

    assert outbox.run_periodic(1000.0) == 1
    assert outbox.run_periodic(1100.0) == 0  # not due yet
    assert outbox.run_periodic(1300.0) == 1
    worker.poll(burst=True)
    assert calls == ["digest"] * 3


def test_the_mail_digests_are_registered(app) -> None:
    assert any(name.endswith("send_digests") for name in outbox.PERIODIC)
