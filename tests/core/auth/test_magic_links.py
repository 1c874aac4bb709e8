"""Magic sign-in links work once, for minutes, for the person they were made for."""

import asyncio
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from core.auth import errors
from core.auth.errors import AuthError
from core.auth.models import AuthNonce
from core.users import Who


async def new_user(core, external_id="42"):
    async with core.db.session() as s:
        user, _ = await core.users.get_or_create(s, Who("telegram", external_id, "Alice"))
    return user


async def issue(core, auth, user):
    async with core.db.session() as s:
        return await auth.magic_links.issue(s, user)


async def redeem_reason(core, auth, token):
    with pytest.raises(AuthError) as caught:
        async with core.db.session() as s:
            await auth.magic_links.redeem(s, token)
    return caught.value.reason


async def test_a_link_signs_its_user_in_once(core, auth):
    user = await new_user(core)
    link = await issue(core, auth, user)
    async with core.db.session() as s:
        signed_in, new_session = await auth.sign_in_magic_link(s, link.token)
    assert signed_in.id == user.id
    assert new_session.user_id == user.id
    assert await redeem_reason(core, auth, link.token) == errors.USED


async def test_the_url_points_at_the_sign_in_page_with_the_token(core, auth):
    link = await issue(core, auth, await new_user(core))
    parts = urlsplit(link.url)
    assert parts.path == "/signin"
    assert parse_qs(parts.query) == {"t": [link.token]}
    assert link.url.startswith(core.settings.public_base_url)


async def test_a_link_expires_after_ten_minutes(core, auth, clock):
    link = await issue(core, auth, await new_user(core))
    assert link.expires_at == clock.now() + timedelta(minutes=10)
    clock.advance(timedelta(minutes=10, seconds=1))
    assert await redeem_reason(core, auth, link.token) == errors.EXPIRED


async def test_a_link_still_works_just_before_it_expires(core, auth, clock):
    user = await new_user(core)
    link = await issue(core, auth, user)
    clock.advance(timedelta(minutes=9, seconds=59))
    async with core.db.session() as s:
        assert (await auth.magic_links.redeem(s, link.token)).id == user.id


async def test_an_altered_or_foreign_token_is_invalid(core, auth):
    link = await issue(core, auth, await new_user(core))
    body, _, tag = link.token.rpartition(".")
    altered = ("B" if tag[0] == "A" else "A") + tag[1:]  # always a different signature
    assert await redeem_reason(core, auth, f"{body}.{altered}") == errors.INVALID
    assert await redeem_reason(core, auth, "") == errors.INVALID
    assert await redeem_reason(core, auth, "\udcff" * 10) == errors.INVALID


async def test_peeking_does_not_use_the_link_up(core, auth):
    user = await new_user(core)
    link = await issue(core, auth, user)
    async with core.db.read() as s:
        assert (await auth.magic_links.peek(s, link.token)).id == user.id
    async with core.db.session() as s:
        assert (await auth.magic_links.redeem(s, link.token)).id == user.id
    with pytest.raises(AuthError, match="used"):
        async with core.db.read() as s:
            await auth.magic_links.peek(s, link.token)


async def test_the_database_holds_no_usable_nonce(core, auth):
    link = await issue(core, auth, await new_user(core))
    nonce = link.token.split(".")[0]
    async with core.db.read() as s:
        digests = list(await s.scalars(select(AuthNonce.digest)))
    assert len(digests) == 1
    assert nonce not in digests[0]
    assert link.token not in digests[0]


async def test_a_deleted_account_cannot_sign_in(core, auth):
    user = await new_user(core)
    link = await issue(core, auth, user)
    async with core.db.session() as s:
        await core.users.soft_delete(s, await core.users.get(s, user.id))
    assert await redeem_reason(core, auth, link.token) == errors.NO_USER


async def test_concurrent_redemptions_sign_in_exactly_once(core, auth):
    user = await new_user(core)
    link = await issue(core, auth, user)

    async def attempt():
        try:
            async with core.db.session() as s:
                await auth.magic_links.redeem(s, link.token)
        except AuthError as exc:
            return exc.reason
        return "ok"

    results = await asyncio.gather(*(attempt() for _ in range(8)))
    assert sorted(results) == ["ok"] + [errors.USED] * 7


async def test_purge_forgets_only_links_expired_for_a_day(core, auth, clock):
    user = await new_user(core)
    await issue(core, auth, user)
    clock.advance(timedelta(days=1, minutes=11))
    fresh = await issue(core, auth, user)
    async with core.db.session() as s:
        assert await auth.nonces.purge(s) == 1
    async with core.db.session() as s:
        assert (await auth.magic_links.redeem(s, fresh.token)).id == user.id
