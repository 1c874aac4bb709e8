"""Telegram inline help (issue 12.3): "@bot help <question>" typed in any chat is
answered with help articles from core.help's ranked search, through the real
python-telegram-bot against the fake Bot API."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select

from core.db.models import User
from core.help import ARTICLES
from tests.fakes.telegram import FakeTelegram


async def answered(fake: FakeTelegram, query: str) -> dict[str, Any]:
    """The bot's answerInlineQuery to `query` (its parameters, JSON decoded)."""
    query_id = await fake.inline_query(query)
    await fake.wait_for("answerInlineQuery", count=len(fake.calls_to("answerInlineQuery")) + 1)
    [call] = [c for c in fake.calls_to("answerInlineQuery")
              if c.params["inline_query_id"] == query_id]
    return {key: json.loads(value) if key in ("results", "button") and isinstance(value, str)
            else value for key, value in call.params.items()}


async def test_a_question_lists_the_best_article_first(fake_telegram, telegram_bot):
    answer = await answered(fake_telegram, "help how long can a title be")
    first = answer["results"][0]
    assert first["id"] == "title-limit"
    assert first["type"] == "article"
    assert first["title"] == "How long can a Reddit title be?"
    assert first["input_message_content"]["message_text"].startswith(first["title"])


async def test_the_help_word_is_optional(fake_telegram, telegram_bot):
    answer = await answered(fake_telegram, "schedule posts for later")
    assert answer["results"][0]["id"] == "schedule"


async def test_an_empty_question_lists_the_first_articles(fake_telegram, telegram_bot):
    answer = await answered(fake_telegram, "help")
    assert [r["id"] for r in answer["results"]] == [a.slug for a in ARTICLES[:10]]


async def test_no_match_offers_the_private_chat(fake_telegram, telegram_bot):
    answer = await answered(fake_telegram, "help xylophone quartz")
    assert answer["results"] == []
    assert answer["button"]["start_parameter"] == "help"
    assert "private chat" in answer["button"]["text"]


async def test_searching_creates_no_account(core, fake_telegram, telegram_bot):
    await answered(fake_telegram, "help captions")
    async with core.db.read() as session:
        assert await session.scalar(select(func.count(User.id))) == 0
