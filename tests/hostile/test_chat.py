"""Hostile input in the chat: what a person can type, press or send, as one suite.

Each case drives the real dispatcher through the terminal chat (`ChatDriver`), as
`thottopilot chat` does. Whatever the case does, it must get a friendly answer (never
"something went wrong"), print nothing a terminal would obey (escape sequences and
C0/C1 controls are shown, not sent), leave no ERROR traceback in the logs (the
conftest checks), and lose nothing: the conversation still answers `/start` after it.
Cases that store text check the stored row too (NUL and lone surrogates never reach the
database), on PostgreSQL as well when it is configured.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import build_dispatcher
from bot.conversation.dispatcher import Dispatcher
from bot.conversation.events import Text
from core.bootstrap import Core, open_core
from core.db.models import ConversationState
from core.texts import common
from tests.fakes.chat import ChatDriver
from tests.fakes.clock import FakeClock
from tests.fakes.photos import camera_photo, cut_off, png_header

ROOT = Path(__file__).parents[2]
CEILING = 120  # seconds, for the real-process case: a ceiling, not a speed claim
# What a terminal obeys: C0 controls but newline and tab, DEL, C1 controls.
OBEYED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SURROGATE = re.compile(r"[\ud800-\udfff]")
ESCAPES = "\x1b[2J\x1b[H\x1b]0;pwned\x07\x9b31m\x1bP+q\x1b\\\x8d\x90\x07\x08\x7f"
C0_C1 = "".join(chr(c) for c in [*range(1, 9), *range(11, 32), *range(127, 160)])


@dataclass
class Scene:
    """What a case may use: the person's chat, the core behind it, the fake clock."""

    chat: ChatDriver
    core: Core
    dispatcher: Dispatcher
    clock: FakeClock
    tmp: Path

    @property
    def owner(self) -> str:
        return "console:alice"

    async def printed(self, line: str) -> str:
        """Type `line` at the terminal; the last line printed in answer."""
        before = len(self.chat.output)
        await self.chat.chat.say(line)
        assert len(self.chat.output) > before, f"nothing printed for {line[:60]!r}"
        return self.chat.output[-1]

    async def typed(self, line: str) -> str:
        """Type `line`; the text of the bot's reply (a reply is required)."""
        return (await self.chat.send(line)).text

    async def pressed(self, payload: str) -> str:
        before = len(self.chat.replies)
        reply = await self.chat.press_payload(payload)
        assert len(self.chat.replies) > before, f"no reply to payload {payload[:60]!r}"
        return reply.text

    async def payload_of(self, label: str) -> str:
        return self.chat.button(label).payload or ""

    async def stored(self) -> dict[str, Any]:
        """The conversation row's data, as stored."""
        async with self.core.db.read() as session:
            return dict((await session.scalars(select(ConversationState))).one().data)


Act = Callable[[Scene], Awaitable[str]]


@dataclass(frozen=True)
class Case:
    id: str
    act: Act
    says: str | None  # (part of) the friendly answer; None: any answer but an apology


CASES: list[Case] = []


def case(id: str, says: str | None = None) -> Callable[[Act], Act]:
    def register(act: Act) -> Act:
        CASES.append(Case(id, act, says))
        return act
    return register


async def _started(s: Scene) -> None:
    await s.typed("/start")


# -- numbers and look-alike digits: text, never a button number ------------------------
@case("superscript-two-after-start", common.NOT_UNDERSTOOD)
async def _(s: Scene) -> str:
    await _started(s)
    return await s.typed("²")


@case("superscript-two-first-thing", common.NOT_UNDERSTOOD)
async def _(s: Scene) -> str:
    return await s.typed("²")


@case("arabic-indic-digit", common.NOT_UNDERSTOOD)
async def _(s: Scene) -> str:
    await _started(s)
    return await s.typed("١")


@case("fullwidth-digit", common.NOT_UNDERSTOOD)
async def _(s: Scene) -> str:
    await _started(s)
    return await s.typed("１")


@case("five-thousand-digits", common.NOT_UNDERSTOOD)
async def _(s: Scene) -> str:
    await _started(s)
    return await s.typed("9" * 5000)


@case("negative-five-thousand-digits", common.NOT_UNDERSTOOD)
async def _(s: Scene) -> str:
    await _started(s)
    return await s.typed("-" + "9" * 5000)


@case("button-number-zero", common.NOT_UNDERSTOOD)
async def _(s: Scene) -> str:
    await _started(s)
    return await s.typed("0")


@case("button-number-out-of-range", common.NOT_UNDERSTOOD)
async def _(s: Scene) -> str:
    await _started(s)
    return await s.typed("999")


@case("five-thousand-digits-as-a-caption-description")
async def _(s: Scene) -> str:
    await s.typed("/caption")
    return await s.typed("7" * 5000)


