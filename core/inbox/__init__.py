"""Inbound chat updates, durable before they are acknowledged (see `store` and `consumer`).

Transport-neutral: a front door records what its platform delivered (`Inbox.record`)
before answering, and gives an `InboxConsumer` a handler that processes one update.
"""

from core.inbox.consumer import InboxConsumer
from core.inbox.models import InboundUpdate, Status
from core.inbox.retry import Asked, ask_retry
from core.inbox.store import Claimed, Inbox, Incoming

__all__ = ["Asked", "Claimed", "InboundUpdate", "Inbox", "InboxConsumer", "Incoming", "Status",
           "ask_retry"]
