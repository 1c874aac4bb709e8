"""`PushService`: subscriptions, notice preferences and sending a notice to every
browser a creator subscribed. Built on the spot from `Core` (settings, clock, db); the
VAPID keys are loaded (or generated) on first use.

Sending reads the subscriptions in one short read, posts to each push service with no
transaction open, then writes what it learned (gone subscriptions removed, last use
stamped) in one short write. A creator reached by at least one browser counts as
delivered; if every browser failed for a reason worth retrying, the error is raised so
the outbox tries the whole notice again later.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import update

from core.push import prefs as notice_prefs
from core.push import subscriptions
from core.push.models import PushSubscription
from core.push.sender import PushSender, Target
from core.push.vapid import VapidKeys, load_keys

if TYPE_CHECKING:
    from core.bootstrap import Core

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PushMessage:
    """What the service worker shows: title, body, the page a tap opens, and a tag
    (same tag: the newer notification replaces the older one on the device)."""

    title: str
    body: str
    url: str = "/queue"
    tag: str | None = None

    def to_json(self) -> str:
        data: dict[str, Any] = {"title": self.title, "body": self.body, "url": self.url}
        if self.tag:
            data["tag"] = self.tag
        return json.dumps(data, separators=(",", ":"))


@dataclass
class Report:
    sent: int = 0
    gone: int = 0
    errors: list[Exception] = field(default_factory=list)


class PushService:
    def __init__(self, core: Core) -> None:
        self._core = core
        self._keys: VapidKeys | None = None

    @property
    def keys(self) -> VapidKeys:
        if self._keys is None:
            self._keys = load_keys(self._core.settings)
        return self._keys

    @property
    def public_key(self) -> str:
        return self.keys.public_key

    def parse(self, data: dict[str, object]) -> subscriptions.NewSubscription:
        return subscriptions.parse(data, self._core.settings.push.extra_endpoint_origins)

    async def send_to_user(self, user_id: int, topic: str | None, message: PushMessage
                           ) -> Report:
        """Send `message` to each of the user's browsers (when they want `topic` by push;
        None: always)."""
        import aiohttp

        db = self._core.db
        async with db.read() as session:
            wanted = topic is None or (await notice_prefs.load(session, user_id)).wants(
                topic, notice_prefs.PUSH)
            subs = [(s.id, Target(s.endpoint, s.p256dh, s.auth))
                    for s in await subscriptions.of_user(session, user_id)] if wanted else []
        report = Report()
        if not subs:
            return report
        sender = PushSender(self.keys, self._core.clock, self._core.settings.push.ttl_seconds)
        sent_ids: list[int] = []
        gone_ids: list[int] = []
        data = message.to_json()
        async with aiohttp.ClientSession() as http:
            for sub_id, target in subs:
                try:
                    delivered = await sender.send(http, target, data)
                except Exception as exc:  # logged and reported; other browsers still get it
                    log.warning("push to subscription %s failed: %r", sub_id, exc)
                    report.errors.append(exc)
                    continue
                (sent_ids if delivered else gone_ids).append(sub_id)
        report.sent, report.gone = len(sent_ids), len(gone_ids)
        if sent_ids or gone_ids:
            async with db.session() as session:
                await subscriptions.forget(session, gone_ids)
                if sent_ids:
                    await session.execute(update(PushSubscription).where(
                        PushSubscription.id.in_(sent_ids)).values(
                        last_used_at=self._core.clock.now()))
        return report
