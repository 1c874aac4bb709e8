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
CONSOLE_ONLY = {"file", "quit"}  # `thottopilot chat`: send a file from disk, leave
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


def site_modules() -> list[Path]:
    """The web pages' words (site.py and its siblings site_*.py)."""
    return sorted((ROOT / "core" / "texts").glob("site*.py"))


def text_modules() -> list[Path]:
    """The chat and CLI texts (the web pages' words are checked on their own: there
    "/history" is an address, not a command)."""
    return sorted(p for p in (ROOT / "core" / "texts").glob("*.py") if p not in site_modules())


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
    sources = [(p, _strings(p)) for p in site_modules()]
    sources += [(p, _visible(p)) for p in sorted((ROOT / "web" / "templates").glob("*.html"))]
    named = {p.name: commands_in(texts) for p, texts in sources}
    assert {"web", "start"} <= set().union(*named.values())
    wrong = {name: sorted(cmds - chat_commands()) for name, cmds in named.items()}
    assert {name: cmds for name, cmds in wrong.items() if cmds} == {}


# -- the web's answers come from the catalogue, not from literals where they are sent ---

def _sentence(node: ast.AST | None) -> bool:
    """A literal a person would read: a string with a space in it, or an f-string."""
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value)


def _name(node: ast.AST) -> str:
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")


def literal_answers(source: str) -> list[int]:
    """Lines that write a sentence straight into an answer: a form's `errors[...] = "..."`
    or `errors={...: "..."}`, an aiohttp response's `text="..."`, a JSON `"message"`.
    Codes ("rate_limited") have no space and are not sentences."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Subscript) and _name(target.value) == "errors":
                    found += [node.lineno] if _sentence(node.value) else []
                elif _name(target) == "errors" and isinstance(node.value, ast.Dict):
                    found += [node.lineno] if any(map(_sentence, node.value.values)) else []
        elif isinstance(node, ast.Call):
            answers = _name(node.func) == "Response" or _name(node.func).startswith("HTTP")
            for kw in node.keywords:
                if (kw.arg == "text" and answers and _sentence(kw.value)) or (
                        kw.arg == "errors" and isinstance(kw.value, ast.Dict)
                        and any(map(_sentence, kw.value.values))):
                    found.append(node.lineno)
        elif isinstance(node, ast.Dict):
            found += [node.lineno for key, value in zip(node.keys, node.values, strict=True)
                      if isinstance(key, ast.Constant) and key.value == "message"
                      and _sentence(value)]
    return sorted(found)


def test_the_literal_scan_finds_what_it_should():
    source = ('result.errors["tone"] = "Pick one of the tones in the list."\n'
              'raise web.HTTPUnauthorized(text="Please sign in first.")\n'
              'web.json_response({"error": "busy", "message": f"Wait {n} s."})\n'
              'Result(errors={"zone": "Use a real zone."})\n'
              'result.errors["tone"] = texts.PICK_TONE\n'  # the catalogue's: fine
              'web.json_response({"error": "rate_limited", "message": text})\n')
    assert literal_answers(source) == [1, 2, 3, 4]


def test_web_and_chat_answers_are_not_literals():
    """A message a form, a page or an API call answers with is named from core.texts."""
    found = [f"{path.relative_to(ROOT)}:{line}" for path in SOURCES
             if (ROOT / "core" / "texts") not in path.parents
             for line in literal_answers(path.read_text(encoding="utf-8"))]
    assert found == []

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
