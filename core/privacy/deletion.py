"""Deleting an account: soft at once, purged after the grace period, undone by coming back.

`request` (in the caller's unit of work) soft-deletes the user, records when the purge is
due, signs out every browser, cancels what is queued to post, drops notices not yet
sent and drops the Reddit credentials from the database, all in one transaction, so a
half-deleted account cannot exist. The tokens it took are handed back in the
`Deletion`; `finish`, after the commit (never a transaction across a network call),
cancels any card plan that still renews at Stripe (at once, not at period end; one
Stripe could not cancel stays pending on the deletion row and the daily purge run
tries it again: core.privacy.plans), stops every Telegram Stars subscription that
still renews (`editUserStarSubscription`; the period paid for runs out, nothing more is
charged; marked in the deletion's transaction, so one Telegram refused is asked again
daily, core.billing.renewals, and a renewal that still comes for the deleted account
is refunded: core.billing.providers.stars), asks Reddit to revoke each token and
frees the queued posts' photos; what the outside could not do is counted so the person
is told. While the grace period runs the person's chat identities still point at the
account: writing again tells them when it goes and that /restore keeps it (`restore`,
then `finish_restore`: their Stars subscriptions renew again). `purge_due` then deletes
every row of theirs (core.privacy.purge).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.billing import renewals
from core.billing.payments import Payments
from core.db.models import Identity, User
from core.errors import UserFacingError
from core.events import EventKind
from core.outcomes.models import PostCheck
from core.posting.models import OutboxMessage, State
from core.posting.outbox import TEAM_PREFIX
from core.privacy import plans
from core.privacy.models import AccountDeletion
from core.reddit.client import Credentials
from core.reddit.errors import is_reddit_error
from core.reddit.models import AccountStatus
from core.users import Who

if TYPE_CHECKING:
    from core.bootstrap import Core

log = logging.getLogger(__name__)

DROPPED = ""  # what a dropped credential column holds (the column is NOT NULL)


@dataclass(frozen=True)
class Deletion:
    """A committed deletion request and the outside work it leaves for `finish`."""

    user_id: int
    purge_after: datetime
    tokens: tuple[Credentials, ...] = field(default=(), repr=False)
    media: tuple[str, ...] = ()
    subscriptions: tuple[str, ...] = ()  # Stripe subscriptions that still renew
    stars: int = 0  # Telegram Stars subscriptions marked to stop (core.billing.renewals)


@dataclass(frozen=True)
class Revocations:
    revoked: int
    failed: int  # Reddit did not answer: the person is told where to remove the app
    plans_cancelled: int = 0
    plans_failed: int = 0  # Stripe did not cancel: retried daily; the person is told
    stars_cancelled: int = 0
    stars_failed: int = 0  # Telegram refused: asked again daily; a renewal is refunded


class AccountDeletions:
    def __init__(self, core: Core) -> None:
        self.core = core

    @property
    def grace(self) -> timedelta:
        return timedelta(days=self.core.settings.privacy.deletion_grace_days)

    async def request(self, session: AsyncSession, user: User, via: str) -> Deletion:
        core = self.core
        now = core.clock.now()
        purge_after = now + self.grace
        request = await self.pending(session, user.id)
        if request is None:
            request = AccountDeletion(user_id=user.id)
            session.add(request)
        request.requested_at, request.purge_after, request.via = now, purge_after, via[:16]
        await core.users.soft_delete(session, user)
        await core.auth.sessions.revoke_all(session, user.id)
        tokens = []
        for account in await core.reddit.accounts.list(session, user.id):
            if account.credentials != DROPPED:
                try:
                    tokens.append(core.reddit.accounts.credentials(account))
                except UserFacingError:  # unreadable already: nothing Reddit could revoke
                    log.warning("credentials of reddit account %s unreadable", account.id)
            account.credentials, account.status = DROPPED, AccountStatus.REVOKED
            account.updated_at = now
        media = await self._cancel_posts(session, user.id, now)
        subscriptions = await self._renewing(session, user.id)
        stars = await renewals.stop_for_deletion(session, now, user.id)
        request.plans_pending = list(subscriptions)  # until Stripe has cancelled them
        await session.execute(  # news not yet sent to them (the team's notices stay)
            delete(OutboxMessage).where(
                OutboxMessage.user_id == user.id, OutboxMessage.state == State.QUEUED,
                ~OutboxMessage.kind.startswith(TEAM_PREFIX, autoescape=True))
            .execution_options(synchronize_session=False))
        await session.flush()
        return Deletion(user.id, purge_after, tuple(tokens), media, subscriptions, stars)

    async def _cancel_posts(self, session: AsyncSession, user_id: int, now: datetime
                            ) -> tuple[str, ...]:
        """What hasn't gone out never will: every job is cancelled by the posting
        service's own rule (`cancel_all_for_user`), in this transaction; a target being
        posted right now finishes as usual. How their live posts do is nobody's business
        any more: the outcome checks still queued are cancelled too."""
        from core.posting.service import PostingService

        media = await PostingService(self.core).cancel_all_for_user(session, user_id)
        await session.execute(
            update(PostCheck).where(PostCheck.user_id == user_id,
                                    PostCheck.state == State.QUEUED)
            .values(state=State.CANCELLED, updated_at=now, claim_token=None)
            .execution_options(synchronize_session=False))
        return media

    async def finish(self, deletion: Deletion) -> Revocations:
        """After the commit: Stripe cancels the card plans, Reddit revokes the tokens;
        unused photos are deleted."""
        from core.posting.service import PostingService

        tried = await plans.cancel(self.core, deletion.subscriptions)
        if tried.cancelled:
            async with self.core.db.session() as session:
                await plans.settle(session, deletion.user_id, tried)
        stars = (await Payments.of(self.core).settle_renewals(deletion.user_id)
                 if deletion.stars else renewals.Settled())
        revoked = failed = 0
        for creds in deletion.tokens:
            try:
                revoked += await self.core.reddit.clients.revoke(creds)
            except Exception as exc:
                if not is_reddit_error(exc):
                    raise
                log.warning("reddit token revocation failed: %s", type(exc).__name__)
                failed += 1
        await PostingService(self.core).release(deletion.media)
        return Revocations(revoked, failed, len(tried.cancelled), len(tried.failed),
                           stars.done, stars.failed)

    async def renewing_plan(self, session: AsyncSession, user_id: int) -> bool:
        """Whether a card subscription still renews (deleting the account cancels it,
        and the person is told so before they confirm)."""
        return bool(await self._renewing(session, user_id))

    @staticmethod
    async def _renewing(session: AsyncSession, user_id: int) -> tuple[str, ...]:
        from core.billing.models import Entitlement

        return tuple(await session.scalars(select(Entitlement.source_ref).where(
            Entitlement.user_id == user_id, Entitlement.source == "stripe",
            Entitlement.status.in_(("active", "past_due")))))

    async def pending(self, session: AsyncSession, user_id: int) -> AccountDeletion | None:
        return await session.get(AccountDeletion, user_id)

    async def restore(self, session: AsyncSession, who: Who) -> User | None:
        """The person behind `who` came back within the grace period: their account is
        live again (Reddit must be connected anew). None: nothing pending to restore."""
        user = (await session.scalars(  # locked: a purge running now is waited out
            select(User).join(Identity, Identity.user_id == User.id)
            .where(Identity.transport == who.transport,
                   Identity.external_id == who.external_id)
            .with_for_update(of=User))).first()
        if user is None or user.deleted_at is None:
            return None
        request = await self.pending(session, user.id)
        if request is None:
            return None
        await session.delete(request)
        user.deleted_at = None
        user.updated_at = self.core.clock.now()
        # Stars subscriptions the deletion stopped renew again (asked after the commit:
        # `finish_restore`, or the daily run)
        await renewals.resume_after_restore(session, user.updated_at, user.id)
        await self.core.events.record(session, EventKind.USER_RESTORED, user.id)
        return user

    async def finish_restore(self, user_id: int) -> renewals.Settled:
        """After the restore's commit: Telegram lets the Stars subscriptions the
        deletion stopped renew again (one it refuses is asked again daily)."""
        return await Payments.of(self.core).settle_renewals(user_id)
