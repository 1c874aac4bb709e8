"""The rule check: does this post fit this subreddit, before anything is sent?

`check()` is pure: rules + request + what we know of the user's recent posts in, a
`Verdict` out. Each `Issue` has a stable code (worded by core/texts/reddit.py), a
severity and, when it can be fixed inside the flow, how: `auto` (fixes.auto_fix does
it), `choose_flair`, `choose_tag`, `new_title`, `need_image`, `need_body`.
Warnings (cooldown, duplicates) only need the user's "post anyway".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from core.reddit.requirements import GALLERY_MAX, GALLERY_MIN, SubredditRules
from core.reddit.types import PostRequest
from core.subreddits.titles import banned_in, has_required, matches_patterns

BLOCKER, FIXABLE, WARNING = "blocker", "fixable", "warning"


@dataclass(frozen=True)
class Issue:
    code: str
    severity: str
    fix: str | None = None
    options: tuple[str, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class History:
    """Facts from our own post history that the check needs (see history.py)."""

    last_here_at: datetime | None = None  # this account, this subreddit
    cooldown_ends_at: datetime | None = None
    duplicate_content_in: str | None = None  # subreddit where the same image/link went
    duplicate_title_in: str | None = None
    reposted_link: bool = False  # same link here within the repost age


@dataclass(frozen=True)
class Verdict:
    subreddit: str
    issues: tuple[Issue, ...] = ()

    @property
    def status(self) -> str:
        severities = {i.severity for i in self.issues}
        for severity, status in ((BLOCKER, "blocked"), (FIXABLE, "fixable"), (WARNING, "warn")):
            if severity in severities:
                return status
        return "ok"

    def of(self, severity: str) -> list[Issue]:
        return [i for i in self.issues if i.severity == severity]

    def to_dict(self) -> dict[str, Any]:
        return {"subreddit": self.subreddit, "status": self.status,
                "issues": [asdict(i) for i in self.issues]}


def check(
    request: PostRequest,
    rules: SubredditRules,
    *,
    nsfw_allowed: bool,
    history: History | None = None,
    nsfw_place: bool = True,
) -> Verdict:
    issues: list[Issue] = []
    add = issues.append
    sub = rules.name or request.subreddit
    if not rules.known:
        add(Issue("rules_unknown", WARNING, params={"subreddit": sub}))
    issues.extend(_access(rules, nsfw_allowed, sub, nsfw_place))
    issues.extend(_kind(request, rules))
    issues.extend(_title(request.title, rules))
    issues.extend(_body(request, rules))
    issues.extend(_flair(request, rules))
    if rules.over18 and not request.nsfw:
        add(Issue("nsfw_required", FIXABLE, fix="auto"))
    if history is not None:
        issues.extend(_history(history, request))
    return Verdict(subreddit=sub, issues=tuple(issues))


def _access(rules: SubredditRules, nsfw_allowed: bool, sub: str, nsfw_place: bool = True
            ) -> list[Issue]:
    """`nsfw_place` False: asked from a shared channel without an age restriction, so
    an adult subreddit is refused there even for a creator who turned adult on."""
    out = []
    if rules.user_is_banned:
        out.append(Issue("banned", BLOCKER, params={"subreddit": sub}))
    closed = ("private", "restricted", "gold_restricted", "employees_only")
    if rules.subreddit_type in closed and not rules.user_is_contributor:
        out.append(Issue("sub_restricted", BLOCKER, params={"subreddit": sub}))
    if rules.subreddit_type == "archived":
        out.append(Issue("sub_archived", BLOCKER, params={"subreddit": sub}))
    if rules.over18 and not nsfw_allowed:
        out.append(Issue("adult_optin_needed", BLOCKER, params={"subreddit": sub}))
    elif rules.over18 and not nsfw_place:
        out.append(Issue("adult_place_needed", BLOCKER, params={"subreddit": sub}))
    return out


def _kind(request: PostRequest, rules: SubredditRules) -> list[Issue]:
    kind, out = request.kind, []
    media = kind in ("image", "gallery")
    if rules.submission_type == "self" and kind != "text":
        out.append(Issue("text_only", BLOCKER))
    if rules.submission_type == "link" and kind == "text":
        severity, fix = (FIXABLE, "need_image") if rules.allow_images else (BLOCKER, None)
        out.append(Issue("images_only" if rules.allow_images else "links_only", severity, fix))
    if media and not rules.allow_images:
        out.append(Issue("no_images", BLOCKER))
    if kind == "gallery":
        n = len(request.images)
        low, high = max(rules.gallery_min or GALLERY_MIN, GALLERY_MIN), min(
            rules.gallery_max or GALLERY_MAX, GALLERY_MAX
        )
        if not rules.allow_galleries:
            out.append(Issue("no_galleries", BLOCKER))
        elif not low <= n <= high:
            out.append(Issue("gallery_size", BLOCKER, params={"min": low, "max": high, "n": n}))
        if rules.gallery_captions == "required" and not all(i.caption for i in request.images):
            out.append(Issue("gallery_captions_required", BLOCKER))
    if kind == "link":
        domain = request.domain or ""
        if _listed(domain, rules.domain_blacklist):
            out.append(Issue("domain_banned", BLOCKER, params={"domain": domain}))
        elif rules.domain_whitelist and not _listed(domain, rules.domain_whitelist):
            out.append(Issue("domain_not_allowed", BLOCKER, params={
                "domain": domain, "allowed": ", ".join(rules.domain_whitelist[:5])}))
    return out


def _listed(domain: str, names: tuple[str, ...]) -> bool:
    """`i.imgur.com` is listed when `imgur.com` is."""
    return any(domain == d or domain.endswith("." + d) for d in names)


def _title(title: str, rules: SubredditRules) -> list[Issue]:
    out, stripped = [], title.strip()
    if not stripped:
        return [Issue("title_missing", FIXABLE, fix="new_title")]
    if rules.title_min and len(stripped) < rules.title_min:
        out.append(Issue("title_too_short", FIXABLE, fix="new_title",
                         params={"min": rules.title_min}))
    if len(stripped) > rules.effective_title_max:
        out.append(Issue("title_too_long", FIXABLE, fix="auto",
                         params={"max": rules.effective_title_max}))
    banned = banned_in(stripped, rules.title_blacklisted_strings)
    if banned:
        out.append(Issue("title_banned_words", FIXABLE, fix="auto",
                         options=tuple(banned), params={"words": ", ".join(banned)}))
    required = rules.title_required_strings
    if not has_required(stripped, required):
        fix = "auto" if len(required) == 1 else "choose_tag"
        out.append(Issue("title_needs_tag", FIXABLE, fix=fix, options=tuple(required),
                         params={"tags": " or ".join(required)}))
    if not matches_patterns(rules.title_regexes, stripped):
        out.append(Issue("title_pattern", FIXABLE, fix="new_title",
                         params={"guidelines": rules.guidelines}))
    return out


def _body(request: PostRequest, rules: SubredditRules) -> list[Issue]:
    body = (request.body or "").strip()
    policy, out = rules.body_policy, list[Issue]()
    if policy == "notAllowed" and body:
        return [Issue("body_not_allowed", FIXABLE, fix="auto")]
    if policy == "required" and not body:
        return [Issue("body_required", FIXABLE, fix="need_body")]
    if not body and request.kind != "text":
        return out
    if rules.body_min and len(body) < rules.body_min:
        out.append(Issue("body_too_short", FIXABLE, fix="need_body",
                         params={"min": rules.body_min}))
    if rules.body_max and len(body) > rules.body_max:
        out.append(Issue("body_too_long", FIXABLE, fix="need_body",
                         params={"max": rules.body_max}))
    banned = banned_in(body, rules.body_blacklisted_strings)
    required = rules.body_required_strings
    if banned or not has_required(body, required) or (
        not matches_patterns(rules.body_regexes, body)
    ):
        out.append(Issue("body_rules", FIXABLE, fix="need_body", params={
            "banned": ", ".join(banned), "required": " or ".join(required)}))
    return out


def _flair(request: PostRequest, rules: SubredditRules) -> list[Issue]:
    ids = tuple(f.id for f in rules.flairs)
    if request.flair_id and ids and request.flair_id not in ids:
        return [Issue("flair_invalid", FIXABLE, fix="choose_flair", options=ids)]
    if rules.flair_required and not request.flair_id:
        if not ids:
            return [Issue("flair_unavailable", BLOCKER)]
        fix = "auto" if len(ids) == 1 else "choose_flair"
        return [Issue("flair_required", FIXABLE, fix=fix, options=ids)]
    return []


def _history(history: History, request: PostRequest) -> list[Issue]:
    out = []
    if history.reposted_link:
        out.append(Issue("repost", BLOCKER))
    if history.cooldown_ends_at is not None:
        out.append(Issue("cooldown", WARNING, params={"until": history.cooldown_ends_at}))
    if history.duplicate_content_in is not None:
        code = "duplicate_image" if request.kind in ("image", "gallery") else "duplicate_link"
        out.append(Issue(code, WARNING, params={"where": history.duplicate_content_in}))
    if history.duplicate_title_in is not None:
        out.append(Issue("duplicate_title", WARNING, params={"where": history.duplicate_title_in}))
    return out
