"""The error catalogue and the command references are complete: every error code raised
anywhere in the code base has warm words, and every command any user-facing text names
is one the bot answers. Both are found by reading the source, so a new code or a
renamed command cannot slip past."""

from __future__ import annotations

import re
from pathlib import Path

from bot.conversation.dispatcher import CANCEL
from bot.flows import build_flows
from bot.texts import errors
from core.imageshield.errors import RejectCode

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [p for d in ("core", "bot", "web") for p in (ROOT / d).rglob("*.py")]
RAISED = re.compile(
    r"\b(UserFacingError|WhenError|super\(\)\.__init__)\(\s*[\"']([a-z][a-z0-9_]+)[\"']")
QUOTA = re.compile(r"\bQuotaExceeded\(\s*[\"']([a-z]+)[\"']")
COMMAND = re.compile(r"(?<![\w/.:}{])/([a-z][a-z_-]*[a-z_])\b")
CONSOLE_ONLY = {"file"}  # `thottopilot chat`'s way to send a file from disk
# Discord-only slash commands (bot/discord/commands.py, news.py): server settings and a
# photo option, since a bot can't read server channel messages.
DISCORD_ONLY = {"upload", "announce-here", "announce-my-posts"}


def raised_codes() -> set[str]:
    codes: set[str] = set()
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        codes |= {m.group(2) for m in RAISED.finditer(text) if m.group(1) != "super().__init__"
                  or "UserFacingError" in text}
        codes |= {f"{m.group(1)}_quota" for m in QUOTA.finditer(text)}
    codes |= {f"image_{code}" for code in RejectCode.__args__}
    return codes


def test_the_scan_finds_the_codes_it_should():
    codes = raised_codes()
    assert {"reddit_state_expired", "caption_bad_image", "when_past",
            "image_too_large"} <= codes


def test_every_error_code_raised_has_a_message():
    missing = sorted(code for code in raised_codes() if code not in errors.MESSAGES)
    assert missing == []


def test_every_message_renders_without_internal_names_or_placeholders():
    for code in errors.MESSAGES:
        text = errors.render(code, {})
        assert code not in text
        assert "Traceback" not in text


def test_an_unknown_code_gets_the_generic_apology():
    assert errors.render("no_such_code", {}) == errors.GENERIC


def test_a_message_names_its_next_step():
    assert "/protect" in errors.render("image_animated", {})
    assert "/connect" in errors.render("reddit_state_expired", {})


def text_modules() -> list[Path]:
    return sorted((ROOT / "bot" / "texts").glob("*.py"))


def named_commands() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in text_modules():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.lstrip().startswith("#"):
                continue
            for match in COMMAND.finditer(line):
                found.setdefault(match.group(1), set()).add(path.name)
    return found


def test_every_command_named_in_a_message_exists():
    registered = {c for flow in build_flows() for c in flow.commands}
    registered |= {CANCEL, *CONSOLE_ONLY, *DISCORD_ONLY}
    named = named_commands()
    assert {"settings", "setup", "start", "connect"} <= set(named)
    assert {name: files for name, files in named.items() if name not in registered} == {}
