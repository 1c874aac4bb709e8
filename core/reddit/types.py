"""Value types shared by the rule check, the poster and (later) the scheduler."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

KINDS = ("image", "gallery", "link", "text")


@dataclass(frozen=True)
class MediaItem:
    """One image to upload; `caption` is used for gallery items."""

    data: bytes
    filename: str
    caption: str = ""


@dataclass(frozen=True)
class PostRequest:
    """Everything needed to make one post in one subreddit."""

    subreddit: str
    kind: str  # image | gallery | link | text
    title: str
    images: tuple[MediaItem, ...] = ()
    url: str | None = None
    body: str | None = None  # the text of a text post, optional body of the others
    nsfw: bool = False
    spoiler: bool = False
    flair_id: str | None = None
    flair_text: str | None = None
    first_comment: str | None = None
    # Precomputed content hash, for checks made before the media bytes are at hand.
    content_key: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown post kind {self.kind!r}")

    @property
    def subreddit_key(self) -> str:
        return subreddit_key(self.subreddit)

    @property
    def domain(self) -> str | None:
        if self.kind != "link" or not self.url:
            return None
        host = (urlsplit(self.url).hostname or "").lower()
        return host.removeprefix("www.")

    def content_hash(self) -> str | None:
        """What makes two posts "the same content" for the duplicate warning."""
        if self.content_key is not None:
            return self.content_key
        if self.kind in ("image", "gallery") and self.images:
            return media_content_key(hashlib.sha256(item.data).digest() for item in self.images)
        if self.kind == "link" and self.url:
            return hashlib.sha256(self.url.strip().rstrip("/").lower().encode()).hexdigest()
        return None


@dataclass(frozen=True)
class PostResult:
    """What happened; `error` is a catalogue code with `params` when not `ok`."""

    ok: bool
    subreddit: str
    reddit_id: str | None = None
    permalink: str | None = None
    error: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    comment_error: str | None = None  # post went up but the first comment did not


def media_content_key(digests: Iterable[bytes]) -> str | None:
    """The content hash of a set of images, from each image's SHA-256 digest in order.

    The one definition of "same photos": `PostRequest.content_hash` uses it on bytes at
    hand, the chat flows on the digests they kept instead of the bytes. None if empty.
    """
    combined = hashlib.sha256()
    seen = False
    for digest in digests:
        combined.update(digest)
        seen = True
    return combined.hexdigest() if seen else None


_SUBREDDIT_NAME = re.compile(r"^[A-Za-z0-9_]{2,21}$")


def valid_subreddit_name(name: str) -> bool:
    """Whether `name` (without the r/ prefix) can be a subreddit: 2-21 letters, digits, _."""
    return bool(_SUBREDDIT_NAME.match(name))


def subreddit_key(name: str) -> str:
    name = name.strip()
    for prefix in ("/r/", "r/"):
        if name.lower().startswith(prefix):
            name = name[len(prefix) :]
    return name.strip("/").lower()


_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def title_key(title: str) -> str:
    """Case-, punctuation- and spacing-insensitive form for duplicate detection."""
    return " ".join(_NON_WORD.sub(" ", title.lower()).split())
