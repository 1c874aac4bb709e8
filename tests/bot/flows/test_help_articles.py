"""Every command a help article names is one the bot answers, and every ℹ️ target a
flow opens is an article (help must never send a creator to a command that isn't)."""

from __future__ import annotations

import re

from bot.conversation.dispatcher import CANCEL
from bot.flows import build_flows
from core.help import ARTICLES

COMMAND = re.compile(r"(?<![\w/.:}{])/([a-z][a-z_]+)\b")


def test_every_command_an_article_names_exists():
    registered = {c for flow in build_flows() for c in flow.commands} | {CANCEL}
    named = {m.group(1): a.slug for a in ARTICLES
             for m in COMMAND.finditer(f"{a.body} {a.example or ''}")}
    assert {"start", "caption", "post"} <= set(named)
    assert {name: slug for name, slug in named.items() if name not in registered} == {}
