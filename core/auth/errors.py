"""Why a sign-in did not work, as a stable reason code.

Every check in core.auth fails with an `AuthError` (a `ValueError`) carrying one of the
reasons below and nothing else: no stack of parser exceptions reaches a web handler,
and the handler picks a friendly message by reason without parsing text. The message
never contains the submitted data (it may hold a token or someone's profile).
"""

from __future__ import annotations

from typing import Final

MALFORMED: Final = "malformed"  # not parseable: bad encoding, duplicate or missing fields
MISSING_HASH: Final = "missing_hash"
BAD_HASH: Final = "bad_hash"  # forged, altered, or signed for another bot
BAD_SIGNATURE: Final = "bad_signature"  # Ed25519 signature does not verify
STALE: Final = "stale"  # auth_date too old (or too far in the future)
EXPIRED: Final = "expired"  # a link or code past its minutes
USED: Final = "used"  # a single-use link or code already spent
INVALID: Final = "invalid"  # unknown, or not ours
NOT_CONFIGURED: Final = "not_configured"  # e.g. no Telegram bot token set
SAME_USER: Final = "same_user"  # linking two identities that are already one account
BOTH_HAVE_DATA: Final = "both_have_data"  # linking two accounts that both hold Reddit/paid data
NO_USER: Final = "no_user"  # the account behind a link or code is gone


class AuthError(ValueError):
    """A sign-in, session or link attempt that must be refused."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
