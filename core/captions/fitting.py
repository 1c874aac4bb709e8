"""Make every option fit: Reddit title rules, X's 280 characters, Instagram's 2,200
characters and 30 hashtags, a creator's banned words and emoji budget.

`fit_title` is public API for the Reddit posting flow too: it takes a subreddit's
`TitleRules` and returns a title that satisfies them (or the closest possible).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from core.captions.textutil import count_emoji, strip_emoji, tidy
from core.captions.types import DraftOption, Platform, Voice
from core.subreddits.rules import SubredditRules
from core.subreddits.titles import banned_in, compiled, has_required, matches_patterns

REDDIT_TITLE_MIN = 1
REDDIT_TITLE_MAX = 300
X_MAX = 280
INSTAGRAM_MAX = 2200
INSTAGRAM_MAX_TAGS = 30
PROMO_BIO_MAX = 1000
PROMO_TITLE_MAX = 120
REDDIT_BODY_MAX = 40_000
_PADDING = (" | new post", " | fresh from today", " | hope you like it")


@dataclass(frozen=True)
class TitleRules:
    """A subreddit's title rules as fitting reads them. `required_tags` is any-of (one
    must appear); `banned_words` are matched anywhere, case-insensitively, as Reddit
    does; `patterns` are the subreddit's title regexes (any one must match) and
    `facts` the creator's own words (the description) that fitting may borrow from to
    meet them, e.g. the year r/OldSchoolCool wants."""

    min_len: int = REDDIT_TITLE_MIN
    max_len: int = REDDIT_TITLE_MAX
    required_tags: tuple[str, ...] = ()
    banned_words: tuple[str, ...] = field(default=())
    patterns: tuple[str, ...] = ()
    guidelines: str = ""
    facts: str = ""

    @classmethod
    def from_subreddit(cls, rules: SubredditRules) -> TitleRules:
        """The title part of the shared subreddit rules (core.subreddits)."""
        return cls(
            min_len=max(rules.title_min or REDDIT_TITLE_MIN, REDDIT_TITLE_MIN),
            max_len=rules.effective_title_max,
            required_tags=rules.title_required_strings,
            banned_words=rules.title_blacklisted_strings,
            patterns=rules.title_regexes,
            guidelines=rules.guidelines,
        )

    def with_banned(self, words: tuple[str, ...]) -> TitleRules:
        return replace(self, banned_words=tuple(dict.fromkeys([*self.banned_words, *words])))

    def with_facts(self, text: str) -> TitleRules:
        return replace(self, facts=text)


def truncate(text: str, limit: int) -> str:
    """Cut at a word boundary and end with an ellipsis; never exceeds `limit`."""
    if len(text) <= limit:
        return text
    if limit <= 1:
        return text[:limit]
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—|") + "…"


_URL = re.compile(r"https?://\S+", re.IGNORECASE)


def remove_words(text: str, words: tuple[str, ...]) -> str:
    """Drop banned words (whole words, any case, simple plurals) and tidy up.

    Links are left whole: banning "onlyfans" must not cut the creator's own
    https://onlyfans.com/... link in half.
    """
    links: list[str] = []

    def hold(match: re.Match[str]) -> str:
        links.append(match.group())
        return f"\x00{len(links) - 1}\x00"

    text = _URL.sub(hold, text)
    for word in words:
        if word.strip():
            pattern = rf"(?<!\w){re.escape(word.strip())}(?:s|es)?(?!\w)"
            text = re.sub(pattern, "", text, flags=re.IGNORECASE)
    text = re.sub("\x00(\\d+)\x00", lambda m: links[int(m.group(1))], text)
    return tidy(text)


def drop_banned(text: str, strings: tuple[str, ...]) -> str:
    """Remove a subreddit's banned strings the way Reddit matches them: anywhere, any
    case. Whole words go first; a word that merely contains one ("myonlyfans", a link)
    goes whole, so no half-word is left behind."""
    text = remove_words(text, strings)
    for banned in strings:
        if banned.strip():
            text = re.sub(rf"\S*{re.escape(banned.strip())}\S*", " ", text, flags=re.IGNORECASE)
    return tidy(text)


def _tag_present(text: str, tags: tuple[str, ...]) -> str | None:
    lowered = text.lower()
    return next((tag for tag in tags if tag.lower() in lowered), None)


def _strip_tag(text: str, tag: str) -> str:
    return tidy(re.sub(re.escape(tag), " ", text, flags=re.IGNORECASE))


def _place_tag(text: str, tag: str) -> str:
    """`[F]`-style tags lead the title; `(f)`-style tags close it."""
    return f"{text} {tag}" if tag.startswith("(") else f"{tag} {text}"


def title_fits(title: str, rules: TitleRules) -> bool:
    """Whether `title` meets every one of `rules`, judged by the same predicates the
    /post rule check uses (core.subreddits.titles)."""
    text = title.strip()
    max_len = min(rules.max_len, REDDIT_TITLE_MAX)
    return (
        max(rules.min_len, REDDIT_TITLE_MIN) <= len(text) <= max_len
        and not banned_in(text, rules.banned_words)
        and has_required(text, rules.required_tags)
        and matches_patterns(rules.patterns, text)
    )


def _extras(rules: TitleRules) -> Iterator[str]:
    """What may be added to meet the title patterns: nothing, a closing question mark,
    or a fragment of the creator's own words that a pattern matches (a year, "24F", a
    resolution), bracketed when it is bare."""
    yield ""
    patterns = compiled(rules.patterns)
    if not patterns:
        return
    yield "?"
    for pattern in patterns:
        for match in pattern.finditer(rules.facts):
            fragment = match.group().strip()
            if fragment:
                if fragment[:1] not in "[(":
                    yield f"({fragment})"
                yield fragment


def _assemble(text: str, tag: str | None, extra: str, min_len: int, max_len: int) -> str:
    """Tag + text + extra, shortened (never the tag or extra) and padded to the limits."""
    reserve = (len(tag) + 1 if tag else 0) + (len(extra) + (extra != "?") if extra else 0)
    room = max(max_len - reserve, 1)
    text = truncate(text, room)
    for filler in _PADDING * 3:
        if len(text) + reserve >= min_len:
            break
        text = truncate(text + filler, room)
    if extra == "?":
        text = text.rstrip(" .!…,;:") + "?"
    elif extra:
        text = f"{text} {extra}"
    return _place_tag(text, tag) if tag else text


def fit_title(title: str, rules: TitleRules) -> str:
    """Return `title` adjusted to `rules` and to Reddit's own 1-300 characters.

    Order: collapse whitespace, remove banned strings, make sure one required tag is
    present (adding the first one if none is), meet the title patterns if it can,
    shorten at a word boundary keeping tag and pattern, pad if shorter than the minimum.
    When the patterns cannot be met (the creator never gave the year a subreddit wants)
    the best effort is returned; `needs_detail` tells the caller beforehand.
    """
    max_len = max(1, min(rules.max_len, REDDIT_TITLE_MAX))
    min_len = min(max(rules.min_len, REDDIT_TITLE_MIN), max_len)
    text = drop_banned(" ".join(title.split()), rules.banned_words) or "New post"
    tag = None
    if rules.required_tags:
        tag = _tag_present(text, rules.required_tags) or rules.required_tags[0]
        text = _strip_tag(text, tag) or "New post"
    first = None
    for extra in _extras(rules):
        candidate = _assemble(text, tag, extra, min_len, max_len)
        if title_fits(candidate, rules):
            return candidate
        first = first or candidate
    return first or text


def needs_detail(rules: TitleRules) -> bool:
    """True when no title could meet `rules.patterns` from what the creator told us
    (e.g. r/OldSchoolCool wants the year, and the description has none)."""
    if not rules.patterns:
        return False
    sample = fit_title("New post from today", rules)
    return not matches_patterns(rules.patterns, sample)


def full_text(option: DraftOption) -> str:
    """The caption as it would be pasted: title, body, then hashtags."""
    parts = [option.title]
    if option.body:
        parts.append(option.body)
    if option.hashtags:
        parts.append(" ".join(f"#{t}" for t in option.hashtags))
    return "\n\n".join(parts)


def _apply_voice(option: DraftOption, voice: Voice) -> DraftOption:
    title = remove_words(option.title, voice.banned_words)
    body = remove_words(option.body, voice.banned_words) if option.body else None
    banned = {w.lower() for w in voice.banned_words}
    tags = tuple(t for t in option.hashtags if t.lower() not in banned)
    title = strip_emoji(title, voice.emoji_budget)
    left = max(voice.emoji_budget - count_emoji(title), 0)
    body = strip_emoji(body, left) if body else None
    return DraftOption(title, body or None, tags)


def avoids(option: DraftOption, phrases: tuple[str, ...]) -> bool:
    """False when an option uses a phrase the creator asked us never to use."""
    text = full_text(option).lower()
    return not any(p.strip() and p.strip().lower() in text for p in phrases)


def fit_option(
    option: DraftOption, platform: Platform, voice: Voice, rules: TitleRules | None = None
) -> DraftOption:
    """Clamp one option to the platform's hard limits and the creator's voice."""
    option = _apply_voice(option, voice)
    tags = tuple(dict.fromkeys(t.lstrip("#") for t in option.hashtags if t.strip("#")))
    title, body = option.title, option.body
    if platform is Platform.REDDIT:
        rules = rules or TitleRules()  # the voice's banned words went in _apply_voice
        body = truncate(body, REDDIT_BODY_MAX) if body else None
        return DraftOption(fit_title(title, rules), body)
    if platform is Platform.X:
        text = f"{title} {body}" if body and len(title) + len(body) < X_MAX - 20 else title
        while tags and len(text) + len(" ".join(f"#{t}" for t in tags)) + 1 > X_MAX:
            tags = tags[:-1]
        room = X_MAX - (len(" ".join(f"#{t}" for t in tags)) + 1 if tags else 0)
        return DraftOption(truncate(text, room), None, tags)
    limit = INSTAGRAM_MAX if platform is Platform.INSTAGRAM else PROMO_BIO_MAX
    tags = tags[:INSTAGRAM_MAX_TAGS]
    if platform.is_promo_bio:
        title = truncate(title, PROMO_TITLE_MAX)
    fitted = DraftOption(truncate(title, limit), body, tags)
    while len(full_text(fitted)) > limit and fitted.hashtags:
        fitted = DraftOption(fitted.title, fitted.body, fitted.hashtags[:-1])
    if len(full_text(fitted)) > limit and fitted.body:
        room = limit - len(fitted.title) - 2
        fitted = DraftOption(fitted.title, truncate(fitted.body, room) if room > 10 else None)
    return fitted
