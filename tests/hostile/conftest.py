"""What every hostile-input case must hold, whatever area it attacks.

Each test file here (`test_web.py`, later chat, protect, caption, config ...) is one
parametrised suite of cases. This conftest watches the logs of every case: a case fails
if anything was logged at ERROR with a traceback (a bad input is the sender's mistake,
worth a WARNING line at most), or if any string the case marked secret shows up in any
log record at any level. Cases register their secrets with `log_watch.forbid(...)`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest


class LogWatch(logging.Handler):
    """Keeps every record of a case, to be judged when the case ends."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.secrets: set[str] = set()
        self._judged = 0  # records before this index were judged by an earlier check

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def forbid(self, *secrets: str | bytes) -> None:
        """These must never appear in any log line (message or traceback)."""
        for secret in secrets:
            text = secret.decode("latin-1") if isinstance(secret, bytes) else secret
            if text:
                self.secrets.add(text)

    def text_of(self, record: logging.LogRecord) -> str:
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        return text

    def tracebacks(self) -> list[str]:
        return [
            f"{r.levelname} {r.name}: {self.text_of(r)}"
            for r in self.records[self._judged:]
            if r.levelno >= logging.ERROR and (r.exc_info or "Traceback" in r.getMessage())
        ]

    def leaks(self) -> list[str]:
        return [
            f"{secret[:40]!r} in {r.levelname} {r.name}: {self.text_of(r)[:300]}"
            for r in self.records[self._judged:]
            for secret in self.secrets
            if secret in self.text_of(r)
        ]

    def assert_clean(self) -> None:
        """Judge the records logged since the last check (each is judged once)."""
        tracebacks, leaks = self.tracebacks(), self.leaks()
        self._judged = len(self.records)
        assert not tracebacks, "ERROR with a traceback:\n" + "\n".join(tracebacks)
        assert not leaks, "secret in the logs:\n" + "\n".join(leaks)


@pytest.fixture(autouse=True)
def log_watch() -> Iterator[LogWatch]:
    """Attached to the root logger at DEBUG for the whole case, teardown included."""
    watch = LogWatch()
    root = logging.getLogger()
    previous = root.level
    root.addHandler(watch)
    root.setLevel(logging.DEBUG)
    try:
        yield watch
    finally:
        root.removeHandler(watch)
        root.setLevel(previous)
    watch.assert_clean()
