"""Words the web companion shows (web never imports bot/, so it keeps its own catalogue).

Warm, short, and always saying what to do next.
"""

from __future__ import annotations

from typing import Final

GET_A_LINK: Final = "Send /web to the bot in Telegram or Discord and tap the link it sends."

# Why a sign-in did not work, by core.auth reason code: (heading, what to do).
SIGNIN_FAILED: Final[dict[str, tuple[str, str]]] = {
    "expired": ("This link has expired", "Sign-in links work for a few minutes. " + GET_A_LINK),
    "used": ("This link was already used", "For your safety each sign-in link works once. "
             + GET_A_LINK),
    "invalid": ("This link doesn't work", "It may have been cut short when copied. "
                + GET_A_LINK),
    "unknown": ("This link doesn't work", "It may have been cut short when copied. "
                + GET_A_LINK),
    "no_user": ("This account is gone", "The account this link was for was deleted. "
                "Send /start to the bot to begin again."),
    "stale": ("That sign-in is too old", "Please sign in with Telegram again."),
    "bad_hash": ("We couldn't confirm it was you", "Telegram's sign-in data didn't check out. "
                 "Please try again from Telegram."),
    "missing_hash": ("We couldn't confirm it was you", "Please try again from Telegram."),
    "malformed": ("We couldn't read that sign-in", "Please try again from Telegram."),
    "not_configured": ("Telegram sign-in isn't set up", "This ThottoPilot has no Telegram bot "
                       "configured. " + GET_A_LINK),
}
SIGNIN_FALLBACK: Final = ("That didn't work", GET_A_LINK)

SIGNED_OUT: Final = "You're signed out on this device."
SIGNED_OUT_EVERYWHERE: Final = "You're signed out on every device, this one included."
CSRF_FAILED: Final = ("This form has expired", "For your safety, forms work only in the "
                      "session that showed them. Go back, reload the page and try again.")
NEED_SIGNIN: Final = ("Please sign in", GET_A_LINK)

SAVED: Final = "Saved. The chat uses this from your next message."
NOT_SAVED: Final = "Not saved yet: please fix what's marked below."
DISCONNECTED: Final = "Disconnected u/{name}. It can't post for you any more."
