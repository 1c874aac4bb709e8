"""The inbox's statements, built once per inbox with bind parameters.

An update passes through the inbox two to four times (record, claim, finish, a look for
more; the recording process claims what it recorded when the chat is free, and the
finish tells whether a look for more is worth it), so these are the hottest statements
a busy process runs. Building a SQLAlchemy statement costs about as much CPU as sending
it (bench/bot: ~0.4 ms of a ~0.8 ms round trip), and a prebuilt one also keeps its
cache key, so each is built here once and executed with parameters on a plain
connection. Each is written to stand alone, so on PostgreSQL it runs in autocommit
(`Database.autocommit`): no BEGIN and COMMIT round trips around it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    Table,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from core.inbox.models import InboundUpdate, Status

TABLE = cast(Table, InboundUpdate.__table__)
RETURNED = (TABLE.c.id, TABLE.c.update_id, TABLE.c.chat_key, TABLE.c.payload,
            TABLE.c.attempts, TABLE.c.claim_token, TABLE.c.retries)


def mine() -> Any:
    """Rows of this inbox's transport and bot (parameters `in_transport`, `in_bot`)."""
    return and_(InboundUpdate.transport == bindparam("in_transport"),
                InboundUpdate.bot_id == bindparam("in_bot"))


def _open_before(transport: Any, bot_id: Any, chat_key: Any, update_id: Any) -> Any:
    """Whether the chat has an open update older than `update_id`: the one rule of
    per-chat order, for a stored row (`claimable`) and for a row being recorded
    (`_recorded_and_taken`)."""
    older = aliased(InboundUpdate)
    return exists().where(
        older.transport == transport, older.bot_id == bot_id,
        older.chat_key == chat_key,  # NULL never equals: chatless rows run free
        older.update_id < update_id, older.status.in_(Status.OPEN))


def claimable() -> Any:
    """Only the oldest open update of a chat is claimable (parameter `now` too)."""
    row = InboundUpdate
    now: Any = bindparam("now")
    return and_(
        mine(),
        or_(and_(row.status == Status.PENDING,  # a retried one: not before its time
                 or_(row.lease_until.is_(None), row.lease_until < now)),
            and_(row.status == Status.RUNNING, row.lease_until < now)),
        ~_open_before(row.transport, row.bot_id, row.chat_key, row.update_id),
    )


def _held() -> Any:
    """The row `row_id` while the claim `token` holds it: not a claim of the same
    process that lapsed and was taken again (by itself or another)."""
    return and_(TABLE.c.id == bindparam("row_id"), TABLE.c.claim_token == bindparam("token"),
                TABLE.c.status == Status.RUNNING)


def _take(*which: Any) -> Any:
    """Claim the rows `which` selects for `owner` until `until` under the fresh claim
    `token`: one more attempt."""
    return (update(TABLE).where(*which)
            .values(status=Status.RUNNING, claimed_by=bindparam("owner"),
                    claim_token=bindparam("token"), lease_until=bindparam("until"),
                    attempts=TABLE.c.attempts + 1)
            .returning(*RETURNED))


def _waiting() -> Any:
    """Whether chat `chat_key` has a pending update other than `row_id` (a look for
    more work is worth a round trip only then). A statement of its own after the done
    mark, not an EXISTS in its RETURNING: that would read the snapshot the UPDATE took
    when it began, and an UPDATE that waited on a row lock (a renew, another process's
    `lock_older`) would miss an update recorded meanwhile, leaving the chat to the
    poll."""
    return select(exists().where(
        mine(), InboundUpdate.chat_key == bindparam("chat_key"),
        InboundUpdate.status == Status.PENDING, InboundUpdate.id != bindparam("row_id")))


