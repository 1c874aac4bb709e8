"""From a ready /post draft to posting-engine jobs (core.posting), now or later.

The chat never posts by itself: every subreddit of a draft becomes a target of a job
in core's posting engine, which owns the exactly-once protocol (claim, attempted mark,
posted mark, reconciliation) for chat, CLI and scheduler alike. A job has one kind,
text, set of photos and NSFW mark for all its subreddits while a draft's targets may
differ (one got its own photo, text or NSFW mark after a fix), so targets that share
all of those - and their due time - become one job. That is also what lets the engine
space one photo out over its subreddits.

Idempotency keys come from the draft's nonce, so a retried press (a double tap handled
by another process, a takeover after a crash) finds the jobs it made instead of
making them twice.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from bot.conversation.context import FlowContext
from bot.flows.post_state import IMAGE_KINDS, PostDraft, Target, draft_of, save
from bot.flows.post_steps import request_for
from core.posting.service import JobView, PostingService, TargetSpec
from core.reddit.types import MediaItem
from core.texts import schedule as ts

Due = Callable[[Target], datetime]


def posting(ctx: FlowContext) -> PostingService:
    return PostingService(ctx.core)


def with_nonce(ctx: FlowContext) -> PostDraft:
    """The draft, with the nonce its jobs' idempotency keys are made from."""
    draft = draft_of(ctx)
    if not draft.nonce:
        draft = replace(draft, nonce=secrets.token_hex(8))
        save(ctx, None, draft)
    return draft


def unqueued(draft: PostDraft) -> list[int]:
    """Targets still to hand to the engine (pending, no job yet)."""
    return [i for i, t in enumerate(draft.targets) if t.pending and t.target_id is None]


def _key(draft: PostDraft, target: Target, due: datetime) -> tuple[object, ...]:
    files = tuple(f.sha for f in draft.files_of(target)) \
        if draft.kind_of(target) in IMAGE_KINDS else ()
    body = target.body if target.body is not None else draft.body
    return (draft.kind_of(target), files, body, target.nsfw, draft.url, due)


def groups(draft: PostDraft, indexes: list[int], due: Due) -> list[list[int]]:
    """`indexes` split into jobs: same content, same NSFW mark, same due time."""
    found: dict[tuple[object, ...], list[int]] = {}
    for i in indexes:
        target = draft.targets[i]
        found.setdefault(_key(draft, target, due(target)), []).append(i)
    return list(found.values())


def crowded(ctx: FlowContext, draft: PostDraft, indexes: list[int], due: Due
            ) -> tuple[int, timedelta, datetime, list[int]] | None:
    """The largest same-photo group the engine would space out: (subreddits, gap,
    first due time, its target indexes); None when nothing needs spacing."""
    service = posting(ctx)
    worst = None
    for group in groups(draft, indexes, due):
        first = draft.targets[group[0]]
        if draft.kind_of(first) not in IMAGE_KINDS:
            continue
        placeholder = request_for(draft, first)
        gap = service.spacing(placeholder, len(group))
        if gap > timedelta(0) and (worst is None or len(group) > worst[0]):
            worst = (len(group), gap, due(first), group)
    return worst


async def download(ctx: FlowContext, draft: PostDraft, indexes: list[int]
                   ) -> dict[str, bytes]:
    """Each photo of `indexes`, once (targets often share them). Commits first
    (FlowContext.download), so call it before claiming the run."""
    blobs: dict[str, bytes] = {}
    for i in indexes:
        target = draft.targets[i]
        if draft.kind_of(target) not in IMAGE_KINDS:
            continue
        for f in draft.files_of(target):
            if f.file.file_id not in blobs:
                blobs[f.file.file_id] = await ctx.download(f.file)
    return blobs


async def create_jobs(ctx: FlowContext, draft: PostDraft, account_id: int,
                      blobs: dict[str, bytes], indexes: list[int], due: Due, *, space: bool
                      ) -> tuple[PostDraft, list[JobView]]:
    """Queue `indexes` in the engine; the draft comes back with job/target ids."""
    service = posting(ctx)
    views = []
    for group in groups(draft, indexes, due):
        first = draft.targets[group[0]]
        images: tuple[MediaItem, ...] = ()
        if draft.kind_of(first) in IMAGE_KINDS:
            images = tuple(MediaItem(blobs[f.file.file_id], f.file.filename or "photo.jpg",
                                     f.caption or "") for f in draft.files_of(first))
        request = request_for(draft, first, images)
        subs = "+".join(str(i) for i in group)
        if len(subs) > 48:
            subs = hashlib.sha256(subs.encode()).hexdigest()[:24]
        view = await service.create_job(
            user_id=ctx.user.id, account_id=account_id, request=request, source="chat",
            due_at=due(first), space=space,
            idempotency_key=f"chat:{ctx.row.id}:{draft.nonce}:{subs}:{int(space)}",
            targets=[TargetSpec(draft.targets[i].sub, draft.targets[i].title or draft.title,
                                draft.targets[i].flair_id, draft.targets[i].flair_text)
                     for i in group])
        for i, target_view in zip(group, view.targets, strict=True):
            draft = draft.with_target(i, replace(draft.targets[i], job_id=view.id,
                                                 target_id=target_view.id))
        views.append(view)
    return draft, views


def spacing_lines(ctx: FlowContext, draft: PostDraft, group: list[int], first: datetime,
                  gap: timedelta) -> str:
    from bot.flows.post_zone import shown

    return "\n".join(ts.SCHEDULED_LINE.format(sub=draft.targets[i].sub,
                                              when=shown(ctx, first + gap * n))
                     for n, i in enumerate(group))
