"""/settings → 🔔 Notifications: which post news (live, failed, removed) the creator
hears in the chat and as a notification on their devices. The same rows as the web
Settings page (core.push.prefs): a tap here shows there at once, and back.
"""

from __future__ import annotations

from bot.conversation.context import FlowContext
from bot.conversation.replies import Keyboard
from core.push import prefs
from core.texts import settings as t

ACTION = "notice"


async def show(ctx: FlowContext, note: str = "") -> None:
    chosen = await prefs.load(ctx.session, ctx.user.id)
    rows: Keyboard = []
    for topic in prefs.TOPICS:
        rows.append([
            ctx.button(t.NOTICE_TOGGLE.format(
                what=t.NOTICE_TOPICS[topic], where=t.NOTICE_ROUTES[route],
                state=t.ON if chosen.wants(topic, route) else t.OFF), ACTION, topic, route)
            for route in prefs.ROUTES])
    rows.append([ctx.button(t.BACK_TO_SETTINGS, "card")])
    await ctx.reply(f"{note}\n\n{t.NOTICES_CARD}" if note else t.NOTICES_CARD, rows)


async def toggle(ctx: FlowContext, args: tuple[str, ...]) -> bool:
    """Flip one choice; False when the button isn't one of ours (an old payload)."""
    if len(args) != 2 or args[0] not in prefs.TOPICS or args[1] not in prefs.ROUTES:
        return False
    topic, route = args
    current = await prefs.load(ctx.session, ctx.user.id)
    await prefs.save(ctx.session, ctx.user.id,
                     current.with_choice(topic, route, not current.wants(topic, route)),
                     ctx.core.clock.now())
    await show(ctx, t.NOTICE_SAVED)
    return True