# -- escape sequences and control characters: shown, never obeyed ----------------------
@case("ansi-escapes-as-text", common.NOT_UNDERSTOOD)
async def _(s: Scene) -> str:
    return await s.typed(f"hello {ESCAPES} there")


@case("every-c0-and-c1-control-as-text", common.NOT_UNDERSTOOD)
async def _(s: Scene) -> str:
    return await s.typed(f"x{C0_C1}y")


@case("escapes-echoed-in-a-caption-description")
async def _(s: Scene) -> str:
    reply = await s.typed(f"/caption red dress {ESCAPES} rooftop")
    assert "\x1b[2J" in (await s.stored())["brief"]["description"]  # kept as typed
    assert "\\x1b[2J" in "\n".join(s.chat.output)  # and shown, not obeyed
    return reply


@case("escapes-in-an-unknown-command", common.UNKNOWN_COMMAND)
async def _(s: Scene) -> str:
    return await s.typed(f"/x{ESCAPES}")


@case("escapes-in-a-file-path", "can't find a file")
async def _(s: Scene) -> str:
    return await s.printed(f"/file {s.tmp}/\x1b]0;pwned\x07.jpg")


# -- NUL and lone surrogates: stripped or replaced before anything is stored -----------
@case("nul-in-a-caption-description-is-not-stored")
async def _(s: Scene) -> str:
    reply = await s.typed("/caption red\x00 dress\x00 on a\x00 rooftop")
    assert (await s.stored())["brief"]["description"] == "red dress on a rooftop"
    return reply


@case("only-nul-characters", common.NOT_UNDERSTOOD)
async def _(s: Scene) -> str:
    return await s.typed("\x00\x00\x00")


@case("nul-inside-a-command-name")
async def _(s: Scene) -> str:
    return await s.typed("/hel\x00p")


@case("lone-surrogates-in-a-caption-description")
async def _(s: Scene) -> str:
    reply = await s.typed("/caption red \ud800dress \udfff rooftop")
    description = (await s.stored())["brief"]["description"]
    assert not SURROGATE.search(description)
    description.encode("utf-8")
    return reply


@case("lone-surrogate-as-text", common.NOT_UNDERSTOOD)
async def _(s: Scene) -> str:
    return await s.typed("\udc80\udcff")


# -- sizes: 100 KB of text, nothing at all ---------------------------------------------
@case("hundred-kilobytes-of-text", common.NOT_UNDERSTOOD)
async def _(s: Scene) -> str:
    return await s.typed("lorem ipsum " * 8534)


@case("hundred-kilobyte-caption-description")
async def _(s: Scene) -> str:
    reply = await s.typed("/caption " + "red dress " * 10_240)
    assert len((await s.stored())["brief"]["description"]) <= 1000
    return reply


@case("empty-and-blank-lines-then-text", common.NOT_UNDERSTOOD)
async def _(s: Scene) -> str:
    for blank in ("", "   ", "\t", "\n"):
        await s.chat.chat.say(blank)  # the terminal ignores them; nothing is sent
    assert s.chat.replies == []
    return await s.typed("hi")


@case("empty-text-event", common.NOT_UNDERSTOOD)
async def _(s: Scene) -> str:
    await s.dispatcher.handle(Text(s.chat.chat.who, "console", text=""), s.chat.channel)
    return s.chat.last.text


# -- commands that don't exist ----------------------------------------------------------
@case("unknown-command", common.UNKNOWN_COMMAND)
async def _(s: Scene) -> str:
    return await s.typed("/frobnicate now please")


@case("a-lone-slash", common.UNKNOWN_COMMAND)
async def _(s: Scene) -> str:
    return await s.typed("/")


@case("ten-thousand-character-command", common.UNKNOWN_COMMAND)
async def _(s: Scene) -> str:
    return await s.typed("/" + "x" * 10_000)


@case("command-addressed-to-another-bot", common.UNKNOWN_COMMAND)
async def _(s: Scene) -> str:
    return await s.typed("/start@other_bot")


@case("unknown-command-in-the-middle-of-a-flow")
async def _(s: Scene) -> str:
    await s.typed("/caption")
    return await s.typed("/nope")


# -- button payloads: forged, altered, expired, someone else's, huge -------------------
@case("forged-payload", common.BUTTON_EXPIRED)
async def _(s: Scene) -> str:
    await _started(s)
    return await s.pressed("start|content|nsfw~zzz~forgedforged")


@case("altered-action", common.BUTTON_EXPIRED)
async def _(s: Scene) -> str:
    await _started(s)
    real = await s.payload_of("SFW")
    flow, action, rest = real.split("|", 2)
    return await s.pressed(f"{flow}|{action[:-1]}{'x' if action[-1] != 'x' else 'y'}|{rest}")


