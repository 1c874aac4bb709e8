"""/protect through the in-process chat driver, the real ImageShield and a real database."""

from __future__ import annotations

import asyncio
import io
import json
import re

import pytest
from PIL import Image
from sqlalchemy import select

from bot.console import ConsoleChannel
from bot.conversation.events import FileRef, Upload
from core.db.models import ConversationState
from core.imageshield import LEVEL_FACTS
from tests.fakes.chat import ChatDriver, another_creator_says_hi
from tests.fakes.photos import (
    animated_gif,
    camera_photo,
    cut_off,
    has_camera_metadata,
    png_header,
)

LIMIT = 1024 * 1024
REPORT = re.compile(r"Hash match 100% → (\d+)%, visual similarity (\d\.\d\d)\.")


@pytest.fixture
def settings(make_settings, database_url):
    return make_settings(database_url, limits={"max_upload_bytes": LIMIT})


async def _photo_sent(chat, data=None, **kwargs):
    await chat.send("/protect")
    return await chat.upload(data if data is not None else camera_photo(), **kwargs)


async def _state(core):
    async with core.db.session() as session:
        return (await session.scalars(select(ConversationState))).one()


async def test_protect_asks_for_the_photo_as_a_file_for_full_quality(chat):
    reply = await chat.send("/protect")
    assert "Send me the photo" in reply.text
    assert "as a file" in reply.text


async def test_photo_gets_three_levels_each_with_an_info_button(chat):
    reply = await _photo_sent(chat)
    assert "How strong" in reply.text
    labels = [b.label for b in reply.buttons]
    assert labels == ["Light", "ℹ️ Light", "Standard", "ℹ️ Standard", "Heavy", "ℹ️ Heavy"]


async def test_info_says_what_heavy_does_beats_and_does_not(chat):
    await _photo_sent(chat)
    reply = await chat.press("ℹ️ Heavy")
    assert "mirrors the photo" in reply.text
    assert LEVEL_FACTS["heavy"]["defeats"] in reply.text
    assert LEVEL_FACTS["heavy"]["does_not"] in reply.text
    assert [b.label for b in reply.buttons] == ["Use Heavy"]


async def test_use_button_under_the_info_protects_at_that_level(chat):
    await _photo_sent(chat)
    await chat.press("ℹ️ Light")
    reply = await chat.press("Use Light")
    assert "protected copy (Light)" in reply.text


async def test_progress_is_one_message_edited_until_done(chat):
    await _photo_sent(chat)
    await chat.press("Standard")
    progress = chat.replies[-2]
    history = [r.text for r in progress.edits] + [progress.text]
    assert history == [
        "🛡 Protecting… reading your photo",
        "🛡 Protecting… applying Standard protection",
        "🛡 Done!",
    ]


async def test_protected_copy_arrives_as_a_document_with_the_measured_report(chat):
    original = camera_photo()
    await _photo_sent(chat, original)
    reply = await chat.press("Standard")
    attachment = reply.reply.attachment
    assert attachment is not None
    assert not attachment.as_photo
    assert (attachment.filename, attachment.mime_type) == ("photo-protected.jpg", "image/jpeg")
    assert attachment.data != original
    assert Image.open(io.BytesIO(attachment.data)).format == "JPEG"
    match = REPORT.search(reply.text)
    assert match, reply.text
    assert 0.9 <= float(match.group(2)) <= 1.0


async def test_protected_copy_has_no_camera_or_location_metadata(chat):
    await _photo_sent(chat)
    reply = await chat.press("Light")
    assert not has_camera_metadata(reply.reply.attachment.data)


async def test_heavy_result_warns_that_the_photo_is_mirrored(chat):
    await _photo_sent(chat)
    reply = await chat.press("Heavy")
    assert "mirrored left-right" in reply.text


async def test_photo_sent_outside_any_flow_offers_protect_it(chat):
    await chat.upload(camera_photo())
    reply = await chat.press("Protect it")
    assert "How strong" in reply.text


