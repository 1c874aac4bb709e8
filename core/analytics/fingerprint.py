"""An error's fingerprint: its type and the frames it went through, without line
numbers or values, so the same bug is one entry however often and wherever it hits."""

from __future__ import annotations

import hashlib
import re
import traceback

_SITE = re.compile(r".*[/\\](site|dist)-packages[/\\]")
_PROJECT = re.compile(r".*[/\\](?=(core|bot|web|tests)[/\\])")
MAX_FRAMES = 30


def frames(exc: BaseException) -> list[str]:
    """'module path:function' for each frame, innermost last."""
    found = []
    for frame in traceback.extract_tb(exc.__traceback__)[-MAX_FRAMES:]:
        path = _SITE.sub("", frame.filename)
        path = _PROJECT.sub("", path).replace("\\", "/")
        found.append(f"{path}:{frame.name}")
    return found


def error_type(exc: BaseException) -> str:
    kind = type(exc)
    return kind.__qualname__ if kind.__module__ == "builtins" else (
        f"{kind.__module__}.{kind.__qualname__}")


def fingerprint(exc: BaseException) -> str:
    text = "\n".join([error_type(exc), *frames(exc)])
    return hashlib.sha256(text.encode()).hexdigest()[:32]
