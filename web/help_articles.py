"""Help centre articles: short answers to what creators ask, searchable on /help.

Kept as data so the page, its search and the tests read one list. Every claim here
must stay true as features change (the chat's /help lists the commands themselves).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    body: str

    def matches(self, words: list[str]) -> bool:
        text = f"{self.title} {self.body}".lower()
        return all(word in text for word in words)


ARTICLES: tuple[Article, ...] = (
    Article("sign-in", "How do I sign in to the web pages?",
            "Send /web to the bot in Telegram or Discord. It answers with a link that signs "
            "you in once, within a few minutes. No password to remember."),
    Article("captions", "How do I get captions?",
            "Send /caption in the chat, describe the photo and pick a tone. You get several "
            "titles that fit the subreddit's rules, in your voice."),
    Article("voice", "Can captions avoid certain words?",
            "Yes. Add them under Settings, Captions, 'Words never to use', or with /voice in "
            "the chat. Both change the same list."),
    Article("promo", "How do I add my own link?",
            "Save your promo link in Settings or /voice. When you ask for a caption 'with my "
            "link', it is added for you."),
    Article("protect", "What does photo protection do?",
            "/protect returns a copy of your photo that reverse-image search by perceptual "
            "hash no longer ties to the original, with location and camera data removed. Only "
            "the heavy level (which mirrors the photo) also beats keypoint search such as "
            "Google Lens."),
    Article("reddit", "How do I connect or disconnect Reddit?",
            "Use /connect in the chat or 'Connect a Reddit account' in Settings. Disconnect "
            "an account in Settings at any time; it can no longer post for you."),
    Article("schedule", "Can I schedule posts?",
            "Yes: when you post from the chat, choose a time instead of Now. Times use the "
            "time zone in your Settings. Each post goes out exactly once."),
    Article("nsfw", "Adult content",
            "ThottoPilot is for adults (18+) only. Adult captions and subreddits are off "
            "until you confirm your age and turn them on in Settings or the chat."),
    Article("sign-out", "I lost my phone. How do I sign out?",
            "Open Settings on any device and press 'Sign out everywhere'. Every browser "
            "signed in to your account is signed out at once."),
    Article("install", "Can I install it like an app?",
            "Yes. In Chrome or Edge use 'Install app'; on iPhone open the page in Safari, tap "
            "Share, then 'Add to Home Screen'."),
    Article("privacy", "What do you keep about me?",
            "Your chat account id, your settings, your captions and posts, and your Reddit "
            "access encrypted. See the Privacy Policy for the details and how to delete them."),
)


def search(query: str) -> list[Article]:
    """Articles containing every word of `query` (all of them for an empty query)."""
    words = query.lower().split()
    return [article for article in ARTICLES if article.matches(words)]