@case("altered-signature", common.BUTTON_EXPIRED)
async def _(s: Scene) -> str:
    await _started(s)
    real = await s.payload_of("SFW")
    return await s.pressed(real[:-1] + ("A" if real[-1] != "A" else "B"))


@case("altered-issue-time", common.BUTTON_EXPIRED)
async def _(s: Scene) -> str:
    await _started(s)
    body, issued, sig = (await s.payload_of("SFW")).rsplit("~", 2)
    return await s.pressed(f"{body}~{issued}0~{sig}")


@case("expired-payload", common.BUTTON_EXPIRED)
async def _(s: Scene) -> str:
    await _started(s)
    real = await s.payload_of("SFW")
    s.clock.advance(timedelta(days=8))
    return await s.pressed(real)


@case("someone-elses-payload", common.BUTTON_EXPIRED)
async def _(s: Scene) -> str:
    bob = ChatDriver(s.dispatcher, external_id="bob", name="Bob")
    await bob.send("/start")
    await _started(s)
    return await s.pressed(bob.button("NSFW").payload or "")


@case("ten-kilobyte-payload", common.BUTTON_EXPIRED)
async def _(s: Scene) -> str:
    await _started(s)
    return await s.pressed("start|content|" + "a" * 10_240 + "~1~x")


@case("empty-payload", common.BUTTON_EXPIRED)
async def _(s: Scene) -> str:
    return await s.pressed("")


@case("only-separators-payload", common.BUTTON_EXPIRED)
async def _(s: Scene) -> str:
    return await s.pressed("|||~~~")


@case("nul-and-surrogate-payload", common.BUTTON_EXPIRED)
async def _(s: Scene) -> str:
    return await s.pressed("start|\x00|\ud800~zz~\udfff")


@case("signed-payload-for-a-flow-that-does-not-exist", common.BUTTON_EXPIRED)
async def _(s: Scene) -> str:
    return await s.pressed(s.dispatcher.codec.encode(s.owner, "nosuchflow", "go"))


@case("signed-payload-with-an-unknown-action")
async def _(s: Scene) -> str:
    await _started(s)
    return await s.pressed(s.dispatcher.codec.encode(s.owner, "protect", "explode", "x"))


@case("signed-payload-of-a-step-already-passed")
async def _(s: Scene) -> str:
    await _started(s)
    sfw = await s.payload_of("SFW")
    await s.pressed(sfw)
    return await s.pressed(sfw)  # the same button again, one step later


# -- /file: missing, a folder, not a photo, too big, a bomb, cut off -------------------
@case("file-missing-path", "can't find a file")
async def _(s: Scene) -> str:
    return await s.printed(f"/file {s.tmp / 'missing.jpg'}")


@case("file-a-directory", "can't find a file")
async def _(s: Scene) -> str:
    return await s.printed(f"/file {s.tmp}")


@case("file-a-fifo", "can't find a file")
async def _(s: Scene) -> str:
    fifo = s.tmp / "pipe.jpg"
    os.mkfifo(fifo)  # reading it would hang the chat forever
    return await s.printed(f"/file {fifo}")


@case("file-nul-in-the-path")
async def _(s: Scene) -> str:
    return await s.printed(f"/file {s.tmp}/a\x00b.jpg")


@case("file-not-an-image", common.FILE_NOT_IMAGE)
async def _(s: Scene) -> str:
    notes = s.tmp / "notes.jpg"
    notes.write_text("dear diary")
    return await s.printed(f"/file {notes}")


@case("file-empty", common.FILE_NOT_IMAGE)
async def _(s: Scene) -> str:
    empty = s.tmp / "empty.jpg"
    empty.write_bytes(b"")
    return await s.printed(f"/file {empty}")


@case("file-oversized", "too big")
async def _(s: Scene) -> str:
    huge = s.tmp / "huge.jpg"
    with huge.open("wb") as f:  # sparse: nothing is spent, and nothing may be read
        f.truncate(s.core.settings.limits.max_upload_bytes + 1)
    return await s.printed(f"/file {huge}")


@case("file-decompression-bomb-then-protect", "huge")
async def _(s: Scene) -> str:
    bomb = s.tmp / "bomb.png"
    bomb.write_bytes(png_header(100_000, 100_000))
    assert await s.typed(f"/file {bomb}") == common.UPLOAD_WHAT_NEXT
    await s.chat.press("Protect it")
    await s.chat.press("Standard")
    return s.chat.last.text


@case("file-cut-off-jpeg-then-protect", "cut off")
async def _(s: Scene) -> str:
    photo = s.tmp / "half.jpg"
    photo.write_bytes(cut_off(camera_photo()))
    await s.typed(f"/file {photo}")
    await s.chat.press("Protect it")
    await s.chat.press("Standard")
    return s.chat.last.text


