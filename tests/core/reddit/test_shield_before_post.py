"""Posting with "shield my photos" on: the core's ImageShield runs before the upload."""

from __future__ import annotations

from core.reddit.types import MediaItem, PostRequest
from tests.fakes.photos import animated_gif, camera_photo, has_camera_metadata


async def _post_with_shield_on(core, user, account, image: bytes):
    async with core.db.session() as session:
        await core.reddit.accounts.set_protect_level(session, user.id, "standard")
    request = PostRequest("pics", "image", "Golden hour", images=(MediaItem(image, "a.jpg"),))
    async with core.db.session() as session:
        account = await session.merge(account)
        return await core.reddit.post(session, user, account, request, confirm_warnings=True)


async def test_reddit_receives_the_protected_copy_not_the_original(
    core, user, account, fake_reddit
):
    fake_reddit.add_sub("pics")
    original = camera_photo()
    outcome = await _post_with_shield_on(core, user, account, original)
    assert outcome.posted, outcome
    [uploaded] = fake_reddit.uploads.values()
    assert uploaded != original
    assert not has_camera_metadata(uploaded)


async def test_image_the_shield_refuses_is_not_posted_unprotected(
    core, user, account, fake_reddit
):
    fake_reddit.add_sub("pics")
    outcome = await _post_with_shield_on(core, user, account, animated_gif())
    assert outcome.result is not None
    assert (outcome.result.ok, outcome.result.error) == (False, "reddit_shield_failed")
    assert fake_reddit.uploads == {}
    assert fake_reddit.posts == []
