"""/post: photo(s) or link or text -> title -> subreddits -> account -> rule check ->
fixes -> post now, with the live link or a precise reason for each subreddit.

Also entered from a photo sent outside any flow ("Post it to Reddit") and from the
caption engine's "post this" button (action `from_caption`, arg = caption option id).

At the title step "Suggest titles" asks the caption engine (photo hints, quota, safety
gate and all) for options; state keeps only their ids (`suggested`), the texts stay in
the caption store. Each subreddit's own rules are applied after the subreddits are
chosen (post_steps.check_all fixes the title per subreddit).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Coroutine
from dataclasses import replace
from functools import wraps
from typing import Any, TypeVar

from bot.conversation.context import ButtonExpired, FlowContext, page_of
from bot.conversation.events import Command, FileRef, Press, Text, Upload
from bot.conversation.flow import Flow
from bot.conversation.replies import Button, fit_label
from bot.flows import caption_render, uploads
from bot.flows import post_run as run
from bot.flows import post_steps as steps
from bot.flows import post_when as when
from bot.flows.help import info_button
from bot.flows.post_state import DraftOutdated, MediaEntry, PostDraft, draft_of, save
from core.captions import CaptionBrief, Platform, TitleRules
from core.errors import UserFacingError
from core.reddit.models import AccountStatus
from core.reddit.requirements import GALLERY_MAX, SubredditRules
from core.reddit.types import subreddit_key, valid_subreddit_name
from core.texts import help as help_texts
from core.texts import reddit as t

MEDIA, BODY, TITLE, SUBS, ACCOUNT = "media", "body", "title", "subs", "account"
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
SUGGESTIONS = 6
TITLE_OPTIONS = 3
E = TypeVar("E")


def _fresh_if_outdated(
    handler: Callable[[PostFlow, FlowContext, E], Coroutine[Any, Any, None]],
) -> Callable[[PostFlow, FlowContext, E], Coroutine[Any, Any, None]]:
    """A draft this version can't read starts /post over, kindly, instead of failing
    on every message the creator sends."""

    @wraps(handler)
    async def guarded(self: PostFlow, ctx: FlowContext, event: E) -> None:
        try:
            await handler(self, ctx, event)
        except DraftOutdated:
            ctx.finish()
            await ctx.reply(t.DRAFT_OUTDATED)
            await self._start(ctx)

    return guarded


class PostFlow(Flow):
    name = "post"
    commands = ("post",)
    help_line = t.POST_HELP
    upload_label = t.POST_UPLOAD_LABEL
    menu_label = t.POST_MENU_LABEL

    # -- entry points ----------------------------------------------------------------
    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        await self._start(ctx)

    async def on_upload_start(self, ctx: FlowContext, upload: Upload) -> None:
        if await self._start(ctx, ask=False):
            await self.on_upload(ctx, upload)

    async def _start(self, ctx: FlowContext, *, ask: bool = True,
                     draft: PostDraft | None = None) -> bool:
        ctx.finish()
        accounts = await ctx.core.reddit.accounts.list(ctx.session, ctx.user.id)
        if not any(a.status == AccountStatus.ACTIVE for a in accounts):
            reddit = ctx.core.reddit
            link = reddit.oauth.connect_link(ctx.user.id) if reddit.clients.configured else None
            await ctx.reply(t.NEED_ACCOUNT, [[connect_button(link)]] if link else [])
            return False
        save(ctx, MEDIA, draft or PostDraft())
        if ask:
            await self.prompt(ctx)
        return True

    def busy(self, ctx: FlowContext) -> str | None:
        return t.STILL_POSTING if run.is_posting(ctx) else None

    async def prompt(self, ctx: FlowContext) -> None:
        try:
            draft_of(ctx)
        except DraftOutdated:
            ctx.finish()
            await ctx.reply(t.DRAFT_OUTDATED)
            await self._start(ctx)
            return
        step = ctx.step
        if step == TITLE:
            await _ask_title(ctx, t.ASK_TITLE)
        elif step == SUBS:
            await self._ask_subs(ctx)
        elif step == BODY:
            await ctx.reply(t.ASK_TEXT_BODY)
        elif step in (steps.RESOLVE, steps.FIX_TEXT, steps.FIX_IMAGE):
            await steps.resolve(ctx)
        elif step == when.WHEN:
            await when.ask_when(ctx)
        elif step == when.ZONE:
            await when.ask_zone(ctx, str(ctx.data.get("then") or "at"))
        elif step == run.POSTING:  # never reset a run that is posting right now
            await run.still_posting(ctx)
        else:
            ctx.goto(MEDIA)
            await ctx.reply(t.ASK_MEDIA, [[ctx.button(t.TEXT_POST, "text")]])

    # -- events ----------------------------------------------------------------------
    @_fresh_if_outdated
    async def on_button(self, ctx: FlowContext, press: Press) -> None:
        action, args = press.action, press.args
        if action == "start":
            await self._start(ctx)
        elif action == "from_caption" and args:
            await self._from_caption(ctx, int(args[0]))
        elif action == "suggest":
            ctx.require_step(TITLE)
            await self._suggest(ctx)
        elif action == "title" and args:
            ctx.require_step(TITLE)
            await self._take_suggestion(ctx, args[0])
        elif action == "text":
            ctx.require_step(MEDIA)
            save(ctx, BODY, replace(draft_of(ctx), kind="text"))
            await ctx.reply(t.ASK_TEXT_BODY)
        elif action == "sub" and args:
            ctx.require_step(SUBS)
            await self._add_subs(ctx, [args[0]])
        elif action == "done":
            ctx.require_step(SUBS)
            await self._subs_done(ctx)
        elif action == "accts":
            ctx.require_step(ACCOUNT)
            await self._ask_account(ctx, page_of(args, 0))
        elif action == "more":
            await steps.more_choices(ctx, args)
        elif action == "acct" and args and args[0].isdigit():
            ctx.require_step(ACCOUNT)
            save(ctx, None, replace(draft_of(ctx), account_id=int(args[0])))
            await steps.check_all(ctx)
        elif action in ("flair", "tag", "skip", "anyway") and args:
            await steps.choose(ctx, action, args)
        elif action == "post":
            await run.post_all(ctx, run.space_flag(args))
        elif action in ("when", "best", "sched", "zone", "tz"):
            await _scheduling(ctx, action, args)
        else:
            await super().on_button(ctx, press)

    @_fresh_if_outdated
    async def on_upload(self, ctx: FlowContext, upload: Upload) -> None:
        step = ctx.step
        if step == run.POSTING:
            await run.still_posting(ctx)
            return
        if step not in (MEDIA, TITLE, steps.FIX_IMAGE):
            await ctx.reply(t.ASK_MEDIA)
            return
        if await uploads.refused(ctx, upload.file, t.NOT_A_PHOTO):  # a PDF, a video…
            return
        entry = await _media_entry(ctx, upload.file, upload.caption)
        if step == steps.FIX_IMAGE:
            await steps.fixed_image(ctx, entry)
            return
        draft = draft_of(ctx)
        files = (*draft.files, entry)[:GALLERY_MAX]
        draft = replace(draft, files=files, kind="image" if len(files) == 1 else "gallery")
        if draft.title:  # title came from a caption option already
            save(ctx, SUBS, draft)
            await self._ask_subs(ctx)
            return
        save(ctx, TITLE, draft)
        n = len(files)
        await _ask_title(ctx, t.GALLERY_FULL if n == GALLERY_MAX else
                         t.GOT_PHOTO.format(n=n, s="" if n == 1 else "s"))

    @_fresh_if_outdated
    async def on_text(self, ctx: FlowContext, msg: Text) -> None:
        text, step = msg.text.strip(), ctx.step
        if step == MEDIA and _URL.match(text):
            save(ctx, TITLE, replace(draft_of(ctx), kind="link", url=text))
            await _ask_title(ctx, t.ASK_TITLE)
        elif step == BODY:
            save(ctx, TITLE, replace(draft_of(ctx), body=text))
            await _ask_title(ctx, t.ASK_TITLE)
        elif step == TITLE and text:
            save(ctx, SUBS, replace(draft_of(ctx), title=text, suggested=()))
            await self._ask_subs(ctx)
        elif step == SUBS:
            await self._add_subs(ctx, re.split(r"[\s,;]+", text))
        elif step == steps.FIX_TEXT and text:
            await steps.fixed_text(ctx, text)
        elif step in (when.WHEN, when.ZONE) and text:
            await when.on_text(ctx, text)
        else:
            await self.prompt(ctx)

    # -- helpers ---------------------------------------------------------------------
    async def _from_caption(self, ctx: FlowContext, option_id: int) -> None:
        captions = getattr(ctx.core, "captions", None)
        option = None
        if captions is not None:
            option = await captions.get_option(ctx.session, option_id, ctx.user.id)
        if option is None:
            await ctx.reply(t.FROM_CAPTION_MISSING)
            await self._start(ctx)
            return
        previous = draft_of(ctx) if ctx.step in (MEDIA, TITLE) else PostDraft()
        captioned = ctx.handed_over("caption").get("file")
        subs = (subreddit_key(option.subreddit),) if getattr(option, "subreddit", None) else ()
        draft = PostDraft(title=option.title, subs=subs)
        if not await self._start(ctx, ask=False, draft=draft):
            return
        if previous.files:
            save(ctx, SUBS, replace(draft, files=previous.files, kind=previous.kind))
            await self._ask_subs(ctx)
        elif captioned:  # the photo the captions were written for
            entry = await _media_entry(ctx, FileRef(**captioned), "")
            save(ctx, SUBS, replace(draft, files=(entry,), kind="image"))
            await self._ask_subs(ctx)
        else:
            await self.prompt(ctx)

    async def _suggest(self, ctx: FlowContext) -> None:
        """Titles from the caption engine: for the photo (its hints), the photo's caption
        or the post's text, and the first subreddit's title rules when already known."""
        draft = draft_of(ctx)
        subs = draft.subs
        rules = await ctx.core.reddit.subreddits.get(ctx.session, subs[0]) if subs else None
        files = draft.files
        image = await ctx.download(files[0].file) if files else None
        described = (files[0].caption if files else None) or draft.body or ""
        nsfw = ctx.nsfw_ok
        if rules is not None and rules.known and nsfw:
            nsfw = rules.over18
        brief = CaptionBrief(" ".join(described.split())[:500], platform=Platform.REDDIT,
                             subreddit=subs[0] if subs else None, nsfw=nsfw,
                             count=TITLE_OPTIONS)
        try:
            batch = await ctx.core.captions.generate(
                ctx.session, ctx.user, brief, image=image, release=ctx.checkpoint,
                allow_nsfw=ctx.nsfw_ok, idempotency_key=ctx.charge_key("caption"),
                rules=_title_rules(rules) if rules is not None and rules.known else None)
        except UserFacingError as exc:
            plans = ctx.core.settings.limits.captions_per_day
            await ctx.reply(t.OWN_TITLE_STILL.format(
                reason=caption_render.problem_text(exc, plans)))
            return
        ids = tuple(o.id for o in batch.options if o.id is not None)
        save(ctx, None, replace(draft_of(ctx), suggested=ids))
        lines = "\n".join(t.SUGGESTION_LINE.format(n=n, title=o.title)
                          for n, o in enumerate(batch.options, 1))
        rows = [[ctx.button(t.USE_TITLE.format(n=n), "title", str(o.id))
                 for n, o in enumerate(batch.options, 1) if o.id is not None],
                [ctx.button(t.MORE_TITLES, "suggest")]]
        await ctx.reply(t.SUGGESTED.format(lines=lines), rows)

    async def _take_suggestion(self, ctx: FlowContext, arg: str) -> None:
        """A suggested title, if it is one of the latest batch (older buttons expire)."""
        if not arg.isdigit() or int(arg) not in draft_of(ctx).suggested:
            raise ButtonExpired
        option = await ctx.core.captions.use_option(ctx.session, ctx.user, int(arg))
        if option is None:
            raise ButtonExpired
        save(ctx, SUBS, replace(draft_of(ctx), title=option.title, suggested=()))
        await ctx.reply(t.TITLE_CHOSEN.format(title=option.title))
        await self._ask_subs(ctx)

    async def _ask_subs(self, ctx: FlowContext) -> None:
        chosen = list(draft_of(ctx).subs)
        picks = ctx.core.reddit.subreddits.suggest(
            nsfw=ctx.nsfw_ok, exclude=chosen, limit=SUGGESTIONS)
        rows = [[ctx.button(f"r/{n}", "sub", n) for n in picks[i:i + 2]]
                for i in range(0, len(picks), 2)]
        rows.append([ctx.button(t.DONE, "done")])
        text = (t.SUBS_SO_FAR.format(subs=", ".join(f"r/{s}" for s in chosen))
                if chosen else t.ASK_SUBREDDITS)
        await ctx.reply(text, rows)

    async def _add_subs(self, ctx: FlowContext, names: list[str]) -> None:
        draft = draft_of(ctx)
        chosen = list(draft.subs)
        for raw in names:
            key = subreddit_key(raw)
            if valid_subreddit_name(key) and key not in chosen:
                chosen.append(key)
        save(ctx, None, replace(draft, subs=tuple(chosen)))
        await self._ask_subs(ctx)

    async def _subs_done(self, ctx: FlowContext) -> None:
        if not draft_of(ctx).subs:
            await ctx.reply(t.NO_SUBS)
            return
        accounts = [a for a in await ctx.core.reddit.accounts.list(ctx.session, ctx.user.id)
                    if a.status == AccountStatus.ACTIVE]
        if len(accounts) > 1:
            ctx.goto(ACCOUNT)
            await self._ask_account(ctx)
            return
        account_id = accounts[0].id if accounts else None
        save(ctx, steps.RESOLVE, replace(draft_of(ctx), account_id=account_id))
        await steps.check_all(ctx)


    async def _ask_account(self, ctx: FlowContext, page: int = 0) -> None:
        """Which account posts: one button each, a page at a time."""
        accounts = [a for a in await ctx.core.reddit.accounts.list(ctx.session, ctx.user.id)
                    if a.status == AccountStatus.ACTIVE]
        rows = [[ctx.button(fit_label(f"u/{a.username}"), "acct", str(a.id))]
                for a in accounts]
        await ctx.reply(t.ASK_ACCOUNT, ctx.paged(rows, page, "accts"))


async def _scheduling(ctx: FlowContext, action: str, args: tuple[str, ...]) -> None:
    """Schedule, Best time, the spacing answer and the time zone (post_when)."""
    if action == "when":
        await when.ask_when(ctx)
    elif action == "best":
        await when.best(ctx, run.space_flag(args))
    elif action == "sched":
        await when.commit(ctx, "sched", run.space_flag(args))
    elif action == "zone":
        await when.ask_zone(ctx, args[0] if args else "at")
    elif args:
        await when.zone_pressed(ctx, args)
    else:
        raise ButtonExpired


async def _media_entry(ctx: FlowContext, file: FileRef, caption: str | None) -> MediaEntry:
    """What the flow keeps of a photo: the transport's reference and a content hash
    (for the duplicate check), never the bytes."""
    data = await ctx.download(file)
    return MediaEntry(file, hashlib.sha256(data).hexdigest(), caption)


async def _ask_title(ctx: FlowContext, text: str) -> None:
    """Ask for the title, with a button to have the caption engine suggest some."""
    rows = [[ctx.button(t.SUGGEST_TITLES, "suggest")]] if getattr(ctx.core, "captions", None) \
        else []
    rows.append([info_button(ctx, "title-limit", help_texts.TITLE_LIMIT_INFO)])
    await ctx.reply(text, rows)


def _title_rules(rules: SubredditRules) -> TitleRules:
    """A subreddit's title rules as the caption engine's fitting reads them."""
    return TitleRules(min_len=rules.title_min or 1, max_len=rules.effective_title_max,
                      required_tags=rules.title_required_strings,
                      banned_words=rules.title_blacklisted_strings)


def connect_button(url: str) -> Button:
    return Button(t.CONNECT_BUTTON, url=url)
