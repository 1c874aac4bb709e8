"""Admins are the configured Telegram ids, whichever identity they signed in with."""

import pytest

from core.auth.admins import is_admin
from core.bootstrap import open_core
from core.users import Who


@pytest.fixture
async def admin_core(make_settings, database_url, clock):
    settings = make_settings(database_url, admin={"telegram_ids": [4242]})
    async with open_core(settings, clock=clock) as built:
        yield built


async def test_a_configured_telegram_id_is_an_admin(admin_core):
    async with admin_core.db.session() as session:
        user, _ = await admin_core.users.get_or_create(session, Who("telegram", "4242"))
        assert await is_admin(session, admin_core.settings, user.id)


async def test_anyone_else_is_not(admin_core):
    async with admin_core.db.session() as session:
        user, _ = await admin_core.users.get_or_create(session, Who("telegram", "4243"))
        other, _ = await admin_core.users.get_or_create(session, Who("discord", "4242"))
        assert not await is_admin(session, admin_core.settings, user.id)
        assert not await is_admin(session, admin_core.settings, other.id)


async def test_no_admins_configured_means_nobody_is(core):
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("telegram", "4242"))
        assert not await is_admin(session, core.settings, user.id)
