"""The terminal adapter: numbered buttons, file uploads, and resuming after a restart."""

from bot.cli.common import build_dispatcher
from bot.console import ConsoleChannel
from bot.conversation.replies import Attachment, Reply
from bot.texts import common
from core.bootstrap import open_core
from tests.fakes.chat import ChatDriver


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
