"""/link: a code shown in one chat, entered in the other, joins the two accounts."""

import re

from sqlalchemy import func, select

from core.db.models import Identity, User
from tests.fakes.chat import ChatDriver


def code_in(text: str) -> str:
    match = re.search(r"\b[2-9A-Z]{4}-[2-9A-Z]{4}\b", text)
    assert match, text
    return match.group(0)


async def test_a_code_from_one_chat_joins_the_other_after_a_yes(dispatcher, core):
    alice, alice_elsewhere = ChatDriver(dispatcher, "alice"), ChatDriver(dispatcher, "alice2")
    await alice_elsewhere.send("/start")
    code = code_in((await alice.send("/link")).text)
    confirm = await alice_elsewhere.send(f"/link {code.lower()}")
    assert "alice on Console" in confirm.text
    assert "Join them?" in confirm.text
    done = await alice_elsewhere.press("Yes, join")
    assert "one account" in done.text
    async with core.db.read() as session:
        owners = set(await session.scalars(select(Identity.user_id)))
        live = await session.scalar(select(func.count()).select_from(User)
                                    .where(User.deleted_at.is_(None)))
    assert len(owners) == 1
    assert live == 1


async def test_no_keeps_two_accounts_and_the_code_stays_usable(dispatcher, core):
    alice, other = ChatDriver(dispatcher, "alice"), ChatDriver(dispatcher, "alice2")
    code = code_in((await alice.send("/link")).text)
    await other.send(f"/link {code}")
    assert "nothing changed" in (await other.press("No")).text
    assert "Join them?" in (await other.send(f"/link {code}")).text


async def test_a_typed_code_after_i_have_a_code_is_checked(dispatcher):
    alice, other = ChatDriver(dispatcher, "alice"), ChatDriver(dispatcher, "alice2")
    code = code_in((await alice.send("/link")).text)
    await other.send("/link")
    await other.press("I have a code")
    assert "Join them?" in (await other.send(code)).text


async def test_an_unknown_code_is_refused_kindly(dispatcher):
    alice = ChatDriver(dispatcher, "alice")
    assert "isn't a code I know" in (await alice.send("/link ABCD-EFGH")).text


async def test_your_own_code_joins_nothing(dispatcher):
    alice = ChatDriver(dispatcher, "alice")
    code = code_in((await alice.send("/link")).text)
    assert "this very account" in (await alice.send(f"/link {code}")).text
