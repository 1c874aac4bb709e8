"""Helpers shared by CLI subcommands.

Cheap to import (the CLI imports it before knowing what it will run): the core is
built, and its modules imported, only inside `cli_core`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.bootstrap import Core
    from core.settings import Settings


@asynccontextmanager
async def cli_core(settings: Settings) -> AsyncIterator[Core]:
    """A migrated `Core` for one CLI command."""
    from core.bootstrap import open_core

    async with open_core(settings) as core:
        yield core


def setup_logging(settings: Settings) -> None:
    from core.logsafe import install_redaction, secret_values

    logging.basicConfig(
        level=getattr(logging, settings.app.log_level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    install_redaction(secret_values(settings))
    # httpx logs every request URL, and Telegram URLs contain the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
