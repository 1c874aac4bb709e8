"""/help: the commands, the help topics, and a search over the help articles.

`/help` alone lists the commands the installed flows answer, with the topics as
buttons; `/help QUERY` shows the best matching article and offers the next ones. The
articles and their ranking are core's (`core.help`), shared with the web help centre.

Help never takes over the conversation: its buttons carry everything they need, so
reading an article mid-/post leaves the post where it was. Other flows open an article
with `info_button` (a contextual ℹ️).
"""

from __future__ import annotations

from bot.conversation.context import ButtonExpired, FlowContext, page_of
from bot.conversation.events import Command, Press
from bot.conversation.flow import Flow
from bot.conversation.replies import Button, Keyboard, fit_label, grid
from core.help import ARTICLES, CATEGORIES, Article, by_slug, rank
from core.texts import common as t
from core.texts import help as ht

NAME = "help"
ARTICLE, TOPIC, TOPICS = "a", "c", "t"
SHOWN_AFTER_BEST = 3


def info_button(ctx: FlowContext, slug: str, label: str | None = None) -> Button:
    """A ℹ️ button (in any flow's reply) that opens help article `slug`."""
    article = by_slug(slug)
    if article is None:
        raise ValueError(f"no help article {slug!r}")
    text = label or ht.INFO.format(title=article.title)
    return ctx.button(fit_label(text), ARTICLE, slug, flow=NAME)


class HelpFlow(Flow):
    name = NAME
    commands = ("help",)
    help_line = t.HELP_HELP
    args_hint = ht.ARGS_HINT

    def __init__(self, start: Flow, features: list[Flow]) -> None:
        self._flows = [start, self, *features]

    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        if cmd.args.strip():
            await self._search(ctx, cmd.args)
        else:
            await self.prompt(ctx)

    async def prompt(self, ctx: FlowContext) -> None:
        lines = [f.help_line for f in self._flows if f.help_line]
        lines.append(t.HELP_CANCEL)
        text = "\n".join([t.HELP_HEADER, *lines, "", t.HELP_FOOTER, ht.ASK, "", ht.TOPICS])
        await ctx.reply(text, _topic_buttons(ctx))

    async def on_button(self, ctx: FlowContext, press: Press) -> None:
        args = press.args
        if press.action == ARTICLE and args[:1]:
            article = by_slug(args[0])
            if article is None:
                raise ButtonExpired
            await self._show(ctx, article, [by_slug(s) for s in article.related], ht.RELATED)
        elif press.action == TOPIC and args[:1] and args[0].isdigit():
            index = int(args[0])
            if index >= len(CATEGORIES):
                raise ButtonExpired
            await self._topic(ctx, index, page_of(args, 1))
        elif press.action == TOPICS:
            await ctx.reply(ht.TOPICS, _topic_buttons(ctx))
        else:
            raise ButtonExpired

    async def _search(self, ctx: FlowContext, query: str) -> None:
        hits = rank(query, limit=1 + SHOWN_AFTER_BEST)
        if not hits:
            shown = " ".join(query.split())[:60]
            await ctx.reply(ht.NOTHING_FOUND.format(query=shown), _topic_buttons(ctx))
            return
        await self._show(ctx, hits[0].article, [h.article for h in hits[1:]], ht.FOUND_MORE)

    async def _show(self, ctx: FlowContext, article: Article, more: list[Article | None],
                    more_heading: str) -> None:
        parts = [ht.ARTICLE.format(title=article.title, body=article.body)]
        if article.example:
            parts.append(ht.EXAMPLE.format(example=article.example))
        others = [a for a in more if a is not None][:SHOWN_AFTER_BEST]
        rows: Keyboard = [[_article_button(ctx, a)] for a in others]
        if others:
            parts.append(more_heading)
        rows.append([ctx.button(ht.ALL_TOPICS, TOPICS)])
        await ctx.reply("\n\n".join(parts), rows)

    async def _topic(self, ctx: FlowContext, index: int, page: int) -> None:
        category = CATEGORIES[index]
        rows: Keyboard = [[_article_button(ctx, a)] for a in ARTICLES if a.category == category]
        shown = ctx.paged(rows, page, TOPIC, str(index), keep=1)
        await ctx.reply(ht.TOPIC.format(category=category),
                        [*shown, [ctx.button(ht.ALL_TOPICS, TOPICS)]])


def _article_button(ctx: FlowContext, article: Article) -> Button:
    return ctx.button(fit_label(article.title), ARTICLE, article.slug)


def _topic_buttons(ctx: FlowContext) -> Keyboard:
    """The categories, two to a row (seven fit in four rows)."""
    return grid([ctx.button(c, TOPIC, str(i)) for i, c in enumerate(CATEGORIES)], 2)
