"""The upgrade prompt, worded as the creator's variant of the "upgrade_prompt"
experiment: showing it records the exposure (once per creator, in the flow's unit of
work) so a later payment counts as that variant's conversion."""

from __future__ import annotations

from bot.conversation.context import FlowContext
from core.billing.errors import LimitReached, QuotaExceeded
from core.experiments.config import UPGRADE_PROMPT
from core.texts import billing as t


async def upgrade_prompt(ctx: FlowContext, exc: QuotaExceeded | LimitReached) -> str:
    """The words for a limit hit: which limit, and which plan lifts it."""
    if not exc.upgrade:  # nothing to sell: not an exposure of the wording
        return t.quota_text(exc.params)
    variant = await ctx.core.billing.experiments.expose(ctx.session, ctx.user.id,
                                                         UPGRADE_PROMPT)
    return t.quota_text(exc.params, variant)
