"""Words for /caption and `thottopilot caption`: prompts, choices, progress, options,
refusals and the daily limit. Tone and style explanations live here (the engine's
catalogue holds only keys), so chat and CLI explain them the same way.
"""

from __future__ import annotations

HELP_LINE = "/caption – titles and captions in your voice"
MENU_LABEL = "✍️ Write captions"
UPLOAD_LABEL = "✍️ Write captions for it"

ASK_DESCRIPTION = (
    "Tell me about the post in a few words (outfit, place, mood), or send the photo.\n"
    "For example: red dress, rooftop at sunset"
)
ARGS_HINT = "What the post shows, e.g. red dress on a rooftop at sunset"
NOT_A_PHOTO = "I can only read photos (JPEG, PNG or WebP). Send one, or describe the post."
SETUP = "Captions for {what}\n{summary}\n\nTap Write captions, or change anything first."
WHAT_TEXT = "“{description}”"
WHAT_PHOTO = "your photo"
WHAT_PHOTO_TEXT = "your photo (“{description}”)"
PHOTO_TIP = "Tip: type a few words about it (outfit, place, mood) for sharper captions."
LEFT_TODAY = "{left} of {limit} left today."

WRITE = "✍️ Write captions"
TONE_BUTTON = "🎭 Tone: {name}"
STYLE_BUTTON = "🖋 Style: {name}"
PLATFORM_BUTTON = "📍 {name}"
SUB_BUTTON = "r/{name}"
ANY_SUB_BUTTON = "📍 Subreddit: any"
PERSONA_BUTTON = "👤 Persona: {name}"
NO_PERSONA_NAME = "none"
SPICY_ON = "🔞 Spicy: on"
SPICY_OFF = "🔞 Spicy: off"
SPICY_SUMMARY = "spicy"
PROMO_BUTTON = {
    "none": "📣 Promo: off",
    "subtle": "📣 Promo: subtle",
    "explicit": "📣 Promo: with my link",
}
PROMO_SUMMARY = {"subtle": "subtle promo", "explicit": "promo with your link"}
PROMO_LINK_TIP = "Tip: save your link with /voice and Promo can add it to every caption."

PICK = {
    "tone": "Which tone? Tap ℹ️ to hear what one sounds like.",
    "style": "Which style? Tap ℹ️ for an example.",
    "platform": "Where will you post it?",
    "sub": "Which subreddit? Tap one or type it (like r/selfie); I'll fit titles to its rules.",
    "persona": "Write as which persona?",
}
CHOSEN = "✓ {name}"
INFO_LABEL = "ℹ️ {name}"
NO_SUB = "No subreddit"
NO_PERSONA = "No persona"
INFO = "{name}: {explanation}\nFor example (red dress, rooftop at sunset):\n“{example}”"
USE_CHOICE = "Use {name}"

STAGES = {
    "analyzing": "🔍 Analyzing…",
    "writing": "✍️ Writing…",
    "polishing": "✨ Polishing…",
}

OPTIONS_HEADER = "Here you go ({summary}):"
DEGRADED_NOTE = "Heads-up: my usual writer is unavailable, so my backup wrote these."
DOWNGRADED_NOTE = "I kept these SFW, since adult features are off for you."
USE = "✅ Use {n}"
POST = "📮 Post {n}"
REGENERATE = "🔄 New options"
CHANGE_TONE = "🎭 Change tone"
SHORTER = "➖ Shorter"
LONGER = "➕ Longer"
USED = "Here it is, ready to copy:\n\n{text}"
POST_THIS = "📮 Post this to Reddit"
OPTION_GONE = "I couldn't find that caption any more. Tap 🔄 New options for fresh ones."
TRY_ANOTHER = "Send a different description, or /cancel."

# Display names where "capitalise the key" reads wrong.
NAMES = {"pov": "POV", "one_liner": "One-liner", "x": "X"}
PLATFORMS = {
    "reddit": "Reddit",
    "x": "X",
    "instagram": "Instagram",
    "onlyfans": "OnlyFans bio",
    "fansly": "Fansly bio",
}

TONES = {
    "flirty": "teasing and warm, with a wink at the reader.",
    "playful": "light, cheeky and fun.",
    "mysterious": "says less than it knows, so people stay curious.",
    "confident": "bold, self-assured, main-character energy.",
    "wholesome": "soft, sweet and kind; right for any audience.",
    "bratty": "sassy and demanding, in a cute way.",
    "sultry": "slow, warm and suggestive, never graphic.",
}

STYLES = {
    "question": "asks the reader something, so they answer in the comments.",
    "teaser": "hints that there's more to see.",
    "story": "a tiny story about the moment.",
    "one_liner": "short and punchy, one line.",
    "pov": "“POV: …” puts the reader right in the scene.",
}

# Refusals by safety category: say what we can't do and how to carry on.
REFUSED = {
    "minors": (
        "I can't write that: anything that hints at someone under 18 is off-limits. If "
        "everyone is an adult, describe it without age or school words and I'll gladly help."
    ),
    "non_consent": (
        "I can't write that: I only write about things everyone happily agreed to. "
        "Try describing it another way."
    ),
    "incest": "I can't write that: family roles stay out of adult content. Try another angle.",
    "bestiality": "I can't write that: animals stay out of adult content. Try another angle.",
    "real_people": (
        "I can't write about real or famous people without their consent (no celebrities, "
        "exes or lookalikes). Describe the post about you instead."
    ),
}
REFUSED_FALLBACK = "I can't write captions for that. Try describing the post another way."

QUOTA = "You've used today's {limit} caption request{s} on the {tier} plan. They refill at " \
    "midnight your time. 💛"
QUOTA_UPGRADE = "Need more? {plans}."
UNLIMITED = "unlimited"
BAD_IMAGE = "I couldn't read that photo. Send a JPEG or PNG, or just describe the post in words."

# Registered with the shared catalogue (core.texts.common) for every front door.
ERRORS: dict[str, str] = {
    "caption_refused": REFUSED_FALLBACK,
    "caption_quota": "You've reached today's caption limit ({limit}). It refills at midnight.",
    "caption_bad_image": BAD_IMAGE,
    "caption_needs_detail": "r/{subreddit} wants something in every title that only you "
    "know: {guidelines} Add it to your description and I'll work it in. 💛",
}


def tier_name(tier: str) -> str:
    return tier.replace("_", " ").title()


def choice_name(key: str) -> str:
    """`one_liner` -> `One liner`; platform keys get their proper names."""
    return PLATFORMS.get(key) or NAMES.get(key) or key.replace("_", " ").capitalize()


def refused(category: str | None) -> str:
    return REFUSED.get(category or "", REFUSED_FALLBACK)


def quota_reached(limit: int, tier: str, plans: dict[str, int | None]) -> str:
    """The limit, when it refills, and which plans give more (from the tier table)."""
    text = QUOTA.format(limit=limit, s="" if limit == 1 else "s", tier=tier_name(tier))
    better = [
        f"{tier_name(name)} {UNLIMITED if per_day is None else f'{per_day} a day'}"
        for name, per_day in plans.items()
        if per_day is None or per_day > limit
    ]
    return f"{text}\n{QUOTA_UPGRADE.format(plans=', '.join(better))}" if better else text
