"""The getting-started wizard in the terminal chat: four numbered steps, each skippable,
adult features only after a recorded 18+ confirmation, resumable after a restart, and
a real first caption at the end."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import build_dispatcher
from core.bootstrap import open_core
from core.db.models import Event, User
from core.onboarding import TERMS_VERSION, Consent, CreatorProfile
from core.reddit.client import Credentials
from core.texts import common
from tests.fakes.chat import ChatDriver
from tests.fakes.reddit import make_jpeg


async def _user(core) -> User:
    async with core.db.session() as session:
        return (await session.scalars(select(User))).one()


async def _consents(core) -> list[Consent]:
    async with core.db.session() as session:
        return list(await session.scalars(select(Consent).order_by(Consent.id)))


async def test_a_new_creator_gets_a_first_caption_in_at_most_ten_actions(chat, core):
    actions = 0

    async def act(coro):
        nonlocal actions
        actions += 1
        return await coro

    await act(chat.send("/start"))
    await act(chat.press("SFW"))
    await act(chat.press("Skip"))  # no Reddit yet
    await act(chat.press("Skip"))  # default voice
    options = await act(chat.send("red dress, rooftop at sunset"))
    assert "1. " in options.text
    assert "3. " in options.text
    done = await act(chat.press("Use 1"))
    assert "ready to copy" in done.text
    assert "all set" in done.text
    assert actions <= 10
    user = await _user(core)
    assert user.onboarded_at is not None
    assert not user.may_see_nsfw


async def test_every_step_says_where_the_creator_is(chat):
    assert "Step 1 of 4" in (await chat.send("/start")).text
    assert "Step 2 of 4" in (await chat.press("SFW")).text
    assert "Step 3 of 4" in (await chat.press("Skip")).text
    assert "Step 4 of 4" in (await chat.press("Skip")).text


async def test_the_welcome_links_the_terms_and_privacy_pages(chat):
    reply = await chat.send("/start")
    assert "http://127.0.0.1:8080/terms" in reply.text
    assert "http://127.0.0.1:8080/privacy" in reply.text


async def test_choosing_sfw_records_the_terms_accepted_with_version_and_time(chat, core, clock):
    await chat.send("/start")
    await chat.press("SFW")
    [consent] = await _consents(core)
    assert (consent.kind, consent.version, consent.via) == ("terms", TERMS_VERSION, "console")
    assert consent.accepted_at == clock.now()


async def test_nsfw_with_the_18_plus_confirmation_turns_adult_features_on(chat, core, clock):
    await chat.send("/start")
    question = await chat.press("NSFW")
    assert "18" in question.text
    assert TERMS_VERSION in question.text
    assert not (await _user(core)).may_see_nsfw
    reply = await chat.press("Yes, I confirm")
    assert "Adult features are on" in reply.text
    assert "Step 2 of 4" in reply.text
    user = await _user(core)
    assert user.may_see_nsfw
    assert user.adult_confirmed_at == clock.now()
    kinds = [(c.kind, c.version) for c in await _consents(core)]
    assert kinds == [("terms", TERMS_VERSION), ("adult", TERMS_VERSION)]


async def test_nsfw_without_the_confirmation_stays_sfw_and_records_no_adult_consent(chat, core):
    await chat.send("/start")
    await chat.press("NSFW")
    reply = await chat.press("No")
    assert "SFW" in reply.text
    assert "/settings" in reply.text
    assert "Step 2 of 4" in reply.text
    user = await _user(core)
    assert not user.may_see_nsfw
    assert user.adult_confirmed_at is None
    assert [c.kind for c in await _consents(core)] == ["terms"]


async def test_skipping_every_step_finishes_and_records_what_was_skipped(chat, core):
    await chat.send("/start")
    for _ in range(4):
        reply = await chat.press("Skip")
    assert "all set" in reply.text
    assert (await _user(core)).onboarded_at is not None
    async with core.db.session() as session:
        done = (await session.scalars(
            select(Event).where(Event.kind == "onboarding.completed"))).one()
    assert done.data["skipped"] == ["1", "2", "3", "4"]
    assert done.data["actions"] == 5


async def test_a_skip_pressed_twice_or_from_an_earlier_step_skips_nothing_more(chat, core):
    await chat.send("/start")
    step_one_skip = chat.button("Skip").payload or ""
    assert "Step 2 of 4" in (await chat.press_payload(step_one_skip)).text
    assert (await chat.press_payload(step_one_skip)).text == common.BUTTON_EXPIRED  # double tap
    assert "Step 3 of 4" in (await chat.press("Skip")).text  # step 2 was not skipped for them
    assert (await chat.press_payload(step_one_skip)).text == common.BUTTON_EXPIRED  # old message
    assert "Step 3 of 4" in (await chat.send("/start")).text
    async with core.db.session() as session:
        steps = [(e.data["step"], e.data["status"]) for e in await session.scalars(
            select(Event).where(Event.kind == "onboarding.step").order_by(Event.id))]
    assert steps == [(1, "skipped"), (2, "reached"), (2, "skipped"), (3, "reached")]


async def _funnel(core) -> list[tuple[int, str]]:
    async with core.db.session() as session:
        return [(e.data["step"], e.data["status"]) for e in await session.scalars(
            select(Event).where(Event.kind == "onboarding.step").order_by(Event.id))]


async def test_the_funnel_records_every_step_of_a_normal_run(chat, core):
    await chat.send("/start")
    await chat.press("SFW")
    await chat.press("Skip")  # no Reddit here
    await chat.press("Style")
    await chat.press("Story")
    await chat.press("Next")
    await chat.send("red dress, rooftop at sunset")
    assert "all set" in (await chat.press("Use 1")).text
    assert await _funnel(core) == [(1, "completed"), (2, "reached"), (2, "skipped"),
                                   (3, "reached"), (3, "completed"), (4, "reached"),
                                   (4, "completed")]


async def test_the_funnel_counts_the_age_answer_as_step_one_done(chat, core):
    await chat.send("/start")
    await chat.press("NSFW")
    assert await _funnel(core) == []
    await chat.press("Yes, I confirm")
    assert await _funnel(core) == [(1, "completed"), (2, "reached")]


async def test_the_wizard_resumes_at_the_same_step_after_a_restart(settings, clock):
    async with open_core(settings, clock=clock) as core:
        before = ChatDriver(build_dispatcher(core))
        await before.send("/start")
        await before.press("SFW")
        await before.press("Skip")
        await before.press("Niche")
    async with open_core(settings, clock=clock) as core:  # a new process, same database
        after = ChatDriver(build_dispatcher(core))
        assert await after.chat.resume()
        assert "niche" in after.last.text.lower()
        card = await after.send("fitness")
        assert "Niche: fitness" in card.text
        assert "Step 3 of 4" in card.text
        await after.press("Next")
        options = await after.press("Use an example")
        assert "1. " in options.text
        done = await after.press("Use 2")
        assert "all set" in done.text


async def test_a_command_typed_mid_wizard_does_not_lose_the_step(chat, core):
    await chat.send("/start")
    await chat.press("SFW")
    await chat.press("Skip")  # step 2 skipped: now at step 3
    await chat.send("/settings")
    back = await chat.send("/start")
    assert "Step 3 of 4" in back.text
    assert "Step 4 of 4" in (await chat.press("Skip")).text
    assert "all set" in (await chat.press("Skip")).text
    async with core.db.session() as session:
        done = (await session.scalars(
            select(Event).where(Event.kind == "onboarding.completed"))).one()
    assert done.data["skipped"] == ["2", "3", "4"]
    assert "Welcome back, Alice" in (await chat.send("/start")).text  # finished: no resume


async def test_start_before_any_step_was_answered_begins_at_step_one(chat):
    await chat.send("/start")
    await chat.send("/settings")
    assert "Step 1 of 4" in (await chat.send("/start")).text


async def test_voice_step_shows_an_example_for_the_chosen_tone_and_style(chat, core):
    await chat.send("/start")
    await chat.press("SFW")
    await chat.press("Skip")
    await chat.press("Tone")
    example = await chat.press("ℹ️ Mysterious")
    assert "For example" in example.text
    saved = await chat.press("Use Mysterious")
    assert "Mysterious it is" in saved.text
    assert "“" in saved.text
    assert "Tone: Mysterious" in saved.text
    await chat.press("Style")
    saved = await chat.press("Story")
    assert "Style: Story" in saved.text
    user = await _user(core)
    async with core.db.session() as session:
        voice = await core.captions.get_voice(session, user)
        profile = await session.get(CreatorProfile, user.id)
    assert voice.preferred_tone == "mysterious"
    assert profile.preferred_style == "story"


async def test_voice_step_saves_banned_words_promo_link_and_time_zone(chat, core):
    await chat.send("/start")
    await chat.press("SFW")
    await chat.press("Skip")
    await chat.press("Banned words")
    await chat.send("baby, cutie")
    await chat.press("Promo link")
    await chat.send("linktr.ee/alice")
    await chat.press("Time zone")
    bad = await chat.send("Mars/Olympus")
    assert "don't know that time zone" in bad.text
    card = await chat.send("europe/paris")  # typed as scheduling accepts it
    assert "baby, cutie" in card.text
    assert "https://linktr.ee/alice" in card.text
    assert "Europe/Paris" in card.text
    assert "Next ▶" in [b.label for b in card.buttons]
    assert (await _user(core)).timezone == "Europe/Paris"


async def test_a_photo_at_step_four_gets_captions_and_a_protected_copy(chat):
    await chat.send("/start")
    await chat.press("SFW")
    await chat.press("Skip")
    await chat.press("Skip")
    options = await chat.upload(make_jpeg(size=640), caption="beach day")
    assert "1. " in options.text
    protected = await chat.press("Protect this photo too")
    assert protected.reply.attachment is not None
    assert protected.reply.attachment.filename.endswith("-protected.jpg")
    done = await chat.press("Use 1")
    assert "all set" in done.text


async def test_setup_runs_the_wizard_again_for_a_creator_who_finished(chat):
    await chat.send("/start")
    for _ in range(4):
        await chat.press("Skip")
    reply = await chat.send("/setup")
    assert "Step 1 of 4" in reply.text


async def test_a_creator_who_connected_reddit_moves_on_to_their_voice(
        make_settings, database_url, clock, fake_reddit):
    """Only built platforms get a button: Reddit, through the web companion's link."""
    settings = make_settings(database_url, reddit=fake_reddit.settings_section())
    async with open_core(settings, clock=clock) as core:
        await _connect_reddit_during_step_two(ChatDriver(build_dispatcher(core)), core,
                                              fake_reddit)


async def _connect_reddit_during_step_two(chat, core, fake_reddit):
    await chat.send("/start")
    step2 = await chat.press("SFW")
    assert [b.label for b in step2.reply.buttons[0]] == ["🔗 Connect Reddit"]
    assert step2.buttons[0].url.startswith("http://127.0.0.1:8080/")
    not_yet = await chat.press("I've connected it")
    assert "don't see a connected account" in not_yet.text
    async with core.db.session() as session:
        user = await core.users.find(session, "console", "alice")
        creds = Credentials("refresh", refresh_token=fake_reddit.issue_refresh_token("alice"))
        await core.reddit.accounts.save(session, user.id, "alice", creds, auth_kind="token")
    reply = await chat.press("I've connected it")
    assert "u/alice" in reply.text
    assert "Step 3 of 4" in reply.text
    assert await _funnel(core) == [(1, "completed"), (2, "reached"), (2, "completed"),
                                   (3, "reached")]
