"""A small product history with known answers (worked out by hand in test_reports.py).

Reports are for Wednesday 2026-11-25 (UTC). Seven people; u5 deleted their account.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest

from core.billing.models import Entitlement
from core.db.database import Database
from core.db.models import Event, User
from core.events import EventKind as K

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def at(month: int, day: int, hour: int = 12) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


# user -> (signed up, onboarded, deleted)
USERS = {
    1: (at(11, 10), True, False),
    2: (at(11, 11), True, False),
    3: (at(11, 17), True, False),
    4: (at(11, 24), False, False),
    5: (at(11, 18), True, True),
    6: (at(10, 1), False, False),
    7: (at(10, 2), False, False),
}
EVENTS = [
    (1, K.CAPTION_GENERATED, at(11, 10), {}), (1, K.POSTED, at(11, 11), {}),
    (1, K.FEATURE_USED, at(11, 25, 10), {"feature": "caption"}),
    (1, K.FEATURE_USED, at(11, 20), {"feature": "protect"}),
    (2, K.CAPTION_GENERATED, at(11, 12), {}),
    (2, K.FEATURE_USED, at(11, 24), {"feature": "caption"}),
    (3, K.CAPTION_GENERATED, at(11, 17), {}), (3, K.POSTED, at(11, 18), {}),
    (3, K.FEATURE_USED, at(11, 25, 9), {"feature": "caption"}),
    (3, K.FEATURE_USED, at(11, 19), {"feature": "post"}),
    (5, K.CAPTION_GENERATED, at(11, 18), {}), (5, K.POSTED, at(11, 18), {}),
    (5, K.FEATURE_USED, at(11, 25), {"feature": "caption"}),
    (6, K.FEATURE_USED, at(10, 27), {"feature": "caption"}),
    (None, K.FEATURE_USED, at(11, 25), {"feature": "caption"}),  # someone without account
]
# (user, source, tier, status, starts, ends)
GRANTS = [
    (1, "stripe", "pro", "active", at(11, 12), None),
    (1, "manual", "premium", "active", at(11, 12), None),  # given by hand: not revenue
    (2, "stars", "starter", "refunded", at(11, 20), at(11, 21)),
    (3, "stars", "starter", "active", at(11, 18), at(12, 18)),
    (5, "stripe", "premium", "active", at(11, 18), None),  # deleted user: left out
    (6, "stripe", "premium", "ended", at(10, 1), at(11, 10)),  # churned
    (7, "stripe", "starter", "active", at(10, 2), None),
]


@pytest.fixture
async def history(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    async with db.session() as session:
        for uid, (signed, onboarded, deleted) in USERS.items():
            session.add(User(id=uid, created_at=signed, updated_at=signed,
                             onboarded_at=signed if onboarded else None,
                             deleted_at=NOW if deleted else None))
        await session.flush()
        for uid, (signed, _, _) in USERS.items():
            session.add(Event(user_id=uid, kind=K.SIGNUP, data={}, created_at=signed))
        for uid, kind, when, data in EVENTS:
            session.add(Event(user_id=uid, kind=kind, data=data, created_at=when))
        for n, (uid, source, tier, status, starts, ends) in enumerate(GRANTS):
            session.add(Entitlement(user_id=uid, source=source, source_ref=f"ref{n}",
                                    tier=tier, status=status, starts_at=starts, ends_at=ends,
                                    data={}, updated_at=starts))
    yield db
    await db.dispose()
