"""A person who uses Telegram and Discord becomes one account by typing a code."""

import asyncio
from datetime import timedelta

import pytest

from core.auth import errors
from core.auth.errors import AuthError
from core.auth.linking import ALPHABET, normalize_code
from core.reddit.models import RedditAccount
from core.users import Who


async def new_user(core, clock, transport, external_id, username=None):
    async with core.db.session() as s:
        user, _ = await core.users.get_or_create(s, Who(transport, external_id, username=username))
    clock.advance(timedelta(seconds=1))  # creation order is what "older" means
    return user


async def give_reddit(core, clock, user, name="redditor"):
    async with core.db.session() as s:
        s.add(RedditAccount(user_id=user.id, username=name, auth_kind="token",
                            credentials="ciphertext", created_at=clock.now(),
                            updated_at=clock.now()))


async def code_for(core, auth, user):
    async with core.db.session() as s:
        return await auth.linker.issue_code(s, user)


async def link(core, auth, typed, user):
    async with core.db.session() as s:
        return await auth.linker.link_identity(s, typed, user)


async def link_reason(core, auth, typed, user):
    with pytest.raises(AuthError) as caught:
        await link(core, auth, typed, user)
    return caught.value.reason


async def owner(core, transport, external_id):
    async with core.db.read() as s:
        user = await core.users.find(s, transport, external_id)
        return None if user is None else user.id


async def test_a_code_is_eight_unambiguous_characters(core, auth, clock):
    code = await code_for(core, auth, await new_user(core, clock, "telegram", "1"))
    assert len(code.code) == 8
    assert set(code.code) <= set(ALPHABET)
    assert not set("01IO") & set(ALPHABET)
    assert code.display == f"{code.code[:4]}-{code.code[4:]}"
    assert code.expires_at == clock.now() + timedelta(minutes=10)


def test_case_spaces_and_dashes_do_not_matter_when_typing():
    assert normalize_code(" abcd-efgh ") == "ABCDEFGH"
    assert normalize_code("abcd efgh") == "ABCDEFGH"
    assert normalize_code("ABCD-EFG") is None
    assert normalize_code("ABCD-EFG0") is None
    assert normalize_code("ＡＢＣＤＥＦＧＨ") is None


async def test_typing_the_code_on_discord_makes_one_account(core, auth, clock):
    tg = await new_user(core, clock, "telegram", "100", "alice")
    dc = await new_user(core, clock, "discord", "200")
    code = await code_for(core, auth, tg)
    result = await link(core, auth, code.display, dc)
    assert (result.user_id, result.retired_user_id, result.identities_moved) == (tg.id, dc.id, 1)
    assert await owner(core, "discord", "200") == tg.id
    assert await owner(core, "telegram", "100") == tg.id
    async with core.db.read() as s:
        assert await core.users.get(s, dc.id) is None  # retired, not erased
        assert await core.events.count(s, "user.merged", tg.id) == 1


async def test_the_older_account_survives_whichever_side_shows_the_code(core, auth, clock):
    tg = await new_user(core, clock, "telegram", "100")
    dc = await new_user(core, clock, "discord", "200")
    result = await link(core, auth, (await code_for(core, auth, dc)).code, tg)
    assert result.user_id == tg.id
    assert await owner(core, "discord", "200") == tg.id


async def test_the_account_with_reddit_survives_even_if_newer(core, auth, clock):
    tg = await new_user(core, clock, "telegram", "100")
    dc = await new_user(core, clock, "discord", "200")
    await give_reddit(core, clock, dc)
    result = await link(core, auth, (await code_for(core, auth, tg)).code, dc)
    assert result.user_id == dc.id
    assert await owner(core, "telegram", "100") == dc.id


