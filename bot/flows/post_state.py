"""What /post remembers between messages, typed (like the caption flow's `CaptionBrief`).

The draft lives in the conversation row as JSON (`PostDraft.to_dict`), so a restart or
another process picks it up. It is small: photos stay with the chat transport (a file
reference and a content hash), never bytes. `targets` hold one entry per chosen
subreddit with that subreddit's own title, flair, NSFW mark and body (their rules
differ), plus the posting engine's job and target ids once it was handed over
(core.posting keeps the exactly-once protocol; the draft only remembers what it made,
so a retried "Post now" reuses those jobs) and whether it is live (`posted`, `link`).

Stored drafts carry `v`. A draft from before versioning (no `v`) has the same shape and
loads; one this code cannot read (a newer version, or damaged) raises `DraftOutdated`,
and the flow starts over with a friendly word instead of failing on every message.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from bot.conversation.context import FlowContext
from bot.conversation.events import FileRef

VERSION = 1
IMAGE_KINDS = ("image", "gallery")


class DraftOutdated(Exception):
    """A stored draft this version cannot read."""


@dataclass(frozen=True)
class MediaEntry:
    """A photo as the flow keeps it: the transport's reference and a content hash."""

    file: FileRef
    sha: str
    caption: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"file": asdict(self.file), "sha": self.sha, "caption": self.caption}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MediaEntry:
        return cls(FileRef(**data["file"]), str(data["sha"]), data.get("caption"))


@dataclass(frozen=True)
class Target:
    """One subreddit of this post: what goes there and how far posting it got."""

    sub: str
    title: str = ""
    nsfw: bool = False
    flair_id: str | None = None
    flair_text: str | None = None
    body: str | None = None
    kind: str | None = None  # set when this target got its own photo (a fix)
    files: tuple[MediaEntry, ...] = ()
    skip: bool = False
    ok_warn: bool = False
    job_id: int | None = None  # the posting engine's job and target for this subreddit
    target_id: int | None = None
    posted: bool = False
    link: str | None = None

    @property
    def pending(self) -> bool:
        """Still to be posted: neither skipped nor already live."""
        return not self.skip and not self.posted

    def to_dict(self) -> dict[str, Any]:
        return {**_plain(self), "files": [f.to_dict() for f in self.files]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Target:
        known = _known(cls, data)
        known["files"] = tuple(MediaEntry.from_dict(f) for f in data.get("files") or [])
        return cls(**known)


@dataclass(frozen=True)
class PostDraft:
    kind: str | None = None  # image | gallery | link | text
    files: tuple[MediaEntry, ...] = ()
    url: str | None = None
    body: str | None = None
    title: str = ""
    subs: tuple[str, ...] = ()
    suggested: tuple[int, ...] = ()  # ids of the latest suggested titles
    account_id: int | None = None
    targets: tuple[Target, ...] = ()
    fixing: int | None = None  # the target whose title/body/photo is asked for
    field: str | None = None  # "title" or "body" while fixing text
    nonce: str = ""  # makes the engine's idempotency keys: one set of jobs per draft
    at: str | None = None  # the time picked for Schedule (ISO-8601, UTC)

    def with_target(self, i: int, target: Target) -> PostDraft:
        targets = list(self.targets)
        targets[i] = target
        return replace(self, targets=tuple(targets))

    def files_of(self, target: Target) -> tuple[MediaEntry, ...]:
        return target.files or self.files

    def kind_of(self, target: Target) -> str:
        return str(target.kind or self.kind)

    def to_dict(self) -> dict[str, Any]:
        return {
            **_plain(self),
            "v": VERSION,
            "files": [f.to_dict() for f in self.files],
            "subs": list(self.subs),
            "suggested": list(self.suggested),
            "targets": [t.to_dict() for t in self.targets],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PostDraft:
        if data.get("v", VERSION) != VERSION:
            raise DraftOutdated(f"draft version {data.get('v')!r}")
        try:
            known = _known(cls, data)
            known.update(
                files=tuple(MediaEntry.from_dict(f) for f in data.get("files") or []),
                subs=tuple(str(s) for s in data.get("subs") or []),
                suggested=tuple(int(i) for i in data.get("suggested") or []),
                targets=tuple(Target.from_dict(t) for t in data.get("targets") or []),
            )
            return cls(**known)
        except (KeyError, TypeError, ValueError) as exc:
            raise DraftOutdated(str(exc)) from exc


def _plain(obj: Target | PostDraft) -> dict[str, Any]:
    """The scalar fields (nested ones are converted by the caller)."""
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def _known(cls: type[Target] | type[PostDraft], data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def draft_of(ctx: FlowContext) -> PostDraft:
    """This conversation's draft (an empty one outside /post); `DraftOutdated` if the
    stored one can't be read."""
    return PostDraft.from_dict(ctx.data)


def save(ctx: FlowContext, step: str | None, draft: PostDraft) -> None:
    """Enter `step` (None: stay) with `draft` as the whole of the flow's state."""
    ctx.goto(step or ctx.step or "", **draft.to_dict())
