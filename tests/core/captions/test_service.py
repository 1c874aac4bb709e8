"""CaptionService on a real database: quota per tier and local day, no repeats per
user, NSFW gating by the user's own settings, options only for their owner."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.bootstrap import Core
from core.captions import get_option
from core.captions.models import CaptionBatchRecord
from core.captions.textutil import fingerprint
from core.captions.types import CaptionBatch, CaptionBrief, PromoMode, Voice
from core.db.models import Tier, User
from core.errors import UserFacingError
from core.users import Who
from tests.fakes.clock import FakeClock

BRIEF = CaptionBrief("red dress, rooftop at sunset", seed=7)
NY = "America/New_York"  # UTC-5 in late November


async def make_user(
    core: Core, name: str, *, tier: Tier = Tier.FREE, timezone: str = "UTC",
    adult: bool = False,
) -> User:
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("console", name))
        user.tier = tier.value
        user.timezone = timezone
        if adult:
            await core.users.confirm_adult(session, user)
            await core.users.set_nsfw(session, user, True)
    return user


async def generate(core: Core, user: User, brief: CaptionBrief = BRIEF) -> CaptionBatch:
    async with core.db.session() as session:
        return await core.captions.generate(session, user, brief)


# -- quota -------------------------------------------------------------------------------
async def test_free_tier_gets_five_batches_then_the_quota_error(core):
    user = await make_user(core, "free")
    for _ in range(5):
        await generate(core, user)

    with pytest.raises(UserFacingError) as caught:
        await generate(core, user)

    assert caught.value.code == "caption_quota"
    assert caught.value.params["limit"] == 5


async def test_refused_request_does_not_store_a_batch(core):
    user = await make_user(core, "free")
    for _ in range(5):
        await generate(core, user)
    with pytest.raises(UserFacingError):
        await generate(core, user)

    async with core.db.session() as session:
        usage = await core.captions.usage(session, user)
    assert (usage.used, usage.limit, usage.left) == (5, 5, 0)


async def test_quota_resets_at_midnight_in_the_users_time_zone(core, clock: FakeClock):
    clock.set(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))  # 09:00 in New York
    user = await make_user(core, "ny", timezone=NY)
    for _ in range(5):
        await generate(core, user)

    clock.set(datetime(2026, 11, 26, 1, 0, tzinfo=UTC))  # past UTC midnight, 20:00 in NY
    with pytest.raises(UserFacingError):
        await generate(core, user)

    clock.set(datetime(2026, 11, 26, 4, 59, tzinfo=UTC))  # 23:59 in New York
    with pytest.raises(UserFacingError):
        await generate(core, user)

    clock.set(datetime(2026, 11, 26, 5, 1, tzinfo=UTC))  # 00:01 next day in New York
    batch = await generate(core, user)
    assert len(batch.options) == 3


async def test_utc_user_quota_resets_at_utc_midnight(core, clock: FakeClock):
    clock.set(datetime(2026, 11, 25, 23, 0, tzinfo=UTC))
    user = await make_user(core, "utc")
    for _ in range(5):
        await generate(core, user)

    clock.set(datetime(2026, 11, 26, 0, 0, 1, tzinfo=UTC))
    assert len((await generate(core, user)).options) == 3


async def test_premium_tier_is_unlimited(core):
    user = await make_user(core, "premium", tier=Tier.PREMIUM)
    for _ in range(8):
        await generate(core, user)

    async with core.db.session() as session:
        usage = await core.captions.usage(session, user)
    assert usage.used == 8
    assert usage.limit is None
    assert usage.left is None


async def test_quota_is_per_user(core):
    first = await make_user(core, "first")
    second = await make_user(core, "second")
    for _ in range(5):
        await generate(core, first)

    assert len((await generate(core, second)).options) == 3


# -- no repeats ----------------------------------------------------------------------------
async def test_recent_captions_are_not_repeated_for_the_same_user(core):
    user = await make_user(core, "repeat", tier=Tier.PREMIUM)
    seen: list[str] = []
    for _ in range(10):
        batch = await generate(core, user)  # same brief, same seed each time
        seen += [fingerprint(o.title) for o in batch.options]

    assert len(seen) == 30
    assert len(set(seen)) == 30


async def test_history_is_per_user(core):
    alice = await make_user(core, "alice")
    bob = await make_user(core, "bob")

    first = await generate(core, alice)
    again = await generate(core, alice)
    others = await generate(core, bob)

    titles = [o.title for o in first.options]
    assert [o.title for o in others.options] == titles
    assert not {o.title for o in again.options} & set(titles)


async def test_options_in_one_batch_are_distinct_and_count_is_clamped(core):
    user = await make_user(core, "count", tier=Tier.PREMIUM)

    many = await generate(core, user, BRIEF.with_changes(count=25))
    none = await generate(core, user, BRIEF.with_changes(count=0))

    assert len(many.options) == 10
    assert len({o.title for o in many.options}) == 10
    assert len(none.options) == 1


async def test_phrases_the_creator_avoids_never_appear(core):
    user = await make_user(core, "voice", tier=Tier.PREMIUM)
    first = await generate(core, user, BRIEF.with_changes(seed=11))
    phrase = first.options[0].title.split()[0]  # avoid a word the writer just used
    async with core.db.session() as session:
        await core.captions.set_voice(session, user, Voice(avoid_phrases=(phrase,)))

    batch = await generate(core, user, BRIEF.with_changes(seed=11))

    assert len(batch.options) == 3
    assert all(phrase.lower() not in o.title.lower() for o in batch.options)


# -- NSFW gating -----------------------------------------------------------------------------
async def test_nsfw_brief_for_a_non_adult_user_is_downgraded_to_sfw(core):
    user = await make_user(core, "minor-or-unconfirmed")

    batch = await generate(core, user, BRIEF.with_changes(nsfw=True, persona="domme"))

    assert batch.nsfw_downgraded
    assert all(not o.nsfw for o in batch.options)
    async with core.db.session() as session:
        record = await session.get(CaptionBatchRecord, batch.batch_id)
    assert record is not None
    assert record.nsfw is False
    assert record.brief["persona"] is None


async def test_sfw_output_contains_no_explicit_words(core):
    user = await make_user(core, "sfw", tier=Tier.PREMIUM)

    batch = await generate(core, user, BRIEF.with_changes(nsfw=True, tone="sultry", count=10))

    assert batch.nsfw_downgraded
    assert not any(core.captions.gate.is_explicit(o.title) for o in batch.options)


async def test_nsfw_brief_for_an_adult_opted_in_user_stays_nsfw(core):
    user = await make_user(core, "adult", adult=True)

    batch = await generate(core, user, BRIEF.with_changes(nsfw=True, persona="domme"))

    assert not batch.nsfw_downgraded
    assert all(o.nsfw for o in batch.options)


# -- ownership --------------------------------------------------------------------------------
async def test_get_option_returns_the_owners_option(core):
    owner = await make_user(core, "owner")
    batch = await generate(core, owner)
    option = batch.options[0]

    async with core.db.session() as session:
        found = await core.captions.get_option(session, option.id, owner.id)
        via_module = await get_option(session, option.id, owner.id)

    assert found == option
    assert via_module == option


async def test_get_option_refuses_someone_elses_option(core):
    owner = await make_user(core, "owner")
    stranger = await make_user(core, "stranger")
    option = (await generate(core, owner)).options[0]

    async with core.db.session() as session:
        assert await core.captions.get_option(session, option.id, stranger.id) is None
        assert await get_option(session, option.id, stranger.id) is None
        assert await core.captions.use_option(session, stranger, option.id) is None


async def test_get_option_for_an_unknown_id_is_none(core):
    owner = await make_user(core, "owner")

    async with core.db.session() as session:
        assert await core.captions.get_option(session, 999_999, owner.id) is None


# -- promotion -------------------------------------------------------------------------------
async def test_explicit_promo_without_a_link_uses_the_creators_saved_link(core):
    user = await make_user(core, "promo")
    link = "https://linktr.ee/promo"
    async with core.db.session() as session:
        await core.captions.update_voice(session, user, promo_link=link)

    batch = await generate(core, user, BRIEF.with_changes(promo=PromoMode.EXPLICIT))

    assert all(link in (o.body or "") for o in batch.options)
    async with core.db.session() as session:
        record = await session.get(CaptionBatchRecord, batch.batch_id)
    assert record is not None
    assert record.brief["link"] == link


async def test_a_phrase_the_writer_always_uses_is_cut_out_not_left_empty(core):
    user = await make_user(core, "always")
    async with core.db.session() as session:
        await core.captions.set_voice(session, user, Voice(avoid_phrases=("this red",)))

    batch = await generate(core, user)

    assert len(batch.options) == 3
    assert all("this red" not in o.title.lower() for o in batch.options)
