"""gunicorn settings for the forum: `gunicorn -c gunicorn.conf.py wsgi:app` (`make serve`).

Every value can be overridden from the environment, so one file serves a laptop and a host.
"""

import logging
import multiprocessing
import os

from gunicorn.glogging import Logger

bind = os.environ.get("FORUM_BIND", "127.0.0.1:8000")
# The usual rule of thumb for sync workers: two per core plus one.
workers = int(os.environ.get("FORUM_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("FORUM_THREADS", 1))
# A page is a few milliseconds; anything near this is stuck and is better restarted.
timeout = int(os.environ.get("FORUM_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5
# Recycle a worker now and then, so a slow leak never grows without bound, but rarely: while
# gunicorn replaces a worker, a request that arrives can wait up to a second (measured with
# two workers: p99 of a bare Flask page 2.7 ms with no recycling, 0.4-1 s at one recycle per
# 2,000-20,000 requests, in gunicorn 23 and 27 alike). FORUM_MAX_REQUESTS=0 turns it off.
# The app is imported once, in the master (preload_app), so a new worker is a fork of a ready
# process rather than a fresh import. Not with the outbox worker inline (FORUM_INLINE_WORKER):
# its thread would start in the master, and a fork copies a process one of whose threads may
# hold a lock.
max_requests = int(os.environ.get("FORUM_MAX_REQUESTS", 100_000))
max_requests_jitter = max_requests // 10
preload_app = os.environ.get("FORUM_INLINE_WORKER", "").lower() not in ("1", "true", "yes")
# FORUM_ACCESS_LOG="" turns the access log off.
accesslog = os.environ.get("FORUM_ACCESS_LOG", "-") or None
errorlog = "-"


class AccessLogger(Logger):
    """One access line per request, written straight to the access log's streams. gunicorn's
    general formatter gathers every request and response header and every environ value into
    a dict for each line, whatever the format uses, and the logging module then builds a
    record (looking up the caller's frame) for a line already made: together they cost a bare
    Flask page 10-17% of its requests per second (bench/RESULTS.md). No client addresses:
    some of our users are at risk. The worker's pid tells which process answered. The line
    reads as the format ``"%(r)s" %(s)s %(b)s %(M)sms %(p)s`` would write it."""

    def access(self, resp, req, environ, request_time):  # noqa: ANN001, ARG002 - gunicorn's
        if not self.access_log_enabled:
            return
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        sent = getattr(resp, "sent", None)
        line = '"%s %s %s" %s %s %sms <%s>' % (  # noqa: UP031 - the one format, kept as it was
            environ["REQUEST_METHOD"],
            environ["RAW_URI"],
            environ["SERVER_PROTOCOL"],
            status,
            "-" if sent is None else sent,
            request_time.seconds * 1000 + request_time.microseconds // 1000,
            os.getpid(),
        )
        for handler in self.access_log.handlers:
            if type(handler) in (logging.StreamHandler, logging.FileHandler):
                handler.acquire()  # a line whole even with threaded workers
                try:
                    handler.stream.write(line + "\n")
                    handler.flush()
                finally:
                    handler.release()
            else:  # syslog and the like: through the logging module as usual
                handler.handle(
                    self.access_log.makeRecord(
                        self.access_log.name, logging.INFO, "", 0, line, (), None
                    )
                )


logger_class = AccessLogger
# Trust X-Forwarded-* only through the app's ProxyFix (FORUM_PROXY_COUNT), not here.
forwarded_allow_ips = "127.0.0.1"


# With the app preloaded, the master reads the moderation rules once, before any worker is
# forked (``when_ready``). FORUM_WARM_RULES=0 leaves it to each worker's first comment.
warm_rules = os.environ.get("FORUM_WARM_RULES", "1").lower() in ("1", "true", "yes")


def when_ready(server):  # noqa: ANN001, ARG001 - gunicorn's hook signature
    """Compiling and reading every moderation pattern takes seconds, which every worker's
    first comment would otherwise wait for: done once in the master, forked workers share it."""
    if preload_app and warm_rules:
        from forum.moderation import rules

        rules.warm()


def post_fork(server, worker):  # noqa: ANN001, ARG001 - gunicorn's hook signature
    """A forked worker opens database connections of its own: any the master's pool holds
    stay the master's (SQLAlchemy's advice for forked processes). Redis clients and the
    SQLite rate-limit and page-cache stores reconnect after a fork by themselves."""
    from forum.extensions import db
    from wsgi import app

    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)