@case("upload-of-a-text-file-to-captions")
async def _(s: Scene) -> str:
    await s.typed("/caption")
    return (await s.chat.upload(b"dear diary", "notes.txt", "text/plain", photo=False)).text


@case("upload-announced-bigger-than-the-limit-to-protect", "over")
async def _(s: Scene) -> str:
    await s.typed("/protect")
    limit = s.core.settings.limits.max_upload_bytes
    await s.chat.chat.upload(b"\xff\xd8\xff" + b"\0" * (limit + 1), "big.jpg", "image/jpeg",
                             photo=True)
    return s.chat.last.text


async def _scene_for(core: Core, clock: FakeClock, tmp: Path) -> Scene:
    dispatcher = build_dispatcher(core)
    return Scene(ChatDriver(dispatcher), core, dispatcher, clock, tmp)


async def _judge(case: Case, scene: Scene) -> None:
    answer = await case.act(scene)
    assert answer, "no friendly answer"
    if case.says is not None:
        assert case.says in answer, answer
    texts = scene.chat.texts
    assert common.SOMETHING_WENT_WRONG not in texts, texts[-3:]
    printed = "\n".join(scene.chat.output)
    assert "Traceback" not in printed
    assert not OBEYED.search(printed), [m.group() for m in OBEYED.finditer(printed)][:5]
    assert not SURROGATE.search(printed)  # a UTF-8 terminal can't print these
    # Nothing lost: the same conversation still answers.
    again = await scene.chat.send("/start")
    assert again.text not in (common.SOMETHING_WENT_WRONG, common.BUSY)
    assert again.buttons


@pytest.fixture
def settings(make_settings, sqlite_url):
    return make_settings(sqlite_url)  # SQLite; the storage cases below also run on PostgreSQL


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_hostile_chat_input_gets_a_friendly_answer(case, core, clock, tmp_path,
                                                         log_watch):
    await _judge(case, await _scene_for(core, clock, tmp_path))
    log_watch.assert_clean()


STORED = [c for c in CASES if c.id in {
    "nul-in-a-caption-description-is-not-stored", "lone-surrogates-in-a-caption-description",
    "hundred-kilobyte-caption-description", "escapes-echoed-in-a-caption-description"}]


@pytest.mark.parametrize("case", STORED, ids=[c.id for c in STORED])
async def test_hostile_text_is_stored_safely_on_every_backend(case, make_settings,
                                                              database_url, clock, tmp_path,
                                                              log_watch):
    """PostgreSQL refuses NUL in text outright: the case that matters most there."""
    async with open_core(make_settings(database_url), clock=clock) as core:
        await _judge(case, await _scene_for(core, clock, tmp_path))
    log_watch.assert_clean()


async def test_a_command_for_another_bot_in_a_group_gets_no_answer(fake_telegram,
                                                                   telegram_bot):
    """Telegram groups: `/start@other_bot` is someone else's; our /help still answers."""
    await fake_telegram.send_text("/start@other_bot", group_id=-100)
    await fake_telegram.send_text("/start@other_bot\x00", group_id=-100)
    await fake_telegram.send_text("/help@Thotto_Bot", group_id=-100)
    calls = await fake_telegram.wait_for("sendMessage")
    assert len(calls) == 1
    assert "/cancel" in calls[0].params["text"]


def test_the_real_terminal_survives_hostile_bytes(tmp_path):
    """`thottopilot chat` as a process: raw bytes a terminal can send, invalid UTF-8
    included; it answers each, prints nothing a terminal obeys, and exits cleanly."""
    lines = [b"/start", b"\xff\xfe\xc0 not utf-8", "²".encode(), b"9" * 5000,
             ESCAPES.encode(), b"a\x00b", b"/caption red\x00 dress \x1b[31m", b"/nope",
             b"/start", b"/quit"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("THOTTOPILOT_")}
    env.update(LC_ALL="C.UTF-8", THOTTOPILOT_APP__DATA_DIR=str(tmp_path))
    proc = subprocess.run([sys.executable, "-m", "bot.cli", "chat"], cwd=ROOT, env=env,
                          input=b"\n".join(lines) + b"\n", capture_output=True,
                          timeout=CEILING, check=False)
    out, err = proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 0, err[-2000:]
    assert "Traceback" not in err
    assert " ERROR " not in err
    assert not OBEYED.search(out), [m.group() for m in OBEYED.finditer(out)][:5]
    assert common.SOMETHING_WENT_WRONG not in out
    assert out.count("Hi there!") == 3  # on opening, the first /start and the last one
    assert out.count(common.NOT_UNDERSTOOD) >= 3