async def test_state_holds_only_the_file_reference_and_is_cleared_after(chat, core):
    await _photo_sent(chat)
    row = await _state(core)
    assert (row.flow, row.step, list(row.data)) == ("protect", "level", ["file"])
    assert len(json.dumps(row.data)) < 500  # a reference, not the picture
    await chat.press("Standard")
    row = await _state(core)
    assert (row.flow, row.data) == (None, {})


async def test_protect_another_button_asks_for_the_next_photo(chat):
    await _photo_sent(chat)
    await chat.press("Standard")
    reply = await chat.press("Protect another photo")
    assert "Send me the photo" in reply.text


async def test_level_button_of_a_finished_protection_has_expired(chat):
    await _photo_sent(chat)
    level_button = chat.button("Standard")
    await chat.press("Standard")
    reply = await chat.press_payload(level_button.payload)
    assert "expired" in reply.text


async def test_text_instead_of_a_photo_asks_for_a_photo(chat):
    await chat.send("/protect")
    reply = await chat.send("here you go")
    assert "I need a photo" in reply.text


BAD_FILES = {
    "not_image": (b"just some notes, not a picture", "That doesn't look like a photo"),
    "truncated": (cut_off(camera_photo()), "seems cut off"),
    "bomb": (png_header(9000, 9000), "huge (81 megapixels)"),
    "animated": (animated_gif(), "Animated images can't be protected"),
    "empty": (b"", "empty (zero size)"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
async def test_bad_file_gets_its_friendly_reason_on_the_progress_message(chat, case):
    data, reason = BAD_FILES[case]
    await _photo_sent(chat, data, filename="upload.bin", photo=False)
    reply = await chat.press("Standard")
    assert reason in reply.text
    assert "Send another photo" in reply.text
    assert reply.reply.attachment is None


async def test_after_a_bad_file_the_next_photo_is_protected(chat):
    await _photo_sent(chat, animated_gif(), filename="dance.gif")
    await chat.press("Standard")
    await chat.upload(camera_photo())
    reply = await chat.press("Standard")
    assert reply.reply.attachment is not None


async def test_file_over_the_limit_is_refused_before_choosing_a_level(chat):
    reply = await _photo_sent(chat, b"\xff\xd8" + bytes(LIMIT), photo=False)
    assert "over 1 MB" in reply.text
    assert reply.buttons == []


async def test_file_of_unknown_size_over_the_limit_is_refused_when_downloaded(chat):
    await chat.send("/protect")
    chat.channel.files["big"] = bytes(LIMIT + 1)
    ref = FileRef("console", "big", "big.jpg", "image/jpeg", size=None)
    await chat.chat.dispatcher.handle(Upload(chat.chat.who, "console", file=ref), chat.channel)
    reply = await chat.press("Standard")
    assert "over 1 MB" in reply.text
    assert "Send another photo" in reply.text


class _SlowDownloads(ConsoleChannel):
    """A chat whose file transfers wait until the test lets them through."""

    def __init__(self) -> None:
        super().__init__(out=lambda _line: None)
        self.started = asyncio.Event()
        self.proceed = asyncio.Event()

    async def download(self, file: FileRef, max_bytes: int) -> bytes:
        self.started.set()
        await self.proceed.wait()
        return await super().download(file, max_bytes)


async def test_other_creators_are_not_held_up_while_a_photo_downloads(dispatcher):
    channel = _SlowDownloads()
    alice = ChatDriver(dispatcher, channel=channel)
    await alice.send("/protect")
    await alice.upload(camera_photo())
    protecting = asyncio.create_task(alice.press("Standard"))
    try:
        await asyncio.wait_for(channel.started.wait(), timeout=60)
        await another_creator_says_hi(dispatcher)
        assert not protecting.done()
    finally:
        channel.proceed.set()
    protected = await protecting
    assert protected.reply.attachment is not None
