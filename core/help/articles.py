"""The help articles: short answers to what creators ask.

Kept as data (title, category, body, related articles, optional example, and the
words people ask with) so the chat, the web help centre and the relevance test read
one list. Every claim must stay true as features change, and every /command named
must exist (tests/bot/flows/test_help_articles.py checks the commands).
"""

from __future__ import annotations

from dataclasses import dataclass

START, CAPTIONS, PHOTOS, POSTING, ACCOUNT, PLANS, PRIVACY = (
    "Getting started", "Captions", "Photos", "Posting", "Your account", "Plans",
    "Privacy and safety")
CATEGORIES: tuple[str, ...] = (START, CAPTIONS, PHOTOS, POSTING, ACCOUNT, PLANS, PRIVACY)


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    body: str
    category: str = START
    related: tuple[str, ...] = ()
    example: str | None = None
    # Words people ask with that the text doesn't use ("lost", "stolen"): searched
    # like the category, never shown.
    keywords: str = ""


ARTICLES: tuple[Article, ...] = (
    Article("getting-started", "How do I get started?",
            "Send /start. Four short steps, each one skippable: what you post (safe for "
            "work or 18+), your Reddit account, your voice, and a first caption for real. "
            "/setup runs them again at any time.",
            START, ("demo", "settings"), keywords="begin new onboarding"),
    Article("demo", "Can I try it before signing up?",
            "Yes: /demo lets you try captions and photo protection on a sample photo. No "
            "account is created and nothing about you is kept. When you like it, /start "
            "sets you up.",
            START, ("getting-started",), keywords="try trial sample test free"),
    Article("cancel", "How do I stop what I'm doing?",
            "Send /cancel. It stops the current step and forgets the half-finished request; "
            "nothing is posted.",
            START, ("getting-started",), keywords="stop abort quit undo"),
    Article("captions", "How do I get captions?",
            "Send /caption in the chat, describe the photo and pick a tone. You get several "
            "titles that fit the subreddit's rules, in your voice.",
            CAPTIONS, ("tones", "voice", "title-limit"), example="/caption red dress at sunset",
            keywords="write writing ideas suggestions"),
    Article("tones", "Which tone or style should I pick?",
            "The tone sets the mood of a caption (playful, flirty, wholesome...), the style "
            "its shape (short and punchy, a question, a story). In /settings every choice "
            "has an ℹ️ button with an example, and your pick is used from then on.",
            CAPTIONS, ("captions", "voice"), keywords="mood vibe sound like me"),
    Article("voice", "Can captions avoid certain words?",
            "Yes. Add them under Settings, Captions, 'Words never to use', or with /voice in "
            "the chat. Both change the same list.",
            CAPTIONS, ("tones", "promo"), keywords="banned ban block forbidden never"),
    Article("promo", "How do I add my own link?",
            "Save your promo link in Settings or /voice. When you ask for a caption 'with my "
            "link', it is added for you.",
            CAPTIONS, ("voice",), keywords="onlyfans fansly url promote promotion"),
    Article("protect", "What does photo protection do?",
            "/protect returns a copy of your photo that reverse-image search by perceptual "
            "hash no longer ties to the original, with location and camera data removed. Only "
            "the heavy level (which mirrors the photo) also beats keypoint search such as "
            "Google Lens.",
            PHOTOS, ("protect-levels", "privacy"),
            keywords="steal stolen theft leak reupload watermark shield reverse"),
    Article("protect-levels", "Which protection level should I use?",
            "Standard is the right choice for most photos: it looks the same to people and "
            "defeats the hashes reverse-image search uses. Light changes the least and "
            "removes location and camera data. Heavy also mirrors the photo, "
            "which beats keypoint search but shows. /settings can protect every photo "
            "before posting; tap ℹ️ next to a level for what it does and doesn't beat.",
            PHOTOS, ("protect",), keywords="light standard heavy strong quality"),
    Article("post", "How do I post to Reddit?",
            "Send /post, then a photo (or a link or text), a title and one or more "
            "subreddits. Each subreddit's rules are checked first and fixed where I can; "
            "then post now or pick a time.",
            POSTING, ("title-limit", "flair", "schedule"), keywords="submit upload share"),
    Article("title-limit", "How long can a Reddit title be?",
            "Reddit allows at most 300 characters in a title, and many subreddits ask for "
            "fewer, or for a tag such as [F]. /post checks each subreddit's title rules "
            "before anything is sent, fixes what it can and asks you for a new title when "
            "it can't.",
            POSTING, ("post", "captions", "rules"), example="[F] Sunday vibes in the garden",
            keywords="characters length long short too max maximum headline"),
    Article("rules", "Why was my post stopped by a subreddit's rules?",
            "Before posting I read the subreddit's rules: title length and tags, flair, "
            "adult marking, allowed post types, words it bans. When a post breaks one I say "
            "which and how to fix it, instead of letting Reddit remove it later.",
            POSTING, ("title-limit", "flair"),
            keywords="blocked refused rejected removed requirement"),
    Article("flair", "A subreddit says my post needs a flair",
            "Some subreddits require a flair (a label such as 'Pic' or 'OC'). /post shows "
            "that subreddit's flairs as buttons; tap one and the post goes on.",
            POSTING, ("rules", "post"), keywords="tag label"),
    Article("schedule", "Can I schedule posts?",
            "Yes: when you post from the chat, choose a time instead of Now. Times use the "
            "time zone in your Settings. Each post goes out exactly once.",
            POSTING, ("queue", "best-time"), example="tomorrow 9pm",
            keywords="later tomorrow timed delay"),
    Article("best-time", "When is the best time to post?",
            "Tap Best time when /post asks when. For now it follows a simple rule: Reddit's "
            "crowd is mostly in the US, so it picks the next busy hour in New York time, "
            "one for safe-for-work posts and one for 18+ posts.",
            POSTING, ("schedule",), keywords="optimal peak ideal when busy hour"),
    Article("queue", "How do I change or cancel a scheduled post?",
            "Send /queue. It lists what is waiting to go out, soonest first; each post can "
            "go out now, move to another time or be cancelled.",
            POSTING, ("schedule",), keywords="reschedule move delete scheduled waiting"),
    Article("reddit", "How do I connect or disconnect Reddit?",
            "Use /connect in the chat or 'Connect a Reddit account' in Settings. Disconnect "
            "an account in Settings at any time; it can no longer post for you.",
            ACCOUNT, ("post", "privacy"), keywords="account login authorize oauth"),
    Article("settings", "Where are my settings?",
            "Send /settings: adult content, tone and style, niche, banned words, promo link, "
            "time zone, photo protection and accounts, in one card. The web companion's "
            "Settings page changes the same things.",
            ACCOUNT, ("tones", "voice"), keywords="preferences options change timezone"),
    Article("link-apps", "Can I use the same account on Telegram and Discord?",
            "Yes. Send /link in one app to get a code, then /link with that code in the "
            "other. Settings, captions and Reddit connections are then shared.",
            ACCOUNT, ("sign-in",), keywords="merge join both"),
    Article("sign-in", "How do I sign in to the web pages?",
            "Open the web companion's sign-in page and log in with Telegram, or open the "
            "app from inside Telegram, which signs you in at once. No password to remember.",
            ACCOUNT, ("sign-out", "install"), keywords="login log password web website"),
    Article("sign-out", "I lost my phone. How do I sign out?",
            "Open Settings on any device and press 'Sign out everywhere'. Every browser "
            "signed in to your account is signed out at once.",
            ACCOUNT, ("sign-in", "privacy"), keywords="stolen logout"),
    Article("install", "Can I install it like an app?",
            "Yes. In Chrome or Edge use 'Install app'; on iPhone open the page in Safari, tap "
            "Share, then 'Add to Home Screen'.",
            ACCOUNT, ("sign-in",), keywords="homescreen pwa android"),
    Article("plans", "What do the plans cost?",
            "Send /upgrade for the plans, their limits and prices, and a payment link. "
            "/usage shows what you've used today.",
            PLANS, ("limits",), keywords="price cost pay payment subscription premium pro"),
    Article("limits", "I hit my daily limit. What now?",
            "Each plan has daily limits on captions, protected photos and posts. When you run "
            "out for today, they come back at midnight in your time zone; /usage shows "
            "where you are and /upgrade lifts them.",
            PLANS, ("plans",), keywords="quota reached maximum out allowance"),
    Article("nsfw", "Adult content",
            "ThottoPilot is for adults (18+) only. Adult captions and subreddits are off "
            "until you confirm your age and turn them on in Settings or the chat.",
            PRIVACY, ("settings",), keywords="nsfw explicit spicy lewd 18"),
    Article("privacy", "What do you keep about me?",
            "Your chat account id, your settings, your captions and posts, and your Reddit "
            "access encrypted. See the Privacy Policy for the details and how to delete them.",
            PRIVACY, ("reddit", "sign-out"), keywords="data personal gdpr delete store"),
    Article("support", "How do I reach a person?",
            "Send /support with your message (a screenshot is welcome). It reaches the "
            "ThottoPilot team with a ticket number, and their answer arrives in the same "
            "chat. /terms shows our Terms of Service and Privacy Policy.",
            ACCOUNT, ("privacy",), keywords="contact human person bug problem report "
                                             "complaint question terms"),
)

_BY_SLUG = {a.slug: a for a in ARTICLES}


def by_slug(slug: str) -> Article | None:
    return _BY_SLUG.get(slug)
