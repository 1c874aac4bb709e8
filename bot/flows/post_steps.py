"""The /post flow's middle: rule check per subreddit and fixing (posting: post_run).

State: a typed `PostDraft` (post_state); each chosen subreddit is a `Target` with its
own title/flair/NSFW/body (their rules may differ) plus `skip`/`ok_warn`. Media stays
with the chat transport (file refs + hashes); bytes are downloaded only to post.

Buttons about one target carry its index *and* its subreddit key: a signed button stays
valid for days, and one from an earlier /post must not act on whatever sits at that
index now.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from bot.conversation.context import ButtonExpired, FlowContext, page_of
from bot.conversation.replies import Button, fit_label
from bot.flows.post_score import forecast
from bot.flows.post_state import IMAGE_KINDS, MediaEntry, PostDraft, Target, draft_of, save
from core.errors import UserFacingError
from core.reddit.check import BLOCKER, FIXABLE, WARNING, Issue, Verdict
from core.reddit.fixes import with_flair, with_tag
from core.reddit.models import RedditAccount
from core.reddit.requirements import SubredditRules
from core.reddit.types import MediaItem, PostRequest, media_content_key, subreddit_key
from core.texts import reddit as t
from core.texts import schedule as ts

log = logging.getLogger(__name__)

RESOLVE, FIX_TEXT, FIX_IMAGE, READY = "resolve", "fix_text", "fix_image", "ready"
CHOICE_FIXES = ("choose_flair", "choose_tag")


def request_for(draft: PostDraft, target: Target, images: tuple[MediaItem, ...] = ()
                ) -> PostRequest:
    """The request for one target; without `images`, placeholders stand in for the check."""
    files = draft.files_of(target)
    kind = draft.kind_of(target)
    if not images and kind in IMAGE_KINDS:
        images = tuple(MediaItem(b"", f.file.filename or "photo.jpg") for f in files)
    return PostRequest(
        subreddit=target.sub, kind=kind, title=target.title or draft.title,
        images=images, url=draft.url,
        body=target.body if target.body is not None else draft.body,
        nsfw=target.nsfw, flair_id=target.flair_id,
        content_key=(media_content_key(bytes.fromhex(f.sha) for f in files)
                     if kind in IMAGE_KINDS else None),
    )


def _store(target: Target, request: PostRequest) -> Target:
    return replace(target, sub=request.subreddit, title=request.title, nsfw=request.nsfw,
                   flair_id=request.flair_id, body=request.body)


async def draft_and_account(ctx: FlowContext) -> tuple[PostDraft, RedditAccount] | None:
    """The draft (with its idempotency nonce) and the account to post it with; `None`,
    with the flow ended and the creator told, when no account is connected any more."""
    from bot.flows import post_plan as plan  # post_plan imports this module

    draft = plan.with_nonce(ctx)
    account = await account_of(ctx)
    if account is None:
        ctx.finish()
        await ctx.reply(t.NEED_ACCOUNT)
        return None
    return draft, account


async def account_of(ctx: FlowContext) -> RedditAccount | None:
    accounts = ctx.core.reddit.accounts
    account_id = draft_of(ctx).account_id
    if account_id is not None:
        return await accounts.get(ctx.session, ctx.user.id, int(account_id))
    return await accounts.default(ctx.session, ctx.user.id)


async def check_all(ctx: FlowContext) -> None:
    """Fetch each subreddit's rules, auto-fix, report, then resolve what's left.

    The creator is working on a post here, so this chat's transport is where the
    scheduler's news about it goes first (core.posting.outbox.preferred_transport).
    """
    draft, reddit = draft_of(ctx), ctx.core.reddit
    ctx.user.notify_via = ctx.event.sender.transport
    account = await account_of(ctx)
    await ctx.reply(t.CHECKING.format(subs=", ".join(f"r/{s}" for s in draft.subs)))
    targets = []
    for sub in draft.subs:
        target = Target(sub=sub, title=draft.title)
        try:
            rules, saved = await reddit.rules_or_saved(ctx.session, sub, account,
                                                       release=ctx.checkpoint)
        except UserFacingError as exc:
            await ctx.reply(t.POST_FAILED.format(sub=sub, reason=t.error(exc.code, exc.params)))
            targets.append(replace(target, skip=True))
            continue
        if saved:
            await ctx.reply(t.RULES_SAVED.format(sub=rules.name or sub))
        prepared = await reddit.prepare(ctx.session, ctx.user, account,
                                        request_for(draft, target), rules,
                                        nsfw_allowed=ctx.nsfw_ok)
        target = _store(target, prepared.request)
        if prepared.fixed:
            fixes = ", ".join(fixes_text(prepared.verdict, code, prepared.request, rules)
                              for code in prepared.fixed)
            await ctx.reply(t.FIXED_PREFIX.format(sub=prepared.request.subreddit, fixes=fixes))
        targets.append(target)
    save(ctx, RESOLVE, replace(draft, targets=tuple(targets)))
    await resolve(ctx)


def fixes_text(verdict: Verdict, code: str, request: PostRequest, rules: SubredditRules) -> str:
    params: dict[str, Any] = {"max": rules.effective_title_max,
                              "tags": next((s for s in rules.title_required_strings
                                            if s.lower() in request.title.lower()), ""),
                              "words": ", ".join(rules.title_blacklisted_strings)}
    return t.issue(code, params)


async def _verdict(ctx: FlowContext, target: Target) -> tuple[Verdict, SubredditRules]:
    reddit = ctx.core.reddit
    rules = await reddit.subreddits.get(ctx.session, target.sub)  # cached by check_all
    prepared = await reddit.prepare(ctx.session, ctx.user, await account_of(ctx),
                                    request_for(draft_of(ctx), target), rules,
                                    nsfw_allowed=ctx.nsfw_ok)
    return prepared.verdict, rules


async def resolve(ctx: FlowContext, page: int = 0) -> None:
    """Walk the targets; ask about the first open problem, or offer to post.

    `page` is the page of a long flair or tag list to show (its More/Back buttons)."""
    for i, target in enumerate(draft_of(ctx).targets):
        if not target.pending:
            continue
        verdict, rules = await _verdict(ctx, target)
        sub = verdict.subreddit
        blockers = verdict.of(BLOCKER)
        if blockers:
            save(ctx, None, draft_of(ctx).with_target(i, replace(target, skip=True)))
            reason = t.issue(blockers[0].code, blockers[0].params)
            await ctx.reply(t.BLOCKED_PREFIX.format(sub=sub, reason=reason))
            continue
        fixable = verdict.of(FIXABLE)
        if fixable:
            await _ask_fix(ctx, i, sub, fixable[0], rules, page)
            return
        warnings = verdict.of(WARNING)
        if warnings and not target.ok_warn:
            reasons = " ".join(t.issue(w.code, w.params) for w in warnings)
            await ctx.reply(t.WARN_PREFIX.format(sub=sub, reason=reasons), [
                [_target_button(ctx, t.POST_ANYWAY, "anyway", i, target)],
                [_target_button(ctx, t.SKIP_SUB.format(sub=sub), "skip", i, target)]])
            return
    if not any(tg.pending for tg in draft_of(ctx).targets):
        ctx.finish()
        await ctx.reply(t.ALL_BLOCKED)
        return
    await show_ready(ctx)


async def show_ready(ctx: FlowContext) -> None:
    ctx.goto(READY)
    await forecast(ctx)
    lines = "\n".join(t.READY_LINE.format(sub=tg.sub, title=tg.title, extras=_extras(tg))
                      for tg in draft_of(ctx).targets if tg.pending)
    await ctx.reply(t.READY.format(lines=lines), [[ctx.button(t.POST_NOW, "post"),
                                                    ctx.button(ts.SCHEDULE, "when"),
                                                    ctx.button(ts.BEST_TIME, "best")]])


def _target_button(ctx: FlowContext, label: str, action: str, i: int,
                   target: Target, *more: str) -> Button:
    """A button about `targets[i]`; the subreddit key rides along to be checked."""
    return ctx.button(label, action, str(i), subreddit_key(target.sub), *more)


def _target_index(targets: tuple[Target, ...], args: tuple[str, ...]) -> int:
    """The target a button is about, or ButtonExpired if it no longer names one."""
    if len(args) < 2 or not args[0].isdigit() or len(args[0]) > 3:
        raise ButtonExpired
    i = int(args[0])
    if i >= len(targets) or subreddit_key(targets[i].sub) != args[1]:
        raise ButtonExpired
    return i


def _choice(args: tuple[str, ...], options: list[Any] | tuple[Any, ...]) -> int:
    """The option index a flair/tag button carries, checked against today's options."""
    if len(args) < 3 or not args[2].isdigit() or int(args[2]) >= len(options):
        raise ButtonExpired
    return int(args[2])


