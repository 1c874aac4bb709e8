"""The daily purge: accounts whose deletion grace period is over lose every row.

Deleting the `users` row takes the rest with it (every table naming a person does so
ON DELETE CASCADE, and SQLite runs with foreign keys on); events name people ON DELETE
SET NULL (history that outlives a merge) and the event archive has no foreign key,
so their rows are deleted first, as are the chat updates of their chats and their
name on error reports (tied to them by no foreign key: `_forget_tied`); photos still
stored for their posts are deleted after. Referral rows are settled first, by rule
rather than by whichever foreign key action happens to apply (`_settle_referrals`): an
earned reward stays the referrer's. Card plans Stripe has not cancelled yet are
tried again first, for every deletion still pending (core.privacy.plans). One account
per transaction, so a failure costs one account's turn, not the run. Every process
schedules it (aiocron, `privacy.purge_cron`, UTC); the first to claim the day's
`job_claims` row does the work (as the archival).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.analytics.archive import run_once, schedule
from core.analytics.models import ArchivedEvent, ErrorReport
from core.billing.payments import Payments
from core.db.models import Event, User
from core.db.registry import all_metadata
from core.events import EventKind
from core.inbox.models import InboundUpdate, Status
from core.posting.models import PostJob, PostMedia, PostTarget
from core.privacy import plans
from core.privacy.export import owned_by
from core.privacy.models import AccountDeletion
from core.referrals.models import PENDING, Referral

if TYPE_CHECKING:
    from core.bootstrap import Core

log = logging.getLogger(__name__)

JOB = "privacy.purge"


async def purge_due(core: Core) -> int:
    """Hard-delete every account whose purge is due; returns how many went."""
    from core.posting.service import PostingService

    await plans.retry_pending(core)  # card plans first: the last try before a purge
    await Payments.of(core).settle_renewals()  # renewals still to stop (or resume)
    now = core.clock.now()
    async with core.db.read() as session:
        due = list(await session.scalars(
            select(AccountDeletion.user_id).join(User, User.id == AccountDeletion.user_id)
            .where(AccountDeletion.purge_after <= now, User.deleted_at.is_not(None))
            .order_by(AccountDeletion.purge_after)))
    purged = 0
    for user_id in due:
        async with core.db.session() as session:
            # the person's row locked first: a restore in flight is waited out and then
            # seen, and one that comes later waits for the purge (and finds nothing)
            user = await session.get(User, user_id, with_for_update=True)
            request = await session.get(AccountDeletion, user_id)
            if request is None or user is None or user.deleted_at is None:
                continue  # restored meanwhile: only a deleted account is ever purged
            for ref in request.plans_pending:
                log.error("account %s purged while stripe subscription %s may still renew; "
                          "cancel it by hand", user_id, ref)
            media = tuple(await session.scalars(
                select(PostMedia.sha256).join(PostTarget).join(PostJob)
                .where(PostJob.user_id == user_id)))
            await _forget_tied(session, user_id)
            await _settle_referrals(session, user_id)
            await session.execute(delete(Event).where(Event.user_id == user_id))
            await session.execute(delete(ArchivedEvent).where(ArchivedEvent.user_id == user_id))
            await session.execute(delete(User).where(User.id == user_id))
            await core.events.record(session, EventKind.USER_PURGED, None)
        await PostingService(core).release(media)
        purged += 1
    return purged


async def _forget_tied(session: AsyncSession, user_id: int) -> None:
    """The rows no foreign key ties to the person (core.privacy.export.TIED), found as the
    export finds them, before their identities go: the finished chat updates of their
    chats are deleted (an open one is someone writing right now and is processed as
    usual), and an error report whose latest occurrence was theirs forgets whose it was
    and its message (which can quote what they sent); the error itself, its count and
    where in the code it happened stay: they are the code's, not the person's."""
    tables = all_metadata().tables
    updates = tables[InboundUpdate.__tablename__]
    await session.execute(delete(updates).where(
        owned_by(updates, user_id), updates.c.status.in_((Status.DONE, Status.FAILED))))
    for report in await session.scalars(select(ErrorReport).where(
            owned_by(tables[ErrorReport.__tablename__], user_id))):
        report.context = {k: v for k, v in report.context.items() if k != "user_id"}
        report.message = ""


async def _settle_referrals(session: AsyncSession, user_id: int) -> None:
    """A referral row is the referred person's sign-up attribution and, once they have
    paid, the referrer's reward (its unused credit comes off the referrer's bills, and
    it counts in their referral stats). So, purging someone: a referral of theirs still
    pending (nothing earned) goes with them, as does one whose referrer is gone already
    (it is nobody's any more); an earned or paid one stays, detached from them
    (`referred_id` NULL) and without the reference of the payment that earned it (their
    payment, and their payment records go too), so the referrer keeps what they earned.
    A row where they are the referrer stays, detached (`referrer_id` NULL), unless its
    referred person is gone already. (The foreign keys' SET NULL would detach too; this
    says which rows go, which the schema cannot.)"""
    referred, referrer = Referral.referred_id, Referral.referrer_id
    theirs = or_(referred == user_id, referrer == user_id)
    nobody_else = and_(or_(referred == user_id, referred.is_(None)),
                       or_(referrer == user_id, referrer.is_(None)))
    await session.execute(delete(Referral).where(or_(
        and_(referred == user_id, Referral.status == PENDING), and_(theirs, nobody_else),
    )).execution_options(synchronize_session=False))
    for mine, values in ((Referral.referred_id, {"referred_id": None, "earned_ref": None}),
                         (Referral.referrer_id, {"referrer_id": None})):
        await session.execute(update(Referral).where(mine == user_id).values(**values)
                              .execution_options(synchronize_session=False))


async def run_purge(core: Core) -> int | None:
    """Today's run (UTC day); None when another process has it."""
    period = core.clock.now().date().isoformat()
    purged = await run_once(core, JOB, period, lambda: purge_due(core), "purged")
    if purged is not None:
        log.info("purged %d deleted accounts", purged)
    return purged


def start_purge(core: Core) -> Callable[[], None]:
    """Schedule the daily purge in this process; returns what stops the schedule."""
    return schedule(core, core.settings.privacy.purge_cron, "UTC", "purge", run_purge)
