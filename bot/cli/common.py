"""Helpers shared by CLI subcommands."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.conversation.dispatcher import Dispatcher
from bot.conversation.payloads import PayloadCodec
from bot.flows import build_flows
from core.bootstrap import Core, open_core
from core.logsafe import install_redaction, secret_values
from core.secrets import derive_key
from core.settings import Settings


@asynccontextmanager
async def cli_core(settings: Settings) -> AsyncIterator[Core]:
    """A migrated `Core` for one CLI command."""
    async with open_core(settings) as core:
        yield core


def build_dispatcher(core: Core) -> Dispatcher:
    """The dispatcher with every installed flow; shared by all chat front doors."""
    codec = PayloadCodec(derive_key(core.secret_key, "buttons"), core.clock)
    return Dispatcher(core, build_flows(), codec)


def setup_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=getattr(logging, settings.app.log_level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    install_redaction(secret_values(settings))
    # httpx logs every request URL, and Telegram URLs contain the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
