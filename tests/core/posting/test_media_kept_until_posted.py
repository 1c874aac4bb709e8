"""Photos of a scheduled post live in core's store, by hash, only as long as needed."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from core.errors import UserFacingError
from core.posting.media import MediaStore
from core.posting.models import State
from core.posting.service import TargetSpec
from core.reddit.types import MediaItem, PostRequest
from tests.core.posting.conftest import targets_of
from tests.fakes.photos import animated_gif, camera_photo, has_camera_metadata
from tests.fakes.reddit import make_jpeg


def _photo_job(posting, user, account, photo: bytes, *subs: str, in_=timedelta(hours=1)):
    request = PostRequest(subs[0], "image", "Golden hour", images=(MediaItem(photo, "a.jpg"),))
    return posting.create_job(user_id=user.id, account_id=account.id, request=request,
                              targets=[TargetSpec(s, f"Golden hour {s}") for s in subs],
                              due_at=posting.clock.now() + in_)


async def test_a_scheduled_photo_is_stored_by_content_hash_under_the_data_dir(
    posting, user, account, subs, settings
):
    photo = make_jpeg()
    await _photo_job(posting, user, account, photo, "pics")
    sha = hashlib.sha256(photo).hexdigest()
    store = MediaStore.from_settings(settings)
    assert store.root == settings.app.data_dir / "media"
    assert await store.get(sha) == photo


async def test_the_store_path_is_configurable(make_settings, database_url, tmp_path):
    settings = make_settings(database_url, posting={"media_dir": str(tmp_path / "elsewhere")})
    assert MediaStore.from_settings(settings).root == tmp_path / "elsewhere"


async def test_photos_are_protected_before_they_are_stored_when_the_creator_shields(
    core, posting, user, account, subs, fake_reddit, clock
):
    async with core.db.session() as session:
        await core.reddit.accounts.set_protect_level(session, user.id, "light")
    original = camera_photo()
    job = await _photo_job(posting, user, account, original, "pics")
    assert not posting.media.exists(hashlib.sha256(original).hexdigest())
    [stored] = posting.media.all_hashes()
    assert not has_camera_metadata(await posting.media.get(stored))
    clock.advance(timedelta(hours=1))
    await posting.run_due()
    [uploaded] = fake_reddit.uploads.values()
    assert hashlib.sha256(uploaded).hexdigest() == stored  # posted as stored, not again
    assert (await targets_of(core, job.id))[0].state == State.POSTED


async def test_a_photo_the_shield_refuses_is_not_queued(core, posting, user, account, subs):
    async with core.db.session() as session:
        await core.reddit.accounts.set_protect_level(session, user.id, "light")
    with pytest.raises(UserFacingError) as refused:
        await _photo_job(posting, user, account, animated_gif(), "pics")
    assert refused.value.code == "reddit_shield_failed"
    assert await posting.list_jobs(user.id) == []


async def test_photos_are_deleted_once_every_target_is_posted(
    posting, user, account, subs, clock
):
    photo = make_jpeg()
    job = await _photo_job(posting, user, account, photo, "pics", "cats")
    sha = hashlib.sha256(photo).hexdigest()
    clock.advance(timedelta(hours=1))
    await posting.run_due()  # one target per account at a time: the first one
    assert posting.media.exists(sha)  # the second still needs it
    await posting.run_due()
    view = await posting.get_job(user.id, job.id)
    assert [t.state for t in view.targets] == [State.POSTED, State.POSTED]
    assert not posting.media.exists(sha)


async def test_photos_are_deleted_when_the_job_is_cancelled(posting, user, account, subs):
    photo = make_jpeg()
    job = await _photo_job(posting, user, account, photo, "pics")
    await posting.cancel(user.id, job.id)
    assert not posting.media.exists(hashlib.sha256(photo).hexdigest())


async def test_photos_of_a_claimed_target_are_deleted_when_it_stops_at_the_cancel(
        posting, user, account, subs):
    photo = make_jpeg()
    job = await _photo_job(posting, user, account, photo, "pics", in_=timedelta(0))
    [claimed] = await posting.claim_due(1)
    await posting.cancel(user.id, job.id)  # running: its photo is still needed here
    assert posting.media.exists(hashlib.sha256(photo).hexdigest())
    assert await posting.engine.run(claimed) == State.CANCELLED
    assert not posting.media.exists(hashlib.sha256(photo).hexdigest())


async def test_a_photo_shared_with_another_live_job_is_kept(posting, user, account, subs):
    photo = make_jpeg()
    first = await _photo_job(posting, user, account, photo, "pics")
    await _photo_job(posting, user, account, photo, "cats")
    await posting.cancel(user.id, first.id)
    assert posting.media.exists(hashlib.sha256(photo).hexdigest())


async def test_a_missing_photo_fails_the_post_with_a_next_step_instead_of_posting_without(
    core, posting, user, account, subs, fake_reddit, clock
):
    photo = make_jpeg()
    job = await _photo_job(posting, user, account, photo, "pics")
    posting.media.delete(hashlib.sha256(photo).hexdigest())
    clock.advance(timedelta(hours=1))
    await posting.run_due()
    [target] = await targets_of(core, job.id)
    assert (target.state, target.error) == (State.FAILED, "posting_media_missing")
    assert fake_reddit.posts == []
