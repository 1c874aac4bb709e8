"""Push subscriptions: checked as they arrive, stored by endpoint, removed when gone.

What a browser sends is untrusted: the endpoint is a URL we will later POST to, so it
must be https on a known push service (Google FCM, Mozilla autopush, Apple, Windows),
or an origin the operator added (`push.extra_endpoint_origins`, also how tests reach
their local fake). Anything else is refused with a reason code the web maps to words.

Each subscription remembers the web session that registered it (`web_sessions.id_hash`):
a browser's push subscription outlives signing out, so when that session ends the
device is forgotten (`end_session`), or kept for the same person signing in again there
(`hand_over`); otherwise the next person at a shared device would see the last one's
notices.
"""

from __future__ import annotations

import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.push.models import MAX_ENDPOINT, PushSubscription
from core.push.vapid import b64url_decode

# Host suffixes of the push services browsers use.
KNOWN_PUSH_HOSTS = ("fcm.googleapis.com", "push.services.mozilla.com", "push.apple.com",
                    "notify.windows.com")
MAX_USER_AGENT = 128


class SubscriptionRejected(ValueError):
    """`code`: not_json | bad_endpoint | unknown_service | bad_keys."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class NewSubscription:
    endpoint: str
    p256dh: str
    auth: str
    user_agent: str | None = None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def endpoint_allowed(endpoint: str, extra_origins: list[str]) -> bool:
    try:
        parts = urlsplit(endpoint)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return False
    if _origin(endpoint) in {o.rstrip("/").lower() for o in extra_origins}:
        return True
    if parts.scheme != "https" or port not in (None, 443) or parts.username or parts.password:
        return False
    return any(host == known or host.endswith(f".{known}") for known in KNOWN_PUSH_HOSTS)


def _key(text: object, size: int, first: int | None = None) -> str:
    if not isinstance(text, str) or len(text) > 128:
        raise SubscriptionRejected("bad_keys")
    try:
        raw = b64url_decode(text.strip())
    except (binascii.Error, ValueError):
        raise SubscriptionRejected("bad_keys") from None
    if len(raw) != size or (first is not None and raw[0] != first):
        raise SubscriptionRejected("bad_keys")
    return text.strip().rstrip("=")


def parse(data: Mapping[str, object], extra_origins: list[str]) -> NewSubscription:
    """`PushSubscription.toJSON()` as the browser sent it: {endpoint, keys: {p256dh,
    auth}}, plus an optional short device label."""
    endpoint = data.get("endpoint")
    if not isinstance(endpoint, str) or not endpoint or len(endpoint) > MAX_ENDPOINT:
        raise SubscriptionRejected("bad_endpoint")
    if not endpoint_allowed(endpoint, extra_origins):
        raise SubscriptionRejected("unknown_service")
    keys = data.get("keys")
    if not isinstance(keys, Mapping):
        raise SubscriptionRejected("bad_keys")
    label = data.get("label")
    user_agent = " ".join(label.split())[:MAX_USER_AGENT] if isinstance(label, str) else None
    return NewSubscription(endpoint, _key(keys.get("p256dh"), 65, 0x04),
                           _key(keys.get("auth"), 16), user_agent or None)


async def subscribe(session: AsyncSession, user_id: int, new: NewSubscription,
                    now: datetime, session_id_hash: str | None = None) -> PushSubscription:
    """Store `new` for `user_id`, registered by the web session `session_id_hash`; the
    same endpoint again updates its keys (and moves it to this user and session: the
    browser now belongs to whoever is signed in)."""
    row = await session.scalar(select(PushSubscription).where(
        PushSubscription.endpoint == new.endpoint))
    if row is None:
        row = PushSubscription(user_id=user_id, endpoint=new.endpoint, created_at=now)
        session.add(row)
    row.user_id = user_id
    row.session_id_hash = session_id_hash
    row.p256dh, row.auth = new.p256dh, new.auth
    row.user_agent = new.user_agent or row.user_agent
    await session.flush()
    return row


async def end_session(session: AsyncSession, session_id_hash: str) -> int:
    """That web session signed out (or was replaced by someone else's): forget the
    devices it registered; how many."""
    result = await session.execute(delete(PushSubscription).where(
        PushSubscription.session_id_hash == session_id_hash))
    return int(getattr(result, "rowcount", 0) or 0)


async def end_all(session: AsyncSession, user_id: int) -> int:
    """Signed out everywhere: forget every device of `user_id`; how many."""
    result = await session.execute(delete(PushSubscription).where(
        PushSubscription.user_id == user_id))
    return int(getattr(result, "rowcount", 0) or 0)


async def hand_over(session: AsyncSession, old_hash: str, new_hash: str, user_id: int) -> None:
    """A browser's session `old_hash` is replaced by `new_hash` for `user_id`: that
    person's devices registered by the old session stay on under the new one; anyone
    else's are forgotten (another person signed in at this device)."""
    await session.execute(update(PushSubscription).where(
        PushSubscription.session_id_hash == old_hash, PushSubscription.user_id == user_id,
    ).values(session_id_hash=new_hash).execution_options(synchronize_session=False))
    await end_session(session, old_hash)


async def unsubscribe(session: AsyncSession, user_id: int, endpoint: str) -> bool:
    """Forget `endpoint` if it is this user's; whether anything was removed."""
    result = await session.execute(delete(PushSubscription).where(
        PushSubscription.user_id == user_id, PushSubscription.endpoint == endpoint))
    return bool(getattr(result, "rowcount", 0))


async def of_user(session: AsyncSession, user_id: int) -> list[PushSubscription]:
    return list(await session.scalars(select(PushSubscription).where(
        PushSubscription.user_id == user_id).order_by(PushSubscription.id)))


async def forget(session: AsyncSession, ids: list[int]) -> None:
    """The push service said these are gone (404/410): never try them again."""
    if ids:
        await session.execute(delete(PushSubscription).where(PushSubscription.id.in_(ids)))
