"""Step 3: the rule check for one subreddit, by core.reddit as /post does it: the
subreddit's rules (live through the creator's account when connected, else saved),
`prepare` (the check and its automatic fixes), then the creator's part. A rule that
fails is named with its fix: a flair or tag to pick, a new title to type, or another
subreddit. Nothing here decides what a rule means; the verdict says."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.conversation.context import ButtonExpired, FlowContext, page_of
from bot.conversation.replies import Keyboard, fit_label, grid
from bot.flows.post_steps import fixes_text
from bot.flows.tutorial import schedule
from bot.flows.tutorial.state import FIX, MAX_TITLE, SUB, heading, photo, post, skip_button
from core.errors import UserFacingError
from core.reddit.check import BLOCKER, FIXABLE, WARNING
from core.reddit.fixes import with_flair, with_tag
from core.reddit.requirements import SubredditRules
from core.reddit.types import (
    MediaItem,
    PostRequest,
    media_content_key,
    subreddit_key,
    valid_subreddit_name,
)
from core.texts import reddit as rt
from core.texts import tutorial as t

SUGGESTIONS = 6


async def ask(ctx: FlowContext, note: str = "", exclude: tuple[str, ...] = ()) -> None:
    ctx.goto(SUB)
    ctx.forget("post", "fix")
    picks = ctx.core.reddit.subreddits.suggest(nsfw=ctx.nsfw_ok, exclude=exclude,
                                               limit=SUGGESTIONS)
    rows = [*grid([ctx.button(f"r/{n}", "sub", n) for n in picks], 2),
            [skip_button(ctx)]]
    await ctx.reply("\n\n".join(p for p in (note, heading(3), t.SUB_ASK) if p), rows)


async def chosen(ctx: FlowContext, raw: str) -> None:
    """A subreddit tapped or typed: fetch its rules, check, and settle what's left."""
    sub = subreddit_key(raw)
    if not valid_subreddit_name(sub):
        await ctx.reply(t.SUB_BAD)
        return
    reddit = ctx.core.reddit
    account = await reddit.accounts.default(ctx.session, ctx.user.id)
    await ctx.reply(t.CHECKING.format(sub=sub))
    try:
        rules, _ = await reddit.rules_or_saved(ctx.session, sub, account,
                                               release=ctx.checkpoint)
    except UserFacingError as exc:
        reason = rt.error(exc.code, {"subreddit": sub, **exc.params})
        await ask(ctx, t.RULES_UNREACHABLE.format(sub=sub, reason=reason), (sub,))
        return
    request = PostRequest(subreddit=sub, kind="image", title=str(ctx.data.get("title", "")),
                          images=_placeholder(ctx), content_key=_content_key(ctx))
    await settle(ctx, rules, request, first=True)


async def settle(ctx: FlowContext, rules: SubredditRules, request: PostRequest,
                 first: bool = False) -> None:
    reddit = ctx.core.reddit
    account = await reddit.accounts.default(ctx.session, ctx.user.id)
    prepared = await reddit.prepare(ctx.session, ctx.user, account, request, rules,
                                    nsfw_allowed=ctx.nsfw_ok)
    request, verdict = prepared.request, prepared.verdict
    sub = request.subreddit
    ctx.goto(FIX if ctx.step == FIX else SUB, post=_remember(request))
    notes = []
    if prepared.fixed and first:
        fixes = ", ".join(fixes_text(verdict, code, request, rules) for code in prepared.fixed)
        notes.append(t.FIXED.format(sub=sub, fixes=fixes))
    open_issues = [*verdict.of(BLOCKER), *verdict.of(FIXABLE)]
    if not open_issues:
        warned = [t.WARNED.format(sub=sub, reason=rt.issue(w.code, w.params))
                  for w in verdict.of(WARNING)]
        await schedule.ask(ctx, "\n".join([*notes, t.PASSED.format(sub=sub), *warned]))
        return
    issue = open_issues[0]
    reason = rt.issue(issue.code, issue.params)
    if issue.severity == FIXABLE and issue.fix in ("choose_flair", "choose_tag"):
        ctx.goto(FIX, fix=issue.fix)
        await _ask_choice(ctx, "\n".join(notes), rules)
    elif issue.severity == FIXABLE and issue.fix == "new_title":
        ctx.goto(FIX, fix="new_title")
        text = "\n".join([*notes, t.FIX_TITLE.format(sub=sub, reason=reason)])
        await ctx.reply(text, [[ctx.button(t.OTHER_SUB, "other")]])
    else:
        failed = t.FAILED_RULE.format(sub=sub, reason=reason)
        await ask(ctx, "\n".join([*notes, failed, t.FIX_OTHER_SUB]), (sub,))


