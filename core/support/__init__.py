"""Support: a creator's /support message reaches the team's Telegram chat with their
context, and an admin's answer goes back to the chat they wrote from (both through the
outbox, so neither is lost to a crash)."""

from core.support.models import SupportForward, SupportMessage, SupportTicket
from core.support.service import (
    MAX_PHOTO_BYTES,
    REPLY_NOTICE,
    TEAM_NOTICE,
    Answer,
    Context,
    Support,
    team_chats,
)

__all__ = ["MAX_PHOTO_BYTES", "REPLY_NOTICE", "TEAM_NOTICE", "Answer", "Context", "Support",
           "SupportForward", "SupportMessage", "SupportTicket", "team_chats"]
