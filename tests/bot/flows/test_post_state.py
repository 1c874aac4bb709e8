"""/post's typed draft: it round-trips, old drafts load, unreadable ones start over kindly."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.conversation.events import FileRef
from bot.flows.post_state import VERSION, DraftOutdated, MediaEntry, PostDraft, Target
from core.db.models import ConversationState
from core.reddit.client import Credentials
from core.texts import reddit as reddit_texts
from tests.fakes.reddit import make_jpeg

PHOTO = MediaEntry(FileRef("console", "local-1", "me.jpg", "image/jpeg", 10, True), "ab" * 32)


@pytest.fixture
def settings(make_settings, database_url, fake_reddit):
    return make_settings(database_url, reddit=fake_reddit.settings_section())


def test_a_draft_survives_its_trip_through_json():
    draft = PostDraft(kind="image", files=(PHOTO,), title="Sunday", subs=("pics",),
                      suggested=(4, 5), account_id=7,
                      targets=(Target("pics", "Sunday [F]", nsfw=True, flair_id="f1",
                                      job_id=7, target_id=9, files=(PHOTO,)),))
    stored = draft.to_dict()
    assert stored["v"] == VERSION
    assert PostDraft.from_dict(stored) == draft


def test_a_draft_stored_before_versioning_still_loads():
    legacy = {"files": [{"file": {"transport": "console", "file_id": "local-1"},
                         "sha": "ab", "caption": None}],
              "kind": "image", "title": "Sunday", "subs": ["pics"], "suggested": [],
              "account_id": None,
              "targets": [{"sub": "pics", "title": "Sunday", "nsfw": False, "flair_id": None,
                           "body": None, "posted": True, "link": "https://x/1"}]}
    draft = PostDraft.from_dict(legacy)
    assert draft.targets[0].posted
    assert not draft.targets[0].pending
    assert draft.files[0].file.file_id == "local-1"


@pytest.mark.parametrize("stored", [{"v": VERSION + 1}, {"targets": [{"title": "no sub"}]},
                                    {"suggested": ["not a number"]}])
def test_a_draft_this_version_cannot_read_is_outdated(stored):
    with pytest.raises(DraftOutdated):
        PostDraft.from_dict(stored)


async def test_an_unreadable_stored_draft_starts_post_over_with_a_kind_word(
        chat, core, fake_reddit):
    await chat.send("/start")
    await chat.press("SFW")
    async with core.db.session() as session:
        user = await core.users.find(session, "console", "alice")
        creds = Credentials("refresh", refresh_token=fake_reddit.issue_refresh_token("alice"))
        await core.reddit.accounts.save(session, user.id, "alice", creds, auth_kind="token")
    await chat.send("/post")
    async with core.db.session() as session:  # a newer release wrote this draft
        row = (await session.scalars(select(ConversationState))).one()
        row.data = {"v": VERSION + 1, "shape": "unknown"}
    await chat.upload(make_jpeg())
    assert reddit_texts.DRAFT_OUTDATED in chat.texts
    assert chat.last.text == reddit_texts.ASK_MEDIA
    await chat.upload(make_jpeg())  # and the fresh draft works
    assert "title" in chat.last.text.lower()
