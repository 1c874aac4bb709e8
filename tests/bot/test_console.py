"""The terminal adapter: numbered buttons, file uploads, resuming after a restart, and
surviving whatever is typed."""

from sqlalchemy import select

from bot.app import build_dispatcher
from bot.console import ConsoleChannel
from bot.conversation.replies import Attachment, Reply
from core.bootstrap import open_core
from core.db.models import ConversationState
from core.texts import common
from tests.fakes.chat import ChatDriver
from tests.fakes.reddit import make_jpeg


async def test_typing_a_number_presses_that_button(chat):
    await chat.send("/start")
    await chat.chat.say("1")  # "SFW"
    assert "SFW it is" in chat.last.text


async def test_buttons_are_printed_numbered(chat):
    await chat.send("/start")
    assert "  1) SFW" in chat.output
    assert "  2) NSFW (18+)" in chat.output


async def test_file_command_with_missing_path_says_so(chat, tmp_path):
    await chat.chat.say(f"/file {tmp_path / 'missing.jpg'}")
    assert any("can't find a file" in line for line in chat.output)


async def test_restart_between_two_steps_resumes_the_flow(settings, clock):
    async with open_core(settings, clock=clock) as core:
        first = ChatDriver(build_dispatcher(core))
        await first.send("/start")
        await first.press("NSFW")
        assert "18" in first.last.text

    # A new process: new Core, new dispatcher, same database and secret key.
    async with open_core(settings, clock=clock) as core:
        second = ChatDriver(build_dispatcher(core))
        assert await second.chat.resume()
        assert "pick up where we left off" in second.texts[0]
        assert "18" in second.last.text
        reply = await second.press("Yes, I confirm")
        assert "Adult features are on" in reply.text


async def test_resume_with_nothing_pending_says_nothing(chat):
    assert not await chat.chat.resume()
    assert chat.replies == []


async def test_a_new_session_with_nothing_pending_shows_the_menu(settings, clock):
    async with open_core(settings, clock=clock) as core:
        first = ChatDriver(build_dispatcher(core))
        await first.send("/start")
        await first.press("SFW")
        for _ in range(3):  # the rest of the getting-started steps
            await first.press("Skip")

    async with open_core(settings, clock=clock) as core:
        second = ChatDriver(build_dispatcher(core))
        await second.chat.open()
        assert "Welcome back" in second.last.text
        assert second.last.buttons
        await second.chat.say("1")  # the first menu entry answers, not "not sure"
        assert second.last.text != common.NOT_UNDERSTOOD


async def test_files_the_bot_sends_are_saved_without_overwriting(tmp_path):
    channel = ConsoleChannel(out=lambda _: None, save_dir=tmp_path / "received")
    for data in (b"first", b"second"):
        await channel.send(Reply("here", attachment=Attachment(data, "photo-protected.jpg")))
    saved = sorted((tmp_path / "received").iterdir())
    assert [p.name for p in saved] == ["photo-protected-2.jpg", "photo-protected.jpg"]
    assert (tmp_path / "received" / "photo-protected.jpg").read_bytes() == b"first"


# -- hostile input: the terminal chat survives anything typed ------------------------------
async def test_a_superscript_two_is_text_not_a_button_number(chat):
    await chat.send("/start")
    reply = await chat.send("²")
    assert reply.text == common.NOT_UNDERSTOOD


async def test_a_five_thousand_digit_number_is_answered_kindly(chat):
    await chat.send("/start")
    reply = await chat.send("9" * 5000)
    assert reply.text == common.NOT_UNDERSTOOD
    await chat.send("/caption")
    reply = await chat.send("7" * 5000)
    assert reply.text != common.SOMETHING_WENT_WRONG
    assert chat.last.buttons


async def test_escape_sequences_are_neutralised_before_they_are_echoed(chat):
    hostile = "red dress \x1b[2J\x1b]0;pwned\x07 \x9b31m rooftop"
    reply = await chat.send(f"/caption {hostile}")
    assert "\x1b[2J" in reply.text  # the flow keeps what was typed...
    printed = "\n".join(chat.output)
    assert not any(ch in printed for ch in "\x1b\x07\x9b")  # ...the terminal never sees it
    assert "\\x1b[2J" in printed


async def test_nul_characters_are_stripped_before_they_are_stored(chat, core):
    await chat.send("/caption red\x00 dress\x00")
    async with core.db.session() as session:
        row = (await session.scalars(select(ConversationState))).one()
    assert row.data["brief"]["description"] == "red dress"


async def test_file_command_sends_a_photo(chat, tmp_path):
    photo = tmp_path / "me.jpg"
    photo.write_bytes(make_jpeg())
    reply = await chat.send(f"/file {photo}")
    assert reply.text == common.UPLOAD_WHAT_NEXT


async def test_file_command_refuses_what_is_not_a_photo(chat, tmp_path):
    notes = tmp_path / "notes.jpg"  # the name says photo, the bytes do not
    notes.write_text("dear diary")
    await chat.chat.say(f"/file {notes}")
    assert chat.output[-1] == common.FILE_NOT_IMAGE
    assert chat.replies == []


async def test_file_command_checks_the_size_before_reading(chat, core, tmp_path):
    huge = tmp_path / "huge.jpg"
    with huge.open("wb") as f:  # sparse: no disk is spent, and nothing gets read
        f.truncate(core.settings.limits.max_upload_bytes + 1)
    await chat.chat.say(f"/file {huge}")
    assert chat.output[-1] == common.file_too_large(core.settings.limits.max_upload_bytes)
    assert chat.replies == []


async def test_file_command_on_a_directory_is_a_missing_file(chat, tmp_path):
    await chat.chat.say(f"/file {tmp_path}")
    assert "can't find a file" in chat.output[-1]
