"""The error catalogue and the command references are complete: every error code raised
anywhere in the code base has warm words, and every command any user-facing text names
is one the bot answers. Both are found by reading the source, so a new code or a
renamed command cannot slip past."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bot.conversation.context import FlowContext
from bot.conversation.dispatcher import CANCEL, Dispatcher
from bot.conversation.events import Command
from bot.conversation.flow import Flow
from bot.discord.commands import command_names
from bot.flows import build_flows
from core.imageshield.errors import RejectCode
from core.reddit.errors import API_ERRORS
from core.texts import errors
from tests.fakes.chat import ChatDriver

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [p for d in ("core", "bot", "web") for p in (ROOT / d).rglob("*.py")]
RAISED = re.compile(
    r"\b(UserFacingError|WhenError|super\(\)\.__init__)\(\s*[\"']([a-z][a-z0-9_]+)[\"']")
QUOTA = re.compile(r"\b(?:QuotaExceeded|LimitReached)\(\s*[\"']([a-z_]+)[\"']")
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
        codes |= {f"{m.group(1)}_{'quota' if 'Quota' in m.group(0) else 'limit'}"
                  for m in QUOTA.finditer(text)}
    codes |= {f"image_{code}" for code in RejectCode.__args__}
    codes |= set(API_ERRORS.values()) | {"reddit_rejected"}  # Reddit's error table
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
    """The chat and CLI texts (site.py, the web pages' words, is checked on its own:
    there "/history" is an address, not a command)."""
    return sorted(p for p in (ROOT / "core" / "texts").glob("*.py") if p.name != "site.py")


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


def test_no_code_is_raised_from_a_variable_the_scan_cannot_read():
    """Codes must be literals (or come from a table this file reads): a code built at
    run time would slip past the completeness check above."""
    dynamic = re.compile(r"\b(UserFacingError|WhenError)\(\s*(?![\"'])")
    allowed = {ROOT / "core" / "reddit" / "errors.py"}  # API_ERRORS, read above
    found = [f"{path.relative_to(ROOT)}:{n}" for path in SOURCES if path not in allowed
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if dynamic.search(line) and "class " not in line and "except" not in line
             and "isinstance" not in line and "return f\"UserFacingError" not in line]
    assert found == []


# -- commands named to users, on the transports that name them ------------------------

PATH_ONLY = re.compile(r"^/[\w/{}.-]*$")  # a web address ("/history"), not a command
MARKUP = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]*>|\{\{.*?\}\}|\{%.*?%\}"
                    r"|\{#.*?#\}", re.S)


def _strings(path: Path) -> list[str]:
    """What a Python text module can show: its string constants, without docstrings
    and without bare web paths."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef
                          | ast.AsyncFunctionDef)
            and node.body and isinstance(node.body[0], ast.Expr)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docs and not PATH_ONLY.match(node.value.strip())]


def _visible(path: Path) -> list[str]:
    """What a template shows: its text without tags, scripts and template syntax."""
    return [MARKUP.sub(" ", path.read_text(encoding="utf-8"))]


def commands_in(texts: list[str]) -> set[str]:
    return {m.group(1) for text in texts for m in COMMAND.finditer(text)}


def chat_commands() -> set[str]:
    """Commands every chat transport answers: each flow's (Telegram publishes them,
    Discord registers them as slash commands, the terminal reads them) and /cancel."""
    return {c for flow in build_flows() for c in flow.commands} | {CANCEL}


def test_discord_registers_every_chat_command(dispatcher: Dispatcher):
    assert chat_commands() <= set(command_names(dispatcher))


def test_chat_texts_name_commands_of_the_transports_that_show_them():
    """Shared texts may name only commands every transport has; the Discord texts may
    add Discord's own, the terminal's texts the terminal's own."""
    own = {"discord.py": DISCORD_ONLY, "cli.py": CONSOLE_ONLY}
    wrong = {path.name: sorted(names - chat_commands() - own.get(path.name, set()))
             for path in text_modules()
             if (names := commands_in(_strings(path)))}
    assert {name: cmds for name, cmds in wrong.items() if cmds} == {}


def test_web_pages_name_only_commands_the_chat_answers():
    """The web companion sends people to the bot ("Send /web to the bot"): on Telegram
    or Discord, so a command it names must be one every chat transport has."""
    sources = [(ROOT / "core" / "texts" / "site.py", _strings(ROOT / "core" / "texts" / "site.py"))]
    sources += [(p, _visible(p)) for p in sorted((ROOT / "web" / "templates").glob("*.html"))]
    named = {p.name: commands_in(texts) for p, texts in sources}
    assert {"web", "start"} <= set().union(*named.values())
    wrong = {name: sorted(cmds - chat_commands()) for name, cmds in named.items()}
    assert {name: cmds for name, cmds in wrong.items() if cmds} == {}


# -- no stack trace or internal name reaches a user ---------------------------------

SECRET = "KeyError in core/secret_module.py line 42: token=abc123"


class Exploding(Flow):
    """A flow with a bug: its command raises an exception nobody expected."""

    name = "exploding"
    commands = ("explode",)

    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        await ctx.reply("Working on it…")
        raise RuntimeError(SECRET)


@pytest.fixture
def buggy_chat(dispatcher: Dispatcher) -> ChatDriver:
    return ChatDriver(Dispatcher(dispatcher.core, [*build_flows(), Exploding()],
                                 dispatcher.codec))


async def test_an_unexpected_exception_shows_only_the_generic_apology(buggy_chat, caplog):
    reply = await buggy_chat.send("/explode")
    assert reply.text == errors.GENERIC
    shown = "\n".join(buggy_chat.texts)
    for leak in ("Traceback", "RuntimeError", "secret_module", "abc123", "Exploding"):
        assert leak not in shown
    assert SECRET in caplog.text  # the operators' log keeps what the user doesn't see


async def test_the_chat_keeps_working_after_an_unexpected_exception(buggy_chat):
    await buggy_chat.send("/explode")
    assert "/support" in (await buggy_chat.send("/help")).text
