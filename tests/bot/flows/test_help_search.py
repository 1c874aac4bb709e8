"""/help QUERY answers from the help articles; /help alone lists commands and topics."""

from __future__ import annotations

from core.help import ARTICLES, CATEGORIES, by_slug
from core.reddit.client import Credentials


async def test_help_with_a_question_shows_the_best_article_first(chat):
    reply = await chat.send("/help title too long")
    assert reply.text.startswith(by_slug("title-limit").title)
    assert "300 characters" in reply.text


async def test_the_next_best_articles_are_offered_as_buttons(chat):
    await chat.send("/help how do i post later")
    reply = await chat.press("How do I change or cancel a scheduled post?")
    assert reply.text.startswith(by_slug("queue").title)


async def test_a_question_with_no_article_says_so_and_offers_the_topics(chat):
    reply = await chat.send("/help zzzz qqqq")
    assert "no article" in reply.text
    assert [b.label for row in [reply.buttons] for b in row][:2] == list(CATEGORIES[:2])


async def test_help_alone_lists_commands_and_every_topic(chat):
    reply = await chat.send("/help")
    assert "/caption" in reply.text
    assert "/help title too long" in reply.text
    assert [b.label for b in reply.buttons] == list(CATEGORIES)


async def test_a_topic_lists_its_articles_on_pages(chat):
    await chat.send("/help")
    await chat.press("Your account")
    titles = {b.label for b in await chat.every_page()} - {"📚 All topics"}
    assert titles == {a.title for a in ARTICLES if a.category == "Your account"}


async def test_an_article_offers_its_related_articles(chat):
    await chat.send("/help")
    await chat.press("Photos")
    reply = await chat.press("What does photo protection do?")
    assert "reverse-image search" in reply.text
    reply = await chat.press("Which protection level should I use?")
    assert "Standard" in reply.text


async def test_reading_help_mid_flow_leaves_the_flow_where_it_was(chat):
    await chat.send("/caption")
    await chat.send("/help captions")
    reply = await chat.send("red dress at sunset")
    assert "red dress at sunset" in reply.text  # the caption flow took the description
    assert "Write captions" in reply.buttons[0].label


async def test_the_post_title_step_explains_reddits_title_limit(chat, core):
    await chat.send("/start")
    async with core.db.session() as session:
        user = await core.users.find(session, "console", "alice")
        await core.reddit.accounts.save(session, user.id, "alice",
                                        Credentials("refresh", refresh_token="t"),
                                        auth_kind="token")
    await chat.send("/post")
    await chat.send("https://example.com/a-link-post")
    assert "title" in chat.last.text
    reply = await chat.press("Title limits")
    assert "300 characters" in reply.text
    reply = await chat.send("My own title")  # /post is still at its title step...
    assert "Where to?" in reply.text  # ...and took the title