def _recorded_and_taken(insert: Any) -> Any:
    """INSERT one update (parameters as `Inbox._row`, with `owner` and `until`) already
    claimed for `owner` when no older update of its chat is open, else pending, like
    any record: `claim_new` in the same statement, so a fresh row is never visible
    unclaimed for another consumer to race for. The same rule as a claim, read from the
    same place (the statement's snapshot): an older update of the chat must be visible
    by then, as Telegram sends one chat's webhook updates one at a time."""
    busy = select(_open_before(
        bindparam("transport"), bindparam("bot_id"), bindparam("chat_key"),
        bindparam("update_id")).label("busy")).subquery("chat")

    def given(name: str) -> Any:
        return bindparam(name, type_=TABLE.c[name].type)

    def unless_busy(taken: Any, waiting: Any) -> Any:
        return case((busy.c.busy, waiting), else_=taken)

    fresh = select(
        given("transport"), given("bot_id"), given("update_id"), given("chat_key"),
        given("payload"), given("received_at"),
        unless_busy(literal(Status.RUNNING), literal(Status.PENDING)),
        unless_busy(literal(1), literal(0)),
        unless_busy(bindparam("owner", type_=TABLE.c.claimed_by.type), null()),
        unless_busy(bindparam("token", type_=TABLE.c.claim_token.type), null()),
        unless_busy(bindparam("until", type_=TABLE.c.lease_until.type), null()),
    ).select_from(busy).where(true())  # SQLite: WHERE parts the SELECT from ON CONFLICT
    return (insert(TABLE).from_select(
        ["transport", "bot_id", "update_id", "chat_key", "payload", "received_at",
         "status", "attempts", "claimed_by", "claim_token", "lease_until"], fresh)
        .on_conflict_do_nothing(index_elements=["transport", "bot_id", "update_id"])
        .returning(TABLE.c.id, TABLE.c.status))


def _older_running() -> Any:
    """Share-lock chat `chat_key`'s running update older than `update_id` (PostgreSQL):
    waits out its finish if one is in flight, so the claim that follows (a statement
    with a snapshot of its own) sees it done, and a finish that follows sees the new
    row waiting. Only the running one: a pending row locked here would be skipped by
    other processes' claims (SKIP LOCKED) and left waiting for the next poll."""
    return select(InboundUpdate.id).where(
        mine(), InboundUpdate.chat_key == bindparam("chat_key"),
        InboundUpdate.update_id < bindparam("update_id"),
        InboundUpdate.status == Status.RUNNING).with_for_update(read=True)


@dataclass(frozen=True)
class Statements:
    record: Any
    record_and_notify: Any  # PostgreSQL: also NOTIFY the channel (parameter `channel`)
    claim: Any  # PostgreSQL: pick (SKIP LOCKED) and take in one UPDATE ... RETURNING
    record_taken: Any  # record one update, claimed at once if its chat is free
    claim_new: Any  # the row just recorded (`row_id`), if it is its chat's oldest open
    give_up: Any
    lock_older: Any  # before `claim_new` (PostgreSQL)
    finish: Any  # RETURNING id: matched means the claim was still ours
    waiting: Any  # after `finish`
    later: Any  # hand back for another try (one more retry)
    renew: Any  # RETURNING id: the rows whose claims were still ours

    @classmethod
    def build(cls, dialect: str) -> Statements:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        row = InboundUpdate
        picked = (select(row.id).where(claimable()).order_by(row.id)
                  .limit(bindparam("limit")).with_for_update(skip_locked=True))
        record = insert(TABLE).on_conflict_do_nothing(
            index_elements=["transport", "bot_id", "update_id"])
        return cls(
            record=record.returning(TABLE.c.id),
            # pg_notify in the RETURNING list: the wake-up rides on the INSERT's round trip
            # and is sent at commit, only for rows that were new (a redelivery wakes no one)
            record_and_notify=record.returning(
                TABLE.c.id, func.pg_notify(bindparam("channel"), literal(""))),
            claim=_take(TABLE.c.id.in_(picked.scalar_subquery())),
            record_taken=_recorded_and_taken(insert),
            claim_new=_take(TABLE.c.id == bindparam("row_id"), claimable()),
            give_up=update(TABLE).where(TABLE.c.id.in_(bindparam("ids", expanding=True)))
            .values(status=Status.FAILED, processed_at=bindparam("now"), claimed_by=None,
                    claim_token=None, lease_until=None),
            lock_older=_older_running(),
            finish=update(TABLE).where(_held())
            .values(status=bindparam("new_status"), processed_at=bindparam("now"),
                    claimed_by=None, claim_token=None, lease_until=None)
            .returning(TABLE.c.id),
            waiting=_waiting(),
            later=update(TABLE).where(_held())
            .values(status=Status.PENDING, claimed_by=None, claim_token=None,
                    lease_until=bindparam("until"), attempts=TABLE.c.attempts - 1,
                    retries=TABLE.c.retries + 1),
            # tokens are random per claim, so a row matching any of its holder's
            # tokens is held by one of its holder's claims
            renew=update(TABLE).where(TABLE.c.id.in_(bindparam("ids", expanding=True)),
                                      TABLE.c.claim_token.in_(
                                          bindparam("tokens", expanding=True)),
                                      TABLE.c.status == Status.RUNNING)
            .values(lease_until=bindparam("until")).returning(TABLE.c.id),
        )
