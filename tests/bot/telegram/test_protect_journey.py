"""/protect through the real python-telegram-bot Application against the fake Bot API:
photo in by getUpdates, file fetched by getFile + download, protected JPEG out by
sendDocument."""

from __future__ import annotations

import asyncio
import io

import pytest
from PIL import Image

from tests.fakes.photos import camera_photo, has_camera_metadata
from tests.fakes.telegram import Call, FakeTelegram

LIMIT = 1024 * 1024


@pytest.fixture
def settings(make_settings, database_url):
    return make_settings(database_url, limits={"max_upload_bytes": LIMIT})


async def _said(fake: FakeTelegram, fragment: str, method: str = "sendMessage") -> Call:
    """The first `method` call whose text or caption contains `fragment` (waits up to 10 s)."""
    async with asyncio.timeout(10):
        while True:
            for call in fake.calls_to(method):
                if fragment in (call.params.get("text") or call.params.get("caption") or ""):
                    return call
            await asyncio.sleep(0.02)


async def _tap(fake: FakeTelegram, call: Call, label: str) -> None:
    rows = call.params["reply_markup"]["inline_keyboard"]
    [data] = [b["callback_data"] for row in rows for b in row if b["text"] == label]
    await fake.press(call.result, data)


async def _protect_a_photo(fake: FakeTelegram, photo: bytes) -> None:
    await fake.send_photo(photo)
    await _tap(fake, await _said(fake, "What should I do with it?"), "🛡 Protect it")
    await _tap(fake, await _said(fake, "How strong"), "Standard")


async def test_photo_comes_back_as_a_protected_jpeg_document_without_exif(
    fake_telegram, telegram_bot
):
    original = camera_photo()
    await _protect_a_photo(fake_telegram, original)
    [document] = await fake_telegram.wait_for("sendDocument")
    assert fake_telegram.calls_to("getFile")
    data = document.files["document"]
    assert data != original
    img = Image.open(io.BytesIO(data))
    assert img.format == "JPEG"
    assert img.size[0] > 400
    assert not has_camera_metadata(data)
    assert "Hash match 100% →" in document.params["caption"]


async def test_progress_message_is_edited_in_place_until_done(fake_telegram, telegram_bot):
    await _protect_a_photo(fake_telegram, camera_photo())
    await fake_telegram.wait_for("sendDocument")
    progress = await _said(fake_telegram, "Protecting… reading your photo")
    edits = [
        c.params["text"]
        for c in fake_telegram.calls_to("editMessageText")
        if int(c.params["message_id"]) == progress.result["message_id"]
    ]
    assert edits == ["🛡 Protecting… applying Standard protection", "🛡 Done!"]


async def test_file_over_the_limit_is_refused_without_downloading_it(fake_telegram, telegram_bot):
    await fake_telegram.send_text("/protect")
    await _said(fake_telegram, "Send me the photo")
    await fake_telegram.send_document(bytes(LIMIT + 1), "huge.jpg", "image/jpeg")
    await _said(fake_telegram, "over 1 MB")
    assert fake_telegram.calls_to("getFile") == []