def _extras(target: Target) -> str:
    extras = [t.EXTRA_NSFW] if target.nsfw else []
    if target.flair_id:
        extras.append(t.EXTRA_FLAIR.format(flair=target.flair_text or "✓"))
    return f" ({', '.join(extras)})" if extras else ""


async def _ask_fix(ctx: FlowContext, i: int, sub: str, issue: Issue, rules: SubredditRules,
                   page: int = 0) -> None:
    target = draft_of(ctx).targets[i]
    skip = [_target_button(ctx, t.SKIP_SUB.format(sub=sub), "skip", i, target)]
    if issue.fix in CHOICE_FIXES:
        ctx.goto(RESOLVE)
        if issue.fix == "choose_flair":
            labels, action, text = [f.text or f.id for f in rules.flairs], "flair", t.PICK_FLAIR
        else:
            labels, action, text = list(issue.options), "tag", t.PICK_TAG
        rows = [[_target_button(ctx, fit_label(label), action, i, target, str(n))]
                for n, label in enumerate(labels)]
        shown = ctx.paged(rows, page, "more", str(i), subreddit_key(target.sub), keep=1)
        await ctx.reply(text.format(sub=sub), [*shown, skip])
    elif issue.fix == "need_image":
        save(ctx, FIX_IMAGE, replace(draft_of(ctx), fixing=i))
        await ctx.reply(t.ASK_IMAGE_FIX.format(sub=sub, reason=t.issue(issue.code, issue.params)),
                        [skip])
    else:  # new_title, need_body
        field = "body" if issue.fix == "need_body" else "title"
        template = t.ASK_BODY_FIX if field == "body" else t.ASK_NEW_TITLE
        save(ctx, FIX_TEXT, replace(draft_of(ctx), fixing=i, field=field))
        await ctx.reply(template.format(sub=sub, reason=t.issue(issue.code, issue.params)),
                        [skip])


