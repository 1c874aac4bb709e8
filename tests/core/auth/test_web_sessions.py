"""Server-side web sessions: a random cookie, a row that decides, sign out everywhere."""

from datetime import timedelta

from sqlalchemy import select

from core.auth.models import WebSession
from core.auth.sessions import TOUCH_EVERY
from core.users import Who


async def new_user(core, external_id="42"):
    async with core.db.session() as s:
        user, _ = await core.users.get_or_create(s, Who("telegram", external_id))
    return user


async def sign_in(core, auth, user, via="magic_link"):
    async with core.db.session() as s:
        return await auth.sessions.create(s, user, via)


async def current(core, auth, token):
    return await auth.sessions.authenticate(core.db, token)


async def test_a_new_session_is_found_by_its_cookie_value(core, auth):
    user = await new_user(core)
    new = await sign_in(core, auth, user)
    info = await current(core, auth, new.token)
    assert info is not None
    assert (info.user_id, info.via) == (user.id, "magic_link")


async def test_every_sign_in_gets_a_different_random_id(core, auth):
    user = await new_user(core)
    first, second = await sign_in(core, auth, user), await sign_in(core, auth, user)
    assert first.token != second.token
    assert len(first.token) == 43


async def test_only_a_hash_of_the_id_is_stored(core, auth):
    new = await sign_in(core, auth, await new_user(core))
    async with core.db.read() as s:
        stored = list(await s.scalars(select(WebSession.id_hash)))
    assert stored
    assert new.token not in stored[0]


async def test_unknown_or_garbage_cookies_are_not_signed_in(core, auth):
    await sign_in(core, auth, await new_user(core))
    for cookie in (None, "", "x" * 43, "é" * 43, "a" * 10_000):
        assert await current(core, auth, cookie) is None


async def test_sign_out_ends_only_this_browser(core, auth):
    user = await new_user(core)
    phone, laptop = await sign_in(core, auth, user), await sign_in(core, auth, user)
    async with core.db.session() as s:
        assert await auth.sessions.revoke(s, phone.token)
    assert await current(core, auth, phone.token) is None
    assert await current(core, auth, laptop.token) is not None


async def test_sign_out_everywhere_ends_every_session_of_that_user_only(core, auth):
    alice, bob = await new_user(core, "1"), await new_user(core, "2")
    alice_sessions = [await sign_in(core, auth, alice) for _ in range(3)]
    bobs = await sign_in(core, auth, bob)
    async with core.db.session() as s:
        assert await auth.sessions.revoke_all(s, alice.id) == 3
    for new in alice_sessions:
        assert await current(core, auth, new.token) is None
    assert await current(core, auth, bobs.token) is not None


async def test_an_unused_session_ends_after_the_idle_time(core, auth, clock):
    new = await sign_in(core, auth, await new_user(core))
    assert new.expires_at == clock.now() + auth.sessions.idle
    clock.advance(auth.sessions.idle)
    assert await current(core, auth, new.token) is None


async def test_use_rolls_the_expiry_forward(core, auth, clock):
    new = await sign_in(core, auth, await new_user(core))
    clock.advance(auth.sessions.idle - timedelta(days=1))
    info = await current(core, auth, new.token)
    assert info is not None
    assert info.expires_at == clock.now() + auth.sessions.idle
    clock.advance(timedelta(days=2))  # past the first expiry, within the rolled one
    assert await current(core, auth, new.token) is not None


async def test_rolling_writes_at_most_once_per_touch_interval(core, auth, clock):
    new = await sign_in(core, auth, await new_user(core))
    clock.advance(TOUCH_EVERY / 2)
    info = await current(core, auth, new.token)
    assert info is not None
    assert info.last_seen_at == new.expires_at - auth.sessions.idle  # untouched: a read
    clock.advance(TOUCH_EVERY)
    info = await current(core, auth, new.token)
    assert info is not None
    assert info.last_seen_at == clock.now()


async def test_even_a_busy_session_ends_at_its_maximum_age(core, auth, clock):
    new = await sign_in(core, auth, await new_user(core))
    step = timedelta(days=10)
    while clock.now() + step < new.expires_at - auth.sessions.idle + auth.sessions.max_age:
        clock.advance(step)
        assert await current(core, auth, new.token) is not None
    clock.advance(step)
    assert await current(core, auth, new.token) is None


async def test_a_deleted_account_is_signed_out(core, auth):
    user = await new_user(core)
    new = await sign_in(core, auth, user)
    async with core.db.session() as s:
        await core.users.soft_delete(s, await core.users.get(s, user.id))
    assert await current(core, auth, new.token) is None