async def test_a_paid_tier_counts_like_reddit(core, auth, clock):
    tg = await new_user(core, clock, "telegram", "100")
    dc = await new_user(core, clock, "discord", "200")
    async with core.db.session() as s:
        (await core.users.get(s, dc.id)).tier = "pro"
    result = await link(core, auth, (await code_for(core, auth, tg)).code, dc)
    assert result.user_id == dc.id


async def test_two_accounts_both_with_reddit_are_not_merged_and_the_code_survives(
        core, auth, clock):
    tg = await new_user(core, clock, "telegram", "100", "alice")
    dc = await new_user(core, clock, "discord", "200")
    await give_reddit(core, clock, tg, "one")
    await give_reddit(core, clock, dc, "two")
    code = await code_for(core, auth, tg)
    assert await link_reason(core, auth, code.code, dc) == errors.BOTH_HAVE_DATA
    assert await owner(core, "discord", "200") == dc.id
    async with core.db.read() as s:
        preview = await auth.linker.preview(s, code.code, dc)
    assert preview.other_user_id == tg.id


async def test_preview_names_the_other_account_without_using_the_code(core, auth, clock):
    tg = await new_user(core, clock, "telegram", "100", "alice")
    dc = await new_user(core, clock, "discord", "200")
    code = await code_for(core, auth, tg)
    async with core.db.read() as s:
        preview = await auth.linker.preview(s, code.code, dc)
    assert preview.other_label == "@alice on Telegram"
    assert (await link(core, auth, code.code, dc)).user_id == tg.id


async def test_a_code_works_once(core, auth, clock):
    tg = await new_user(core, clock, "telegram", "100")
    dc = await new_user(core, clock, "discord", "200")
    other = await new_user(core, clock, "discord", "300")
    code = await code_for(core, auth, tg)
    await link(core, auth, code.code, dc)
    assert await link_reason(core, auth, code.code, other) == errors.USED
    assert await owner(core, "discord", "300") == other.id


async def test_a_code_expires_after_ten_minutes(core, auth, clock):
    tg = await new_user(core, clock, "telegram", "100")
    dc = await new_user(core, clock, "discord", "200")
    code = await code_for(core, auth, tg)
    clock.advance(timedelta(minutes=10))
    assert await link_reason(core, auth, code.code, dc) == errors.EXPIRED


async def test_wrong_or_garbage_codes_are_invalid(core, auth, clock):
    dc = await new_user(core, clock, "discord", "200")
    await code_for(core, auth, await new_user(core, clock, "telegram", "100"))
    for typed in ("ABCDEFGH", "", "x" * 10_000, "\x00" * 8):
        assert await link_reason(core, auth, typed, dc) == errors.INVALID


async def test_linking_to_yourself_is_refused(core, auth, clock):
    tg = await new_user(core, clock, "telegram", "100")
    assert await link_reason(core, auth, (await code_for(core, auth, tg)).code, tg) == (
        errors.SAME_USER)


async def test_the_retired_accounts_web_sessions_end(core, auth, clock):
    tg = await new_user(core, clock, "telegram", "100")
    dc = await new_user(core, clock, "discord", "200")
    async with core.db.session() as s:
        kept = await auth.sessions.create(s, tg, "magic_link")
        ended = await auth.sessions.create(s, dc, "magic_link")
    await link(core, auth, (await code_for(core, auth, tg)).code, dc)
    assert await auth.sessions.authenticate(core.db, ended.token) is None
    assert await auth.sessions.authenticate(core.db, kept.token) is not None


async def test_two_people_racing_with_one_code_link_only_one(core, auth, clock):
    tg = await new_user(core, clock, "telegram", "100")
    racers = [await new_user(core, clock, "discord", str(200 + i)) for i in range(4)]
    code = await code_for(core, auth, tg)

    async def attempt(user):
        try:
            await link(core, auth, code.code, user)
        except AuthError as exc:
            return exc.reason
        return "ok"

    results = await asyncio.gather(*(attempt(u) for u in racers))
    assert sorted(results) == ["ok"] + [errors.USED] * 3
