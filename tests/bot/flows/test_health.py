"""/health in the chat: the verdict in plain words, per connected account."""

from __future__ import annotations

import pytest

from core.texts import outcomes as t
from tests.fakes.creators import chatting_creator


@pytest.fixture
def settings(make_settings, database_url, fake_reddit):
    return make_settings(database_url, reddit=fake_reddit.settings_section())


@pytest.fixture
async def alice(chat, core, fake_reddit):
    return (await chatting_creator(chat, core, fake_reddit))[0]


async def test_health_without_an_account_points_to_connect(chat):
    await chat.send("/start")
    reply = await chat.send("/health")
    assert reply.text == t.HEALTH_NO_ACCOUNT


async def test_health_says_a_shadowban_plainly(chat, alice, fake_reddit):
    fake_reddit.shadowbanned.add("alice")
    await chat.send("/health")
    assert chat.texts[-2] == t.HEALTH_CHECKING
    assert chat.last.text == t.HEALTH["shadowbanned"].format(name="alice", subs="")


async def test_health_of_a_visible_account(chat, alice):
    await chat.send("/health")
    assert chat.last.text == t.HEALTH["ok"].format(name="alice", subs="")
