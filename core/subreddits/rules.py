"""One subreddit's posting rules, normalised from Reddit's `about`, `post_requirements`,
`rules` and flair endpoints into a small JSON-friendly value.

This is the one shape of subreddit rules in the project: the bundled set
(core/subreddits/data/subreddits.json), the database cache of rules fetched live, the
/post rule check and the caption engine's title fitting all read it, so a caption
written for a subreddit is judged by the same rules that /post applies.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

REDDIT_TITLE_MAX = 300
GALLERY_MIN = 2
GALLERY_MAX = 20


@dataclass(frozen=True)
class Flair:
    id: str
    text: str
    editable: bool = False


@dataclass(frozen=True)
class SubredditRules:
    name: str
    known: bool = True
    over18: bool = False
    subreddit_type: str = "public"  # public | restricted | private | archived | ...
    submission_type: str = "any"  # any | link | self
    allow_images: bool = True
    allow_galleries: bool = True
    user_is_banned: bool = False
    user_is_contributor: bool = False
    flair_required: bool = False
    flairs: tuple[Flair, ...] = ()
    title_min: int | None = None
    title_max: int | None = None
    title_regexes: tuple[str, ...] = ()
    title_required_strings: tuple[str, ...] = ()
    title_blacklisted_strings: tuple[str, ...] = ()
    body_policy: str = "none"  # none | required | notAllowed
    body_min: int | None = None
    body_max: int | None = None
    body_regexes: tuple[str, ...] = ()
    body_required_strings: tuple[str, ...] = ()
    body_blacklisted_strings: tuple[str, ...] = ()
    link_policy: str = "none"  # none | whitelist | blacklist
    domain_whitelist: tuple[str, ...] = ()
    domain_blacklist: tuple[str, ...] = ()
    link_repost_age_days: int | None = None
    gallery_min: int | None = None
    gallery_max: int | None = None
    gallery_captions: str = "none"  # none | required
    guidelines: str = ""
    rules: tuple[str, ...] = field(default_factory=tuple)
    subscribers: int = 0  # 0: not known (bundled rules); a feature of the engagement score

    @property
    def effective_title_max(self) -> int:
        return min(self.title_max or REDDIT_TITLE_MAX, REDDIT_TITLE_MAX)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SubredditRules:
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {k: v for k, v in data.items() if k in known}
        values["flairs"] = tuple(Flair(**f) for f in data.get("flairs") or ())
        for key, value in list(values.items()):
            if isinstance(value, list):
                values[key] = tuple(value)
        return cls(**values)

    @classmethod
    def unknown(cls, name: str) -> SubredditRules:
        return cls(name=name, known=False)

    @classmethod
    def from_reddit(
        cls,
        about: dict[str, Any],
        requirements: dict[str, Any],
        rules: dict[str, Any] | None = None,
        flairs: list[dict[str, Any]] | None = None,
    ) -> SubredditRules:
        """Normalise Reddit's raw JSON (about's `data`, post_requirements, rules, flairs)."""
        req = requirements or {}
        rule_lines = tuple(
            f"{r.get('short_name', '').strip()}: {r.get('description', '').strip()}".strip(": ")
            for r in (rules or {}).get("rules", [])
        )
        return cls(
            name=about.get("display_name") or "",
            over18=bool(about.get("over18")),
            subreddit_type=about.get("subreddit_type") or "public",
            submission_type=about.get("submission_type") or "any",
            allow_images=about.get("allow_images", True) is not False,
            allow_galleries=about.get("allow_galleries", True) is not False,
            user_is_banned=bool(about.get("user_is_banned")),
            user_is_contributor=bool(about.get("user_is_contributor")),
            flair_required=bool(req.get("is_flair_required")),
            flairs=tuple(_flair(f) for f in flairs or ()),
            title_min=req.get("title_text_min_length"),
            title_max=req.get("title_text_max_length"),
            title_regexes=tuple(req.get("title_regexes") or ()),
            title_required_strings=tuple(req.get("title_required_strings") or ()),
            title_blacklisted_strings=tuple(req.get("title_blacklisted_strings") or ()),
            body_policy=req.get("body_restriction_policy") or "none",
            body_min=req.get("body_text_min_length"),
            body_max=req.get("body_text_max_length"),
            body_regexes=tuple(req.get("body_regexes") or ()),
            body_required_strings=tuple(req.get("body_required_strings") or ()),
            body_blacklisted_strings=tuple(req.get("body_blacklisted_strings") or ()),
            link_policy=req.get("link_restriction_policy") or "none",
            domain_whitelist=tuple(d.lower() for d in req.get("domain_whitelist") or ()),
            domain_blacklist=tuple(d.lower() for d in req.get("domain_blacklist") or ()),
            link_repost_age_days=req.get("link_repost_age"),
            gallery_min=req.get("gallery_min_items"),
            gallery_max=req.get("gallery_max_items"),
            gallery_captions=req.get("gallery_captions_requirement") or "none",
            guidelines=req.get("guidelines_text") or "",
            rules=rule_lines,
            subscribers=int(about.get("subscribers") or 0),
        )


def _flair(raw: dict[str, Any]) -> Flair:
    """Accepts both flairselector `choices` and link_flair_v2 template shapes."""
    return Flair(
        id=str(raw.get("flair_template_id") or raw.get("id") or ""),
        text=str(raw.get("flair_text") or raw.get("text") or ""),
        editable=bool(raw.get("flair_text_editable") or raw.get("text_editable")),
    )