async def _ask_choice(ctx: FlowContext, note: str, rules: SubredditRules, page: int = 0
                      ) -> None:
    sub = post(ctx).get("sub", "")
    if ctx.data.get("fix") == "choose_flair":
        labels, text = [f.text or f.id for f in rules.flairs], t.FIX_FLAIR
    else:
        labels, text = list(await _tags(ctx, rules)), t.FIX_TAG
    rows: Keyboard = [[ctx.button(fit_label(label), "pick", str(n))]
                      for n, label in enumerate(labels)]
    shown = ctx.paged(rows, page, "more", keep=1)
    body = "\n".join(p for p in (note, text.format(sub=sub)) if p)
    await ctx.reply(body, [*shown, [ctx.button(t.OTHER_SUB, "other")]])


async def more(ctx: FlowContext, args: tuple[str, ...]) -> None:
    ctx.require_step(FIX)
    await _ask_choice(ctx, "", await _rules(ctx), page_of(args, 0))


async def pick(ctx: FlowContext, arg: str) -> None:
    """A flair or tag from the list the check asked for."""
    ctx.require_step(FIX)
    rules, request = await _rules(ctx), _request(ctx)
    if ctx.data.get("fix") == "choose_flair":
        options: list[Any] = list(rules.flairs)
    else:
        options = list(await _tags(ctx, rules))
    if not arg.isdigit() or int(arg) >= len(options):
        raise ButtonExpired
    choice = options[int(arg)]
    if ctx.data.get("fix") == "choose_flair":
        request = with_flair(request, choice.id, rules)
        request = replace(request, flair_text=choice.text)
    else:
        request = with_tag(request, choice, rules)
    await settle(ctx, rules, request)


async def new_title(ctx: FlowContext, text: str) -> None:
    title = " ".join(text.split())
    if not title or len(title) > MAX_TITLE:
        await ctx.reply(t.TITLE_TOO_LONG.format(n=len(title)) if title else t.ASK_TITLE)
        return
    ctx.update(title=title)
    request = _request(ctx)
    await settle(ctx, await _rules(ctx), replace(request, title=title))


async def other(ctx: FlowContext) -> None:
    ctx.require_step(FIX, SUB)
    await ask(ctx, exclude=(str(post(ctx).get("sub", "")),))


async def _tags(ctx: FlowContext, rules: SubredditRules) -> tuple[str, ...]:
    prepared = await ctx.core.reddit.prepare(
        ctx.session, ctx.user, await ctx.core.reddit.accounts.default(ctx.session, ctx.user.id),
        _request(ctx), rules, nsfw_allowed=ctx.nsfw_ok)
    return next((i.options for i in prepared.verdict.issues if i.fix == "choose_tag"), ())


async def _rules(ctx: FlowContext) -> SubredditRules:
    """The chosen subreddit's rules as the check saved them (no new fetch)."""
    return await ctx.core.reddit.subreddits.get(ctx.session, str(post(ctx).get("sub", "")))


def _remember(request: PostRequest) -> dict[str, Any]:
    return {"sub": request.subreddit, "title": request.title, "nsfw": request.nsfw,
            "flair_id": request.flair_id, "flair_text": request.flair_text}


def _request(ctx: FlowContext) -> PostRequest:
    p = post(ctx)
    if not p:
        raise ButtonExpired
    return PostRequest(subreddit=p["sub"], kind="image", title=p["title"],
                       images=_placeholder(ctx), nsfw=bool(p["nsfw"]),
                       flair_id=p.get("flair_id"), flair_text=p.get("flair_text"),
                       content_key=_content_key(ctx))


def _placeholder(ctx: FlowContext) -> tuple[MediaItem, ...]:
    """The check looks at the kind and count of photos, not their bytes."""
    file = photo(ctx)
    return (MediaItem(b"", (file.filename if file else None) or "photo.jpg"),)


def _content_key(ctx: FlowContext) -> str | None:
    sha = ctx.data.get("sha")
    return media_content_key([bytes.fromhex(sha)]) if sha else None
