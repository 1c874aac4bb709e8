"""Telegram inline help: `@bot help <question>` in any chat lists help articles.

An inline query has no chat of ours to talk in and no conversation to continue: it
is a search whose results Telegram shows above the sender's keyboard, and the one
they pick is posted into that chat as their own message. So it is not a conversation
event (bot.conversation.events) handled by a flow: the Telegram adapter answers it
here, straight from core.help's ranked search, the same one /help and the web help
centre use. Nothing is stored and no user is created for someone merely searching.

The bot must have inline mode switched on (BotFather: /setinline); without it
Telegram never sends inline queries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.help import ARTICLES, Article, rank
from core.texts import inline as t

if TYPE_CHECKING:
    from telegram import InlineQuery, InlineQueryResultArticle

MAX_RESULTS = 10
PREFIX = "help"
DESCRIPTION_CHARS = 100
CACHE_SECONDS = 300  # the articles are the same for everyone (not personal)
START_PARAMETER = "help"  # "Ask me in a private chat" opens /start with this


def question(query: str) -> str:
    """The words after "help" ("@bot help title length" -> "title length")."""
    words = query.strip()
    head, _, rest = words.partition(" ")
    return rest.strip() if head.lower() == PREFIX else words


def articles_for(query: str) -> list[Article]:
    """Best matches for the question; the first articles when it is empty."""
    words = question(query)
    if not words:
        return list(ARTICLES[:MAX_RESULTS])
    return [hit.article for hit in rank(words, limit=MAX_RESULTS)]


def _result(article: Article) -> InlineQueryResultArticle:
    from telegram import InlineQueryResultArticle, InputTextMessageContent

    text = t.ARTICLE.format(title=article.title, body=article.body)
    if article.example:
        text += t.EXAMPLE.format(example=article.example)
    return InlineQueryResultArticle(
        id=article.slug, title=article.title,
        description=article.body[:DESCRIPTION_CHARS],
        input_message_content=InputTextMessageContent(text + t.MORE))


async def answer(query: InlineQuery) -> None:
    """Answer an inline query with the matching help articles."""
    from telegram import InlineQueryResultsButton

    found = articles_for(query.query)
    button = InlineQueryResultsButton(t.OPEN_CHAT if found else t.NOTHING_FOUND,
                                      start_parameter=START_PARAMETER)
    await query.answer([_result(a) for a in found], cache_time=CACHE_SECONDS,
                       is_personal=False, button=button)
