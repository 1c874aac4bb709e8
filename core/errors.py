"""Errors that carry a stable code for the user-facing text catalogue.

Core never writes chat prose; it raises `UserFacingError("quota_reached", limit=5)`
and each front door renders the code from its catalogue (bot/texts).
"""

from __future__ import annotations

from typing import Any


class UserFacingError(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def __repr__(self) -> str:
        return f"UserFacingError({self.code!r}, {self.params!r})"
