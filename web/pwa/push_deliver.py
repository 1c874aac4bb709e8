"""Notices from the outbox (core.posting.outbox) as web push, to every browser the
creator subscribed. It is the outbox's "push" route: the chat rows go to the chat
transports as before, the push row of the same event to this deliverer, each once.

True: at least one browser accepted it. False: none is subscribed (any more), or the
creator turned push off for this kind since. Raises when every browser failed for a
reason worth retrying, so the outbox tries again with backoff.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.posting.outbox import Notice
from core.push.prefs import PUSH, TOPIC_OF
from core.push.service import PushMessage, PushService
from core.texts import site as texts

if TYPE_CHECKING:
    from core.bootstrap import Core


def message_for(notice: Notice) -> PushMessage:
    title, body, url = texts.PUSH_NOTICES.get(notice.kind, texts.PUSH_NOTICE_FALLBACK)
    values = {"subreddit": str(notice.payload.get("subreddit") or "?"),
              "title": str(notice.payload.get("title") or texts.PUSH_TITLE_FALLBACK)}
    return PushMessage(title.format(**values), body.format(**values), url,
                       tag=notice.event_key)


class PushDeliverer:
    name = PUSH
    route = PUSH

    def __init__(self, core: Core) -> None:
        self._push = PushService(core)

    async def deliver(self, notice: Notice) -> bool:
        report = await self._push.send_to_user(
            notice.user_id, TOPIC_OF.get(notice.kind), message_for(notice))
        if report.sent:
            return True
        if report.errors:
            raise report.errors[0]
        return False
