"""The /post flow's second half: rule check per subreddit, fixing, and posting.

State (JSON, small): `targets` is one dict per chosen subreddit holding that
subreddit's own title/flair/NSFW/body (their rules may differ) plus `skip`/`ok_warn`.
Media stays with the chat transport (file refs + hashes); bytes are downloaded only
to post.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import replace
from typing import Any

from bot.conversation.context import FlowContext
from bot.conversation.events import FileRef
from bot.texts import reddit as t
from core.errors import UserFacingError
from core.reddit.check import BLOCKER, FIXABLE, WARNING, Issue, Verdict
from core.reddit.fixes import with_flair, with_tag
from core.reddit.models import RedditAccount
from core.reddit.requirements import SubredditRules
from core.reddit.types import MediaItem, PostRequest

RESOLVE, FIX_TEXT, FIX_IMAGE, READY = "resolve", "fix_text", "fix_image", "ready"
CHOICE_FIXES = ("choose_flair", "choose_tag")


def request_for(data: dict[str, Any], target: dict[str, Any], images: tuple[MediaItem, ...] = ()
                ) -> PostRequest:
    """The request for one target; without `images`, placeholders stand in for the check."""
    files = target.get("files") or data.get("files") or []
    kind = target.get("kind") or data["kind"]
    if not images and kind in ("image", "gallery"):
        images = tuple(MediaItem(b"", f["file"].get("filename") or "photo.jpg") for f in files)
    return PostRequest(
        subreddit=target["sub"], kind=kind, title=target.get("title") or data.get("title", ""),
        images=images, url=data.get("url"), body=target.get("body", data.get("body")),
        nsfw=bool(target.get("nsfw")), flair_id=target.get("flair_id"),
        content_key=_content_key(files) if kind in ("image", "gallery") else None,
    )


def _content_key(files: list[dict[str, Any]]) -> str | None:
    if not files:
        return None
    digest = hashlib.sha256()
    for f in files:
        digest.update(bytes.fromhex(f["sha"]))
    return digest.hexdigest()


def _store(target: dict[str, Any], request: PostRequest) -> dict[str, Any]:
    return {**target, "sub": request.subreddit, "title": request.title, "nsfw": request.nsfw,
            "flair_id": request.flair_id, "body": request.body}


def _targets(ctx: FlowContext) -> list[dict[str, Any]]:
    """A deep copy: flow state must never be mutated in place (it would not be saved)."""
    return copy.deepcopy(ctx.data.get("targets", []))


async def account_of(ctx: FlowContext) -> RedditAccount | None:
    accounts = ctx.core.reddit.accounts
    account_id = ctx.data.get("account_id")
    if account_id is not None:
        return await accounts.get(ctx.session, ctx.user.id, int(account_id))
    return await accounts.default(ctx.session, ctx.user.id)


async def check_all(ctx: FlowContext) -> None:
    """Fetch each subreddit's rules, auto-fix, report, then resolve what's left."""
    data, reddit = ctx.data, ctx.core.reddit
    account = await account_of(ctx)
    await ctx.reply(t.CHECKING.format(subs=", ".join(f"r/{s}" for s in data["subs"])))
    targets = []
    for sub in data["subs"]:
        target: dict[str, Any] = {"sub": sub, "title": data.get("title", "")}
        try:
            rules = await reddit.rules_for(ctx.session, sub, account)
        except UserFacingError as exc:
            await ctx.reply(t.POST_FAILED.format(sub=sub, reason=t.error(exc.code, exc.params)))
            targets.append({**target, "skip": True})
            continue
        prepared = await reddit.prepare(ctx.session, ctx.user, account,
                                        request_for(data, target), rules)
        target = _store(target, prepared.request)
        if prepared.fixed:
            fixes = ", ".join(_fixed_text(prepared.verdict, code, prepared.request, rules)
                              for code in prepared.fixed)
            await ctx.reply(t.FIXED_PREFIX.format(sub=prepared.request.subreddit, fixes=fixes))
        targets.append(target)
    ctx.goto(RESOLVE, targets=targets)
    await resolve(ctx)


def _fixed_text(verdict: Verdict, code: str, request: PostRequest, rules: SubredditRules) -> str:
    params: dict[str, Any] = {"max": rules.effective_title_max,
                              "tags": next((s for s in rules.title_required_strings
                                            if s.lower() in request.title.lower()), ""),
                              "words": ", ".join(rules.title_blacklisted_strings)}
    return t.issue(code, params)


async def _verdict(ctx: FlowContext, target: dict[str, Any]) -> tuple[Verdict, SubredditRules]:
    reddit = ctx.core.reddit
    rules = await reddit.subreddits.get(ctx.session, target["sub"])  # cached by check_all
    prepared = await reddit.prepare(ctx.session, ctx.user, await account_of(ctx),
                                    request_for(ctx.data, target), rules)
    return prepared.verdict, rules


async def resolve(ctx: FlowContext) -> None:
    """Walk the targets; ask about the first open problem, or offer to post."""
    targets = _targets(ctx)
    for i, target in enumerate(targets):
        if target.get("skip"):
            continue
        verdict, rules = await _verdict(ctx, target)
        sub = verdict.subreddit
        blockers = verdict.of(BLOCKER)
        if blockers:
            targets[i] = {**target, "skip": True}
            ctx.update(targets=targets)
            reason = t.issue(blockers[0].code, blockers[0].params)
            await ctx.reply(t.BLOCKED_PREFIX.format(sub=sub, reason=reason))
            continue
        fixable = verdict.of(FIXABLE)
        if fixable:
            await _ask_fix(ctx, i, sub, fixable[0], rules)
            return
        warnings = verdict.of(WARNING)
        if warnings and not target.get("ok_warn"):
            reasons = " ".join(t.issue(w.code, w.params) for w in warnings)
            await ctx.reply(t.WARN_PREFIX.format(sub=sub, reason=reasons), [
                [ctx.button(t.POST_ANYWAY, "anyway", str(i))],
                [ctx.button(t.SKIP_SUB.format(sub=sub), "skip", str(i))]])
            return
    live = [tg for tg in targets if not tg.get("skip")]
    if not live:
        ctx.finish()
        await ctx.reply(t.ALL_BLOCKED)
        return
    ctx.goto(READY)
    lines = "\n".join(t.READY_LINE.format(sub=tg["sub"], title=tg["title"],
                                          extras=_extras(tg)) for tg in live)
    await ctx.reply(t.READY.format(lines=lines), [[ctx.button(t.POST_NOW, "post")]])


def _extras(target: dict[str, Any]) -> str:
    extras = [t.EXTRA_NSFW] if target.get("nsfw") else []
    if target.get("flair_id"):
        extras.append(t.EXTRA_FLAIR.format(flair=target.get("flair_text") or "✓"))
    return f" ({', '.join(extras)})" if extras else ""


async def _ask_fix(ctx: FlowContext, i: int, sub: str, issue: Issue, rules: SubredditRules
                   ) -> None:
    skip = [ctx.button(t.SKIP_SUB.format(sub=sub), "skip", str(i))]
    if issue.fix == "choose_flair":
        ctx.goto(RESOLVE)
        rows = [[ctx.button(f.text or f.id, "flair", str(i), str(n))]
                for n, f in enumerate(rules.flairs)]
        await ctx.reply(t.PICK_FLAIR.format(sub=sub), [*rows, skip])
    elif issue.fix == "choose_tag":
        ctx.goto(RESOLVE)
        rows = [[ctx.button(tag, "tag", str(i), str(n))] for n, tag in enumerate(issue.options)]
        await ctx.reply(t.PICK_TAG.format(sub=sub), [*rows, skip])
    elif issue.fix == "need_image":
        ctx.goto(FIX_IMAGE, fixing=i)
        await ctx.reply(t.ASK_IMAGE_FIX.format(sub=sub, reason=t.issue(issue.code, issue.params)),
                        [skip])
    else:  # new_title, need_body
        field = "body" if issue.fix == "need_body" else "title"
        template = t.ASK_BODY_FIX if field == "body" else t.ASK_NEW_TITLE
        ctx.goto(FIX_TEXT, fixing=i, field=field)
        await ctx.reply(template.format(sub=sub, reason=t.issue(issue.code, issue.params)),
                        [skip])


async def choose(ctx: FlowContext, action: str, args: tuple[str, ...]) -> None:
    """Apply a flair/tag choice, a skip or a "post anyway" to target `args[0]`."""
    ctx.require_step(RESOLVE)
    targets = _targets(ctx)
    i = int(args[0])
    target = targets[i]
    if action == "skip":
        target = {**target, "skip": True}
    elif action == "anyway":
        target = {**target, "ok_warn": True}
    else:
        rules = await ctx.core.reddit.subreddits.get(ctx.session, target["sub"])
        request = request_for(ctx.data, target)
        n = int(args[1])
        if action == "flair":
            request = with_flair(request, rules.flairs[n].id, rules)
            target = {**_store(target, request), "flair_text": rules.flairs[n].text}
        else:
            verdict, _ = await _verdict(ctx, target)
            tags = next(i.options for i in verdict.issues if i.code == "title_needs_tag")
            target = _store(target, with_tag(request, tags[n], rules))
    targets[i] = target
    ctx.goto(RESOLVE, targets=targets)
    await resolve(ctx)


async def fixed_text(ctx: FlowContext, text: str) -> None:
    data = ctx.data
    targets, i = _targets(ctx), int(data["fixing"])
    targets[i] = {**targets[i], data.get("field", "title"): text.strip()}
    ctx.goto(RESOLVE, targets=targets)
    await resolve(ctx)


async def fixed_image(ctx: FlowContext, file: dict[str, Any]) -> None:
    targets, i = _targets(ctx), int(ctx.data["fixing"])
    targets[i] = {**targets[i], "kind": "image", "files": [file]}
    ctx.goto(RESOLVE, targets=targets)
    await resolve(ctx)


async def post_all(ctx: FlowContext) -> None:
    ctx.require_step(READY)
    data, reddit = ctx.data, ctx.core.reddit
    account = await account_of(ctx)
    ctx.finish()
    if account is None:
        await ctx.reply(t.NEED_ACCOUNT)
        return
    for target in data["targets"]:
        if target.get("skip"):
            continue
        files = target.get("files") or data.get("files") or []
        images = tuple([MediaItem(await ctx.download(FileRef(**f["file"])),
                                  f["file"].get("filename") or "photo.jpg", f.get("caption", ""))
                        for f in files])
        request = request_for(data, target, images)
        request = replace(request, content_key=None)
        outcome = await reddit.post(ctx.session, ctx.user, account, request,
                                    confirm_warnings=True)
        await ctx.reply(_outcome_text(target["sub"], outcome))
        if outcome.result is not None and outcome.result.comment_error:
            await ctx.reply(t.COMMENT_FAILED.format(
                reason=t.error(outcome.result.comment_error, {"subreddit": target["sub"]})))


def _outcome_text(sub: str, outcome: Any) -> str:
    result = outcome.result
    if result is None:  # the verdict changed since the check (rules refreshed)
        issue = next(iter(outcome.prepared.verdict.issues))
        return t.POST_FAILED.format(sub=sub, reason=t.issue(issue.code, issue.params))
    if result.ok:
        if result.permalink:
            return t.POSTED.format(sub=result.subreddit, link=result.permalink)
        return t.POSTED_NO_LINK.format(sub=result.subreddit)
    return t.POST_FAILED.format(sub=sub, reason=t.error(result.error, result.params))
