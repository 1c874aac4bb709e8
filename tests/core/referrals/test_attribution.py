"""A sign-up through an invite link is attributed to the link's owner once: never to
themselves, never twice, never to an account that existed before, never through a
code that is unknown or belongs to a deleted account, never from a forged cookie."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select, update

from core.bootstrap import Core
from core.db.models import Event, User
from core.referrals.models import PENDING, Referral
from core.referrals.service import Referrals, start_code
from core.users import Who
from tests.core.referrals.conftest import MakeUser, code_of, sign_up_through
from tests.fakes.clock import FakeClock


async def referral_rows(core: Core) -> list[tuple[int, int, str]]:
    async with core.db.read() as session:
        rows = await session.scalars(select(Referral).order_by(Referral.referred_id))
        return [(r.referrer_id, r.referred_id, r.status) for r in rows]


async def test_each_user_has_one_code_of_their_own(
        core: Core, referrals: Referrals, make_user: MakeUser):
    alice, bea = await make_user("alice"), await make_user("bea")

    first, again = await code_of(core, referrals, alice), await code_of(core, referrals, alice)

    assert first == again
    assert first != await code_of(core, referrals, bea)
    assert len(first) == 8


async def test_the_links_carry_the_code(core: Core, referrals: Referrals):
    assert referrals.web_link("abcd2345").endswith("/r/abcd2345")
    assert referrals.telegram_link("abcd2345") is None  # no bot username configured
    assert start_code("ref_abcd2345") == "abcd2345"
    assert start_code("") is None
    assert start_code("hello") is None


async def test_a_new_user_through_a_link_is_attributed_and_pending(
        core: Core, referrals: Referrals, make_user: MakeUser):
    alice = await make_user("alice")
    code = await code_of(core, referrals, alice)

    bea, done = await sign_up_through(core, referrals, code, "bea")

    assert (done.result, done.referrer_id) == ("attributed", alice.id)
    assert await referral_rows(core) == [(alice.id, bea.id, PENDING)]
    async with core.db.read() as session:
        sources = await session.scalars(select(Event.data).where(
            Event.kind == "signup.source", Event.user_id == bea.id))
        assert [d["source"] for d in sources] == ["referral"]


async def test_a_code_is_read_whatever_its_case_and_spaces(
        core: Core, referrals: Referrals, make_user: MakeUser):
    code = await code_of(core, referrals, await make_user("alice"))

    _, done = await sign_up_through(core, referrals, f"  {code.upper()} ", "bea")

    assert done.result == "attributed"


async def test_nobody_refers_themselves(core: Core, referrals: Referrals):
    async with core.db.session() as session:
        alice, _ = await core.users.get_or_create(session, Who("telegram", "alice"))
        code = await referrals.code_for(session, alice)
        done = await referrals.attribute(session, alice, code, via="telegram", new_user=True)

    assert done.result == "self"
    assert await referral_rows(core) == []


async def test_a_user_who_already_existed_is_not_attributed(
        core: Core, referrals: Referrals, make_user: MakeUser):
    code = await code_of(core, referrals, await make_user("alice"))
    await make_user("bea")  # wrote to the bot before

    _, done = await sign_up_through(core, referrals, code, "bea")

    assert done.result == "existing"
    assert await referral_rows(core) == []


async def test_a_user_is_attributed_only_once(
        core: Core, referrals: Referrals, make_user: MakeUser):
    alice, cal = await make_user("alice"), await make_user("cal")
    bea, _ = await sign_up_through(core, referrals, await code_of(core, referrals, alice), "bea")

    async with core.db.session() as session:  # even if some path claimed bea was new
        again = await referrals.attribute(session, bea, await referrals.code_for(session, cal),
                                          via="web", new_user=True)

    assert again.result == "already"
    assert await referral_rows(core) == [(alice.id, bea.id, PENDING)]


async def test_two_attributions_at_once_make_one(
        core: Core, referrals: Referrals, make_user: MakeUser):
    alice, cal = await make_user("alice"), await make_user("cal")
    codes = [await code_of(core, referrals, alice), await code_of(core, referrals, cal)]
    bea = await make_user("bea")

    async def claim(code: str) -> str:
        async with core.db.session() as session:
            user = await session.get(User, bea.id)
            assert user is not None
            done = await referrals.attribute(session, user, code, via="web", new_user=True)
            await asyncio.sleep(0)
            return done.result

    results = await asyncio.gather(*(claim(c) for c in codes * 3))

    assert results.count("attributed") == 1
    assert len(await referral_rows(core)) == 1


async def test_an_unknown_or_malformed_code_attributes_nothing(
        core: Core, referrals: Referrals):
    for code in ("zzzzzzzz", "", "ref_", "x" * 500, "abc'; drop table users; --", "\x00"):
        _, done = await sign_up_through(core, referrals, code, f"new-{len(code)}")
        assert done.result == "unknown"
    assert await referral_rows(core) == []


async def test_the_code_of_a_deleted_account_attributes_nothing(
        core: Core, referrals: Referrals, make_user: MakeUser, clock: FakeClock):
    alice = await make_user("alice")
    code = await code_of(core, referrals, alice)
    async with core.db.session() as session:
        await session.execute(update(User).where(User.id == alice.id)
                              .values(deleted_at=clock.now()))

    _, done = await sign_up_through(core, referrals, code, "bea")

    assert done.result == "unknown"


# -- the web link's cookie ------------------------------------------------------------
async def test_a_sign_up_after_following_the_web_link_is_attributed(
        core: Core, referrals: Referrals, make_user: MakeUser, clock: FakeClock):
    alice = await make_user("alice")
    cookie = referrals.visit_cookie(await code_of(core, referrals, alice))
    assert cookie is not None
    clock.advance(timedelta(minutes=3))  # signs in with Telegram a little later
    bea = await make_user("bea")

    async with core.db.session() as session:
        done = await referrals.attribute_visit(session, bea, cookie)

    assert (done.result, done.referrer_id) == ("attributed", alice.id)


async def test_an_account_older_than_the_visit_is_not_attributed(
        core: Core, referrals: Referrals, make_user: MakeUser, clock: FakeClock):
    alice, bea = await make_user("alice"), await make_user("bea")
    clock.advance(timedelta(days=2))
    cookie = referrals.visit_cookie(await code_of(core, referrals, alice))
    assert cookie is not None

    async with core.db.session() as session:
        done = await referrals.attribute_visit(session, bea, cookie)

    assert done.result == "existing"


async def test_a_forged_or_altered_cookie_attributes_nothing(
        core: Core, referrals: Referrals, make_user: MakeUser, clock: FakeClock):
    alice = await make_user("alice")
    code = await code_of(core, referrals, alice)
    real = referrals.visit_cookie(code)
    assert real is not None
    clock.advance(timedelta(minutes=1))
    bea = await make_user("bea")
    body, _, tag = real.rpartition(".")
    # one character of the signature changed: never the same signature (overwriting
    # its last two with "AA" left it unchanged about once in a thousand runs)
    altered = ("B" if tag[0] == "A" else "A") + tag[1:]
    forged = [f"{code}-{int(clock.now().timestamp())}", f"{body}.{altered}",
              f"{body}.{tag[::-1]}", "", "x" * 5000, "ünïcödé"]

    async with core.db.session() as session:
        results = {await referrals.attribute_visit(session, bea, c) for c in forged}

    assert {r.result for r in results} == {"forged"}
    assert await referral_rows(core) == []


async def test_an_expired_cookie_attributes_nothing(
        core: Core, referrals: Referrals, make_user: MakeUser, clock: FakeClock):
    cookie = referrals.visit_cookie(await code_of(core, referrals, await make_user("alice")))
    assert cookie is not None
    clock.advance(timedelta(hours=25))  # the cookie lives 24 hours
    bea = await make_user("bea")

    async with core.db.session() as session:
        done = await referrals.attribute_visit(session, bea, cookie)

    assert done.result == "forged"
    async with core.db.read() as session:
        assert await session.scalar(select(func.count()).select_from(Referral)) == 0
