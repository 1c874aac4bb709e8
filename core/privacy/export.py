"""Everything we keep about one person, as JSON-safe data ("Download my data", /export).

Which rows are a person's is read from the schema: a table is theirs through a column
that names them (a foreign key to `users.id`, or a `user_id` column such as the event
archive's) or through a foreign key to another of their tables (a post's targets, a
ticket's messages). `COVERED` lists every such table with the columns left out because
they are secrets or machinery: Reddit credentials, hashes of sign-in tokens, a browser's
push keys, worker claim tokens. Two tables hold a person's data without naming them
(`TIED`): the inbox's raw chat updates, theirs by chat (`transport` and `chat_key` of one
of their identities: a private chat's key is the person's own id there), and error
reports, theirs while the latest occurrence's `context` names them. tests/core/privacy
checks that `COVERED` names exactly the tables the schema (and `TIED`) say hold
someone's rows, so a new table fails that test until someone decides what of it is
exported; the purge deletes what `owned_by` finds, so export and purge agree.
"""

from __future__ import annotations

import base64
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import ColumnElement, MetaData, Table, exists, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.models import Identity
from core.db.registry import all_metadata

SCHEMA_VERSION = 1
USERS = "users"

# Table -> columns never exported. Every table holding a person's rows is listed.
COVERED: dict[str, frozenset[str]] = {
    "users": frozenset(),
    "identities": frozenset(),
    "conversation_states": frozenset(),
    "events": frozenset(),
    "events_archive": frozenset(),
    "account_deletions": frozenset(),
    "auth_nonces": frozenset({"digest"}),
    "web_sessions": frozenset({"id_hash"}),
    "reddit_accounts": frozenset({"credentials"}),
    "reddit_oauth_states": frozenset({"state_hash"}),
    "reddit_prefs": frozenset(),
    "reddit_posts": frozenset(),
    "caption_voices": frozenset(),
    "caption_batches": frozenset(),
    "caption_options": frozenset(),
    "creator_profiles": frozenset(),
    "consents": frozenset(),
    "engagement_models": frozenset(),
    "post_jobs": frozenset(),
    "post_targets": frozenset({"claim_token"}),
    "post_media": frozenset(),
    "post_checks": frozenset({"claim_token"}),
    "post_account_pauses": frozenset(),
    "outbox": frozenset({"claim_token"}),
    "billing_customers": frozenset(),
    "entitlements": frozenset(),
    "usage_counters": frozenset(),
    "usage_records": frozenset(),
    "monthly_bills": frozenset(),
    "referral_codes": frozenset(),
    "referrals": frozenset({"earned_ref"}),  # the referred person's payment, not the referrer's
    "experiment_exposures": frozenset(),
    "support_tickets": frozenset(),
    "support_messages": frozenset(),
    "support_forwards": frozenset(),
    "push_subscriptions": frozenset({"endpoint", "p256dh", "auth"}),
    "notice_preferences": frozenset(),
    "inbound_updates": frozenset({"claimed_by"}),
    "error_reports": frozenset({"frames"}),
}


def _their_chats(table: Table, user_id: int) -> ColumnElement[bool]:
    return exists().where(Identity.user_id == user_id,
                          Identity.transport == table.c.transport,
                          Identity.external_id == table.c.chat_key)


def _names_them(table: Table, user_id: int) -> ColumnElement[bool]:
    return table.c.context["user_id"].as_integer() == user_id


# Tables whose rows are a person's though no column names them: how to find theirs.
TIED = {"inbound_updates": _their_chats, "error_reports": _names_them}


def person_columns(table: Table) -> list[Any]:
    """The columns of `table` that name a person directly."""
    found = [fk.parent for fk in table.foreign_keys if fk.column.table.name == USERS]
    if "user_id" in table.c and table.c.user_id not in found:
        found.append(table.c.user_id)
    return found


def personal_tables(metadata: MetaData) -> set[str]:
    """Every table whose rows can belong to a person, by the schema alone."""
    found = {USERS} | {t.name for t in metadata.tables.values()
                       if person_columns(t) or t.name in TIED}
    grew = True
    while grew:
        grew = False
        for table in metadata.tables.values():
            if table.name not in found and any(
                    fk.column.table.name in found for fk in table.foreign_keys):
                found.add(table.name)
                grew = True
    return found


def owned_by(table: Table, user_id: int) -> ColumnElement[bool]:
    """The rows of `table` that are the person's: named directly, or hanging from a row
    of theirs in another table."""
    if table.name == USERS:
        return table.c.id == user_id
    if table.name in TIED:
        return TIED[table.name](table, user_id)
    ways: list[ColumnElement[bool]] = [c == user_id for c in person_columns(table)]
    for fk in table.foreign_keys:
        parent = fk.column.table
        if parent.name != USERS and parent.name in COVERED:
            ways.append(fk.parent.in_(select(fk.column).where(owned_by(parent, user_id))))
    return or_(*ways) if ways else false()


async def export(session: AsyncSession, user_id: int, now: datetime) -> dict[str, Any]:
    """The person's rows from every covered table (secrets left out), oldest first."""
    metadata = all_metadata()
    tables: dict[str, list[dict[str, Any]]] = {}
    for name in sorted(COVERED):
        table = metadata.tables[name]
        shown = [c for c in table.columns if c.name not in COVERED[name]]
        order = list(table.primary_key.columns) or shown[:1]
        rows = await session.execute(select(*shown).where(owned_by(table, user_id))
                                     .order_by(*order))
        tables[name] = [{k: plain(v) for k, v in row._mapping.items()} for row in rows]
    return {
        "schema_version": SCHEMA_VERSION,
        "exported_at": now.isoformat(),
        "user_id": user_id,
        "omitted": {name: sorted(cols) for name, cols in sorted(COVERED.items()) if cols},
        "tables": tables,
    }


def plain(value: Any) -> Any:
    """`value` as JSON can carry it (times in ISO 8601, money as exact strings)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return value


def filename(now: datetime) -> str:
    return f"thottopilot-data-{now.date().isoformat()}.json"


def to_json(data: dict[str, Any]) -> bytes:
    import json

    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode()