async def more_choices(ctx: FlowContext, args: tuple[str, ...]) -> None:
    """Another page of the flair or tag list asked about `targets[args[0]]`."""
    ctx.require_step(RESOLVE)
    _target_index(draft_of(ctx).targets, args)
    await resolve(ctx, page_of(args, 2))


async def choose(ctx: FlowContext, action: str, args: tuple[str, ...]) -> None:
    """Apply a flair/tag choice, a skip or a "post anyway" to the target the button names.

    Skip is offered while a new title, text or photo is asked for too, so it is
    accepted in those steps as well (and ends the fixing).
    """
    if action == "skip":
        ctx.require_step(RESOLVE, FIX_TEXT, FIX_IMAGE)
    else:
        ctx.require_step(RESOLVE)
    draft = draft_of(ctx)
    i = _target_index(draft.targets, args)
    target = draft.targets[i]
    if action == "skip":
        target = replace(target, skip=True)
    elif action == "anyway":
        target = replace(target, ok_warn=True)
    else:
        rules = await ctx.core.reddit.subreddits.get(ctx.session, target.sub)
        request = request_for(draft, target)
        if action == "flair":
            n = _choice(args, rules.flairs)
            request = with_flair(request, rules.flairs[n].id, rules)
            target = replace(_store(target, request), flair_text=rules.flairs[n].text)
        else:
            verdict, _ = await _verdict(ctx, target)
            tags = next((issue.options for issue in verdict.issues
                         if issue.code == "title_needs_tag"), None)
            if tags is None:  # a tag was picked already (another button of that message)
                raise ButtonExpired
            target = _store(target, with_tag(request, tags[_choice(args, tags)], rules))
    _fixed(ctx, draft, i, target)
    await resolve(ctx)


def _fixed(ctx: FlowContext, draft: PostDraft, i: int, target: Target) -> None:
    """Store the fixed `targets[i]`; whatever was being asked for is answered."""
    save(ctx, RESOLVE, replace(draft.with_target(i, target), fixing=None, field=None))


async def fixed_text(ctx: FlowContext, text: str) -> None:
    draft = draft_of(ctx)
    if draft.fixing is None or draft.fixing >= len(draft.targets):
        await resolve(ctx)
        return
    target = draft.targets[draft.fixing]
    changed = (replace(target, body=text.strip()) if draft.field == "body"
               else replace(target, title=text.strip()))
    _fixed(ctx, draft, draft.fixing, changed)
    await resolve(ctx)


async def fixed_image(ctx: FlowContext, file: MediaEntry) -> None:
    draft = draft_of(ctx)
    if draft.fixing is None or draft.fixing >= len(draft.targets):
        await resolve(ctx)
        return
    target = replace(draft.targets[draft.fixing], kind="image", files=(file,))
    _fixed(ctx, draft, draft.fixing, target)
    await resolve(ctx)
