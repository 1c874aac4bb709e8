"""The data export: every table that can hold a person's rows is covered (read from the
schema, so a new table fails here until its export is decided), each row of theirs is
in it, nobody else's is, and no secret is."""

from __future__ import annotations

import json

from core.db.registry import all_metadata
from core.privacy.export import COVERED, SCHEMA_VERSION, export, personal_tables, to_json
from core.users import Who
from tests.fakes.personal_rows import seed_personal_rows


async def _user(core, external_id):
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("telegram", external_id))
    return user.id


def test_every_table_that_can_hold_a_persons_rows_is_covered():
    assert set(COVERED) == personal_tables(all_metadata())


def test_a_table_joined_to_a_persons_table_counts_as_theirs():
    assert {"post_targets", "post_media", "support_forwards", "post_account_pauses",
            "events_archive"} <= personal_tables(all_metadata())


def test_every_column_left_out_exists():
    tables = all_metadata().tables
    for name, columns in COVERED.items():
        assert columns <= set(tables[name].columns.keys()), name


async def test_the_export_holds_a_row_of_theirs_from_every_table_and_no_one_elses(core):
    alice, bob = await _user(core, "1"), await _user(core, "2")
    await seed_personal_rows(core, alice, "alice-tag")
    await seed_personal_rows(core, bob, "bob-tag")
    async with core.db.read() as session:
        data = await export(session, alice, core.clock.now())
    empty = sorted(name for name, rows in data["tables"].items() if not rows)
    assert empty == []
    assert set(data["tables"]) == set(COVERED)
    assert "bob-tag" not in to_json(data).decode()


async def test_secrets_are_left_out_of_the_export(core):
    alice = await _user(core, "1")
    seeded = await seed_personal_rows(core, alice, "alice-tag")
    async with core.db.read() as session:
        data = await export(session, alice, core.clock.now())
    text = to_json(data).decode()
    for name, columns in COVERED.items():
        for column in columns:
            assert str(seeded[name][column]) not in text, f"{name}.{column}"
    [account] = data["tables"]["reddit_accounts"]
    assert "credentials" not in account


async def test_the_export_is_plain_json_with_a_schema_version(core):
    alice = await _user(core, "1")
    await seed_personal_rows(core, alice, "alice-tag")
    async with core.db.read() as session:
        data = await export(session, alice, core.clock.now())
    again = json.loads(to_json(data))
    assert again["schema_version"] == SCHEMA_VERSION
    assert again["user_id"] == alice
    assert again["tables"]["users"][0]["id"] == alice
    assert again["omitted"]["reddit_accounts"] == ["credentials"]


async def test_a_referrers_export_holds_nothing_of_the_referred_persons_payment(core):
    from core.referrals.models import Referral

    alice, bob = await _user(core, "1"), await _user(core, "2")
    async with core.db.session() as session:
        session.add(Referral(referred_id=bob, referrer_id=alice, via="telegram",
                             status="earned", reward="credit", amount_minor=500,
                             currency="USD", created_at=core.clock.now(),
                             earned_at=core.clock.now(), earned_ref="stripe:in_BOBS_INVOICE"))
    async with core.db.read() as session:
        data = await export(session, alice, core.clock.now())
    [referral] = data["tables"]["referrals"]
    assert referral["status"] == "earned"  # what alice earned is hers to see
    assert "in_BOBS_INVOICE" not in to_json(data).decode()

