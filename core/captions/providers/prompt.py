"""The instructions an LLM gets: same content for every networked provider.

The model is asked for strict JSON; `parse` copes when it does not comply.
"""

from __future__ import annotations

from core.captions.providers.base import Job
from core.captions.types import Length, Platform, PromoMode

_PLATFORM = {
    Platform.REDDIT: "a Reddit post title (1-300 characters, no hashtags, no links in the "
    "title); body only if asked for a longer post",
    Platform.X: "an X (Twitter) post: the whole text including hashtags must stay under "
    "280 characters; 1-3 hashtags",
    Platform.INSTAGRAM: "an Instagram caption: a hook line as title, a short caption as "
    "body, 8-20 relevant hashtags (never more than 30)",
    Platform.ONLYFANS: "a bio-style promo blurb for OnlyFans: a short headline as title "
    "and a 2-3 sentence promo as body",
    Platform.FANSLY: "a bio-style promo blurb for Fansly: a short headline as title, a "
    "2-3 sentence promo as body and up to 5 hashtags",
}
_LENGTH = {
    Length.SHORT: "Keep every title short and punchy (under 60 characters).",
    Length.MEDIUM: "Titles of moderate length (under 120 characters).",
    Length.LONG: "Longer, more descriptive titles, and include a body of 2-3 sentences.",
}

SYSTEM = (
    "You write social media titles and captions for independent adult creators. "
    "Every person depicted or implied is a consenting adult aged 18 or older. Never "
    "mention or imply minors, school settings, age play, non-consent, incest, animals in "
    "a sexual context, or real or famous people. Each option must be distinct in wording "
    "and angle. Reply with JSON only, no commentary, in exactly this shape: "
    '{"options": [{"title": "...", "body": "... or null", "hashtags": ["tag", ...]}]}'
)


def user_message(job: Job) -> str:
    brief = job.brief
    lines = [
        f"Write {job.count} options for {_PLATFORM[brief.platform]}.",
        f"What the post shows: {brief.description or 'a photo of the creator'}",
        f"Tone: {brief.tone}. Style: {brief.style.replace('_', ' ')}.",
        _LENGTH[brief.length],
    ]
    if brief.image_hints:
        lines.append(f"Photo notes: {', '.join(brief.image_hints)}.")
    if brief.persona:
        lines.append(f"Creator persona: {brief.persona.replace('_', ' ')}.")
    if brief.subreddit:
        lines.append(f"Subreddit: r/{brief.subreddit}.")
    if job.rules.required_tags:
        tags = " or ".join(job.rules.required_tags[:4])
        lines.append(f"Every title must contain one of these tags: {tags}.")
    if job.rules.min_len > 1 or job.rules.max_len < 300:
        lines.append(f"Title length {job.rules.min_len}-{job.rules.max_len} characters.")
    lines.append(
        "Adult content allowed: flirtatious and suggestive, but not graphic."
        if brief.nsfw
        else "Strictly safe for work: no sexual or explicit wording."
    )
    if brief.promo is PromoMode.SUBTLE:
        lines.append("Add a subtle nudge to check the creator's profile (no links).")
    elif brief.promo is PromoMode.EXPLICIT:
        link = brief.link or "the link in bio"
        lines.append(f"Add a clear call to action pointing to {link} (in the body for Reddit).")
    voice = job.voice
    lines.append(f"Use at most {voice.emoji_budget} emoji per option.")
    banned = [*voice.banned_words, *job.rules.banned_words]
    if banned:
        lines.append(f"Never use these words: {', '.join(banned[:30])}.")
    if voice.avoid_phrases:
        lines.append(f"Avoid these phrases: {'; '.join(voice.avoid_phrases[:20])}.")
    if job.recent_titles:
        lines.append("Do not repeat or closely paraphrase these recent titles:")
        lines.extend(f"- {t}" for t in job.recent_titles[:10])
    return "\n".join(lines)


def reask_message(count: int, got: int) -> str:
    return (
        f"That gave {got} usable options; I need exactly {count}. Reply again with JSON "
        'only: {"options": [{"title": "...", "body": null, "hashtags": []}]}'
    )

