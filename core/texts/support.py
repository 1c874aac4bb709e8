"""Words for /support (a message to the team and its answer) and /terms."""

from __future__ import annotations

from typing import Any

HELP_LINE = "/support – write to the team (a photo is welcome too)"
TERMS_HELP_LINE = "/terms – our Terms of Service and Privacy Policy"
ARGS_HINT = "your message to the team"
REPLY_ARGS_HINT = "the ticket number, then your answer"

ASK = (
    "What can we help with? Write your message (one message, a screenshot is welcome) "
    "and I'll pass it to the team. /cancel if you changed your mind."
)
SENT = (
    "Thanks! Your message is with the team as ticket #{ticket}. The answer will arrive "
    "right here in this chat."
)
PHOTO_ONLY_TEXT = "(a photo, no words)"

ERRORS: dict[str, str] = {
    "support_empty": "Your message to the team is empty. Write a few words (or send a photo).",
    "support_too_long": (
        "That message is a bit long for one ticket (up to {limit} characters). Could you "
        "shorten it, or send it in two parts?"
    ),
    "support_photo_too_large": (
        "That photo is too big to pass on (up to {limit_mb} MB). A screenshot works fine."
    ),
    "support_too_many": (
        "You've written to the team {per_hour} times in the last hour. They'll answer what "
        "you sent; please wait a little before writing again."
    ),
    "support_not_admin": (
        "Only the ThottoPilot team can answer support messages. To write to them, use "
        "/support."
    ),
    "support_reply_empty": "Your answer is empty: write it after the ticket number.",
    "support_no_ticket": "There's no ticket #{ticket}. Check the number and try again.",
}

# For the team (admins) in their support chat.
REPLY_USAGE = "To answer a ticket: reply to its message here, or /reply <ticket number> <text>."
REPLY_QUEUED = "Sent to ticket #{ticket}. ✓"
TEAM_MESSAGE = (
    "🆘 Ticket #{ticket} from {name}\n"
    "User {user_id} · wrote on {wrote_from} · uses {transports}\n"
    "Plan {tier} · NSFW {nsfw} · time zone {timezone}\n"
    "Recent trouble: {trouble}\n"
    "\n{text}\n\n"
    "Reply to this message to answer (or /reply {ticket} your answer)."
)
NO_TROUBLE = "none recorded"
ON, OFF = "on", "off"

# For the creator, through the outbox.
ANSWER = "💬 The ThottoPilot team answered your ticket #{ticket}:\n\n{text}"

TERMS = (
    "Our Terms of Service: {terms}\n"
    "Our Privacy Policy: {privacy}\n"
    "Questions about them? /support reaches the team."
)


def team_text(ctx: Any) -> str:
    """The message the team sees for a creator's ticket (`core.support.Context`)."""
    return TEAM_MESSAGE.format(
        ticket=ctx.ticket_id, name=ctx.name or "someone", user_id=ctx.user_id,
        wrote_from=ctx.wrote_from, transports=", ".join(ctx.transports) or ctx.wrote_from,
        tier=ctx.tier, nsfw=ON if ctx.nsfw else OFF, timezone=ctx.timezone,
        trouble="; ".join(ctx.recent_trouble) or NO_TROUBLE,
        text=ctx.text or PHOTO_ONLY_TEXT)


def notice_text(kind: str, payload: dict[str, Any]) -> str:
    """The creator's copy of the team's answer (core.support REPLY_NOTICE)."""
    return ANSWER.format(ticket=payload.get("ticket") or "?", text=payload.get("text") or "")
