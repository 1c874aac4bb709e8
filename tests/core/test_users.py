"""Users, identities and time handling on a real database."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from core.db.models import Event, User
from core.users import Who, local_who


async def test_first_contact_creates_user_and_identity(core):
    async with core.db.session() as s:
        user, created = await core.users.get_or_create(s, Who("telegram", "42", "Alice"))
    assert created
    async with core.db.session() as s:
        again, created_again = await core.users.get_or_create(s, Who("telegram", "42"))
    assert not created_again
    assert again.id == user.id


async def test_same_external_id_on_another_transport_is_another_user(core):
    async with core.db.session() as s:
        a, _ = await core.users.get_or_create(s, Who("telegram", "42"))
        b, _ = await core.users.get_or_create(s, Who("discord", "42"))
    assert a.id != b.id


async def test_datetimes_come_back_timezone_aware_utc(core, clock):
    async with core.db.session() as s:
        user, _ = await core.users.get_or_create(s, Who("telegram", "1"))
    async with core.db.session() as s:
        loaded = await s.get(User, user.id)
    assert loaded.created_at == clock.now()
    assert loaded.created_at.tzinfo is not None
    assert loaded.created_at.utcoffset().total_seconds() == 0


async def test_naive_datetimes_are_refused(core):
    async with core.db.session() as s:
        user, _ = await core.users.get_or_create(s, Who("telegram", "1"))
        user.updated_at = datetime(2026, 1, 1)  # noqa: DTZ001 - the point of the test
        with pytest.raises(StatementError, match="naive"):
            await s.flush()
        await s.rollback()


async def test_nsfw_cannot_be_enabled_before_age_confirmation(core):
    async with core.db.session() as s:
        user, _ = await core.users.get_or_create(s, Who("telegram", "1"))
        assert not await core.users.set_nsfw(s, user, enabled=True)
        await core.users.confirm_adult(s, user)
        assert await core.users.set_nsfw(s, user, enabled=True)
        assert user.may_see_nsfw


async def test_soft_deleted_user_is_not_found(core):
    async with core.db.session() as s:
        user, _ = await core.users.get_or_create(s, Who("telegram", "1"))
        await core.users.soft_delete(s, user)
    async with core.db.session() as s:
        assert await core.users.find(s, "telegram", "1") is None
        assert (await s.get(User, user.id)).deleted_at is not None


async def test_sign_up_is_recorded_as_an_event(core):
    async with core.db.session() as s:
        await core.users.get_or_create(s, Who("telegram", "1"))
    async with core.db.session() as s:
        kinds = (await s.scalars(select(Event.kind))).all()
    assert "user.created" in kinds


def test_clock_in_tests_is_utc(clock):
    assert clock.now().tzinfo is UTC


async def test_local_creator_is_created_once_as_the_console_identity(core):
    async with core.db.session() as s:
        first = await core.users.local_creator(s)
    async with core.db.session() as s:
        again = await core.users.local_creator(s)
        found = await core.users.find_local(s)
        [summary] = await core.users.directory(s)
    assert again.id == first.id == found.id
    assert summary.identities == (f"console:{local_who().external_id}",)


async def test_find_local_never_creates_the_local_creator(core):
    async with core.db.session() as s:
        assert await core.users.find_local(s) is None
        assert await core.users.directory(s) == []


async def test_local_who_names_another_local_person_on_request():
    assert local_who("bea") == Who("console", "bea", display_name="bea")
    assert local_who().transport == "console"
    assert local_who().external_id


async def test_directory_finds_users_by_handle_name_or_chat_id(core):
    async with core.db.session() as s:
        alice, _ = await core.users.get_or_create(s, Who("telegram", "101", username="alice_x"))
        bob, _ = await core.users.get_or_create(s, Who("discord", "202", display_name="Bob"))
    async with core.db.session() as s:
        assert [u.id for u in await core.users.directory(s, search="@ALICE")] == [alice.id]
        assert [u.id for u in await core.users.directory(s, search="bob")] == [bob.id]
        assert [u.id for u in await core.users.directory(s, search="202")] == [bob.id]
        assert [u.id for u in await core.users.directory(s, limit=1)] == [alice.id]


async def test_a_zone_chosen_stays_chosen_after_its_event_is_archived(core, clock):
    """Choosing UTC is remembered only by its event; the daily archival moving that
    event out of `events` must not make scheduling ask for the zone again."""
    from datetime import timedelta

    from core.analytics.archive import archive_events

    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("console", "utc-fan"))
        await core.users.set_timezone(session, user, "UTC")
    clock.advance(timedelta(days=120))
    assert await archive_events(core.db, clock.now() - timedelta(days=90)) > 0

    async with core.db.session() as session:
        again = await core.users.get(session, user.id)
        assert again is not None
        assert await core.users.zone_chosen(session, again)
