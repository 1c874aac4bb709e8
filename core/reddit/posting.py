"""Making one post with an open asyncpraw client: image, gallery, link or text.

Images go through Reddit's own media upload (asset lease -> upload -> websocket
result), galleries through `submit_gallery_post`, everything with NSFW/spoiler flags
and flair by template id, then an optional first comment. Errors propagate; the caller
(`RedditService.submit`) turns them into a `PostResult`.
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from core.imageshield.metadata import strip_metadata
from core.reddit.types import MediaItem, PostRequest

if TYPE_CHECKING:  # asyncpraw is loaded by the client that posts (core.reddit.client)
    import asyncpraw
    from asyncpraw.models import PostMedia, Submission

_MAGIC = (
    (b"\xff\xd8\xff", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"GIF87a", ".gif"),
    (b"GIF89a", ".gif"),
)
WEBSOCKET_TIMEOUT = 30


def media_name(item: MediaItem) -> str:
    """A file name whose extension matches the bytes (Reddit picks the MIME type by it)."""
    stem = PurePath(item.filename or "image").stem or "image"
    for magic, ext in _MAGIC:
        if item.data.startswith(magic):
            return stem + ext
    if item.data[:4] == b"RIFF" and item.data[8:12] == b"WEBP":
        return stem + ".webp"
    guessed, _ = mimetypes.guess_type(item.filename or "")
    return item.filename if guessed and guessed.startswith("image/") else stem + ".jpg"


def _media(item: MediaItem) -> PostMedia:
    from asyncpraw.models import PostMedia

    # The last door before Reddit: whatever path the photo came by (shielded, stored,
    # sent as a file with its EXIF), GPS and camera serials don't go through it.
    return PostMedia(strip_metadata(item.data), name=media_name(item))


async def submit_with(reddit: asyncpraw.Reddit, request: PostRequest) -> Submission | None:
    """Post `request`; `None` when Reddit accepted an image post but sent no link."""
    subreddit = await reddit.subreddit(request.subreddit_key)
    common: dict[str, Any] = {
        "nsfw": request.nsfw,
        "spoiler": request.spoiler,
        "flair_id": request.flair_id,
        "flair_text": request.flair_text,
    }
    body = request.body or None
    if request.kind == "image":
        return await subreddit.submit(
            request.title, image=_media(request.images[0]), selftext=body,
            timeout=WEBSOCKET_TIMEOUT, **common,
        )
    if request.kind == "gallery":
        gallery: list[PostMedia | dict[str, str | PostMedia]] = [
            {"media": _media(item), "caption": item.caption} for item in request.images
        ]
        return await subreddit.submit(request.title, gallery=gallery, selftext=body, **common)
    if request.kind == "link":
        if not request.url:  # PostRequest validation makes this unreachable
            raise ValueError("a link post needs a url")
        return await subreddit.submit(
            request.title, url=request.url, selftext=body, resubmit=False, **common
        )
    return await subreddit.submit(request.title, selftext=request.body or "", **common)


def permalink(reddit_url: str, subreddit: str, submission_id: str) -> str:
    return f"{reddit_url.rstrip('/')}/r/{subreddit}/comments/{submission_id}/"
