"""The bot's composition point: one `Core` in, a dispatcher with every flow out.

Every chat front door (`serve` with its Telegram webhook or polling, `thottopilot
chat`, tests, and the adapters still to come) builds its dispatcher here, so they
all run the same flows with the same button signing key, and shares one
`ChatSerializer` per process, so per-chat order and the database's writer bound hold
across every adapter.
"""

from __future__ import annotations

from bot.conversation.dispatcher import Dispatcher
from bot.conversation.ordering import ChatSerializer
from bot.conversation.payloads import PayloadCodec
from bot.flows import build_flows
from core.bootstrap import Core
from core.secrets import derive_key


def build_dispatcher(core: Core) -> Dispatcher:
    """The dispatcher with every installed flow; shared by all chat front doors."""
    codec = PayloadCodec(derive_key(core.secret_key, "buttons"), core.clock)
    return Dispatcher(core, build_flows(), codec)


def build_serializer(core: Core) -> ChatSerializer:
    """The process's one chat serializer, bounded for this database."""
    return ChatSerializer.for_database(core.db.dialect)
