"""Reddit calls made for a creator waiting in chat take their requests from the shared
budget first, like the posting engine and the outcome checks.

Reddit allows each app about 100 requests a minute, counted across every account
(core.posting.budget keeps that budget in one database row). A rules fetch (four
requests) and an account connect (one "who am I") used to call Reddit without asking
the budget, so a busy chat could spend the minute the workers had counted on, and only
the headers of the next post told. `RequestBudget.take` reserves first; when the minute
is spent it raises `reddit_busy` (with the seconds to wait) instead of calling Reddit:
the rule check then uses the rules we have saved, as in an outage, and a connect asks
the creator to try again shortly.

The ledger is bound by `open_core` (core.bootstrap); unbound, nothing is counted.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Protocol

from core.errors import UserFacingError

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

RULES_FETCH = 4  # about, post_requirements, about/rules, the flair templates
CONNECT = 1  # who am I (the token exchange is on reddit_url, outside the API budget)
BUSY = "reddit_busy"


class Ledger(Protocol):
    """What `core.posting.budget.ApiBudgetLedger` offers (core.reddit stays below it)."""

    async def reserve(self, cost: int, *, within: AsyncSession | None = None) -> float: ...


class RequestBudget:
    def __init__(self) -> None:
        self.ledger: Ledger | None = None

    async def take(self, session: AsyncSession, cost: int) -> None:
        """Reserve `cost` requests in (or beside) the caller's unit of work `session`, or
        raise `reddit_busy` with how long until the budget's next minute."""
        if self.ledger is None:
            return
        wait = await self.ledger.reserve(cost, within=session)
        if wait > 0:
            raise UserFacingError("reddit_busy", seconds=max(1, math.ceil(wait)))


def is_busy(exc: BaseException) -> bool:
    return isinstance(exc, UserFacingError) and exc.code == BUSY
