"""Words for /voice: what the bot remembers about how a creator likes to sound."""

from __future__ import annotations

HELP_LINE = "/voice – your tone, emoji, words to skip and promo link"

CARD = (
    "🎙 Your voice (I use it for every caption):\n"
    "🎭 Tone: {tone}\n"
    "🙂 Emoji: {emoji}\n"
    "🚫 Banned words: {banned}\n"
    "🙅 Phrases to avoid: {avoid}\n"
    "🔗 Promo link: {link}"
)
NOTHING = "none"
EMOJI_NONE = "none"
EMOJI_UP_TO = "up to {n} per caption"
SAVED = "Saved ✨"

EMOJI_BUTTON = "Emoji {n}"
CHOSEN = "✓ {label}"
BANNED_BUTTON = "🚫 Banned words"
AVOID_BUTTON = "🙅 Phrases to avoid"
LINK_BUTTON = "🔗 Promo link"
TONE_BUTTON = "🎭 Default tone"

ASK = {
    "banned": (
        "Which words should I never use? Send them separated by commas, like: "
        "baby, cutie\nSend “none” to clear the list."
    ),
    "avoid": (
        "Which phrases are you tired of? Send them separated by commas, like: "
        "new post, rate me\nSend “none” to clear the list."
    ),
    "link": (
        "Send the link I should add when Promo is “with my link”, like "
        "https://linktr.ee/yourname\nSend “none” to remove it."
    ),
}
PICK_TONE = "Which tone should new captions start in? Tap ℹ️ to hear one."
TOO_LONG = "That's a bit long: keep each one under {limit} characters and send the list again."
TOO_MANY = "That's a lot! Keep it to {limit} entries and send the list again."
BAD_LINK = (
    "Hmm, I can't use that as a link. Send a full web address, like "
    "https://linktr.ee/yourname, or “none”."
)

# What a creator may send to clear a list or the link (the prompts say "none").
CLEAR_WORDS = frozenset({"none", "nothing", "clear", "-"})
