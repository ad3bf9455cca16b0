"""The durable spool of received replies: on disk before the receiver answers "250".

A message is written to ``tmp/``, flushed to the disk (fsync), then renamed into ``new/``
and the directory flushed too: once ``put`` returns, a crash or a kill -9 can't lose it.
A file left in ``tmp/`` was never acknowledged (the sending server will try again), so
``recover`` deletes it. Processed entries are deleted at once: mail bodies are kept no
longer than it takes to post them. Files are readable by the forum's user alone.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

_ENTRY_SEPARATOR = b"\n"


class Spool:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.tmp = directory / "tmp"
        self.new = directory / "new"
        self.failed = directory / "failed"

    def open(self) -> None:
        for folder in (self.directory, self.tmp, self.new, self.failed):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)

    def put(self, recipient: str, raw: bytes) -> str:
        """Store one message for ``recipient`` durably; its key (arrival order sorts first)."""
        key = f"{time.time_ns():020d}-{secrets.token_hex(8)}"
        tmp = self.tmp / key
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(recipient.encode("ascii", "replace") + _ENTRY_SEPARATOR + raw)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.new / key)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _fsync_dir(self.new)
        return key

    def pending(self) -> list[str]:
        """Keys of the entries not processed yet, oldest first."""
        return sorted(path.name for path in self.new.iterdir() if not path.name.startswith("."))

    def read(self, key: str) -> tuple[str, bytes]:
        """(recipient, raw message) of an entry."""
        data = (self.new / key).read_bytes()
        recipient, _, raw = data.partition(_ENTRY_SEPARATOR)
        return recipient.decode("ascii", "replace"), raw

    def done(self, key: str) -> None:
        (self.new / key).unlink(missing_ok=True)
        _fsync_dir(self.new)

    def give_up(self, key: str) -> None:
        """Set aside an entry that kept failing, for an operator to look at (it is kept)."""
        os.replace(self.new / key, self.failed / key)
        _fsync_dir(self.new)

    def recover(self) -> list[str]:
        """At start: drop half-written files (never acknowledged); the keys still to process."""
        for leftover in self.tmp.iterdir():
            leftover.unlink(missing_ok=True)
        return self.pending()


def _fsync_dir(directory: Path) -> None:
    """A rename is durable only once its directory is flushed too."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
