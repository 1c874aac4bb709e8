"""Errors that carry a stable code for the user-facing text catalogue.

Core never writes chat prose; it raises `UserFacingError("caption_quota", limit=5)`
and each front door renders the code from its catalogue (core/texts/errors.py), with the
next step named here, so a creator who meets a problem always learns what to do next
and never sees a stack trace or an internal name.
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


# The command that is the creator's next step after an error, by code or code prefix
# (longest match wins). None: trying again (later) is the next step.
NEXT_STEP: dict[str, str | None] = {
    "provider_unavailable": None,
    "caption_": "caption",
    "caption_quota": None,
    "reddit_": "post",
    "reddit_not_configured": "help",
    "reddit_account_revoked": "connect",
    "reddit_connect_failed": "connect",
    "reddit_state_": "connect",
    "reddit_unavailable": None,
    "reddit_ratelimit": "queue",
    "when_": None,
    "image_": "protect",  # image-protection codes, as the catalogue prefixes them
    "image_quota": None,  # quotas name their own way out (/upgrade)
    "post_quota": None,
    "reddit_accounts_limit": None,  # names /upgrade itself
    "billing_unavailable": None,
    "support_": None,  # support texts name their own way on (/support)
    "account_pending_deletion": None,  # names /restore itself
    "discord_photo_expired": None,  # names /cancel itself
}


def next_step(code: str) -> str | None:
    """The command to suggest after `code` (without the slash), or None."""
    matches = [key for key in NEXT_STEP if code == key or (key.endswith("_")
                                                           and code.startswith(key))]
    return NEXT_STEP[max(matches, key=len)] if matches else "help"
