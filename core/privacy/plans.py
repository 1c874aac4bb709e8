"""Ending a deleted account's card plans at Stripe, until it is done.

Deleting an account cancels every card plan that still renews, at once (not at period
end). The plans are recorded as pending on the deletion row in the deletion's own
transaction (`AccountDeletion.plans_pending`), so neither Stripe being down nor the
process dying before `finish` leaves one renewing unnoticed: `finish` tries at once,
and the daily purge run tries every pending one again (`retry_pending`), the last time
just before the account is purged. Each try's outcome is logged; a plan still not
cancelled when its account is purged is logged as an error, for the team to cancel by
hand (the purge itself never waits: its date was promised). A plan Stripe no longer
knows (404) is over already and counts as cancelled. The person who restores their
account in time keeps their plan: the pending list goes with the deletion row.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import User
from core.privacy.models import AccountDeletion

if TYPE_CHECKING:
    from core.bootstrap import Core

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Tried:
    cancelled: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()  # still renewing: tried again on the next run


async def cancel(core: Core, refs: Sequence[str]) -> Tried:
    """Ask Stripe to end each subscription now; never raises for Stripe's sake."""
    if not refs:
        return Tried()
    import stripe

    from core.billing.providers.stripe import StripeNotConfigured, StripeProvider

    provider = StripeProvider(core.settings, core.billing.plans)
    cancelled: list[str] = []
    failed: list[str] = []
    for ref in refs:
        try:
            await provider.cancel_subscription(ref)
        except stripe.InvalidRequestError as exc:
            if exc.http_status != 404:
                log.warning("stripe subscription %s not cancelled: %s", ref, exc)
                failed.append(ref)
                continue
        except (stripe.StripeError, StripeNotConfigured) as exc:
            log.warning("stripe subscription %s not cancelled: %s", ref, type(exc).__name__)
            failed.append(ref)
            continue
        cancelled.append(ref)
    return Tried(tuple(cancelled), tuple(failed))


async def settle(session: AsyncSession, user_id: int, tried: Tried) -> None:
    """Take what Stripe cancelled off the deletion's pending list (what failed stays;
    what another run added meanwhile stays too)."""
    request = await session.get(AccountDeletion, user_id, with_for_update=True)
    if request is not None and tried.cancelled:
        request.plans_pending = [ref for ref in request.plans_pending
                                 if ref not in tried.cancelled]


async def retry_pending(core: Core) -> Tried:
    """Try again every plan a deletion still has pending (the daily purge run)."""
    async with core.db.read() as session:
        pending = [(row.user_id, tuple(row.plans_pending)) for row in await session.scalars(
            select(AccountDeletion).join(User, User.id == AccountDeletion.user_id)
            .where(User.deleted_at.is_not(None)).order_by(AccountDeletion.purge_after))
            if row.plans_pending]
    cancelled: list[str] = []
    failed: list[str] = []
    for user_id, refs in pending:
        tried = await cancel(core, refs)
        async with core.db.session() as session:
            await settle(session, user_id, tried)
        for ref in tried.cancelled:
            log.info("stripe subscription %s of deleted account %s cancelled on retry",
                     ref, user_id)
        cancelled += tried.cancelled
        failed += tried.failed
    if failed:
        log.warning("%d stripe subscriptions of deleted accounts still not cancelled; "
                    "tried again on the next run", len(failed))
    return Tried(tuple(cancelled), tuple(failed))
