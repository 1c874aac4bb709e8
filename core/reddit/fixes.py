"""Fixes for fixable issues, applied to a `PostRequest` before anything is posted.

`auto_fix` does what needs no decision (mark NSFW, add the one required tag, drop
banned words, shorten, pick the only flair, drop a body the subreddit forbids). The
choices (which flair, which tag) are applied with `with_flair` / `with_tag`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from core.reddit.check import FIXABLE, Verdict
from core.reddit.requirements import SubredditRules
from core.reddit.types import PostRequest


def add_tag(title: str, tag: str) -> str:
    """Bracketed tags like [F] or (OC) lead the title; other required words follow it."""
    title = title.strip()
    if tag.lower() in title.lower():
        return title
    if tag[:1] in "[(" or len(tag) <= 4:
        return f"{tag} {title}".strip()
    return f"{title} {tag}".strip()


def remove_words(title: str, words: tuple[str, ...]) -> str:
    for word in words:
        title = re.sub(re.escape(word), " ", title, flags=re.IGNORECASE)
    return " ".join(title.split())


def shorten(title: str, limit: int, keep: tuple[str, ...] = ()) -> str:
    """Cut at a word boundary; never cut away a required tag."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    cut = title[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,.;:-") + "…"
    for tag in keep:
        if tag.lower() in title.lower() and tag.lower() not in cut.lower():
            return shorten(add_tag(remove_words(title, (tag,)), tag), limit)
    return cut if len(cut) <= limit else title[:limit]


def auto_fix(
    request: PostRequest, rules: SubredditRules, verdict: Verdict
) -> tuple[PostRequest, list[str]]:
    """Apply every `auto` fix in `verdict`; returns the new request and what was done."""
    applied: list[str] = []
    for issue in verdict.issues:
        if issue.severity != FIXABLE or issue.fix != "auto":
            continue
        if issue.code == "nsfw_required":
            request = replace(request, nsfw=True)
        elif issue.code == "title_banned_words":
            request = replace(request, title=remove_words(request.title, issue.options))
        elif issue.code == "title_needs_tag":
            request = with_tag(request, issue.options[0], rules)
        elif issue.code == "flair_required":
            request = with_flair(request, issue.options[0], rules)
        elif issue.code == "body_not_allowed":
            request = replace(request, body=None)
        elif issue.code != "title_too_long":
            continue
        applied.append(issue.code)
    if len(request.title.strip()) > rules.effective_title_max:
        request = replace(request, title=shorten(
            request.title, rules.effective_title_max, rules.title_required_strings))
        if "title_too_long" not in applied:
            applied.append("title_too_long")
    return request, applied


def with_tag(request: PostRequest, tag: str, rules: SubredditRules) -> PostRequest:
    title = add_tag(request.title, tag)
    return replace(request, title=shorten(title, rules.effective_title_max, (tag,)))


def with_flair(request: PostRequest, flair_id: str, rules: SubredditRules) -> PostRequest:
    flair = next((f for f in rules.flairs if f.id == flair_id), None)
    if flair is None:
        raise ValueError(f"r/{rules.name} has no flair {flair_id!r}")
    return replace(request, flair_id=flair.id, flair_text=None)
