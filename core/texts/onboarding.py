"""Words for the getting-started wizard (/start for a new creator, /setup any time)."""

from __future__ import annotations

HELP_START = "/start – the main menu (/setup runs the getting-started steps again)"

STEP = "Step {n} of {total} · {title}"
TITLES = {1: "Welcome", 2: "Connect accounts", 3: "Your voice", 4: "Your first caption"}
SKIP = "Skip ▶"
NEXT = "Next ▶"

WELCOME = (
    "Hi {name}! I'm ThottoPilot, your Reddit co-pilot. 👋\n"
    "I write titles that fit each subreddit's rules, protect your photos from "
    "reverse-image search, and post at the right time.\n\n"
    "Four quick steps and you're set; skip any of them. What kind of content do you make?\n\n"
    "By continuing you accept the Terms ({terms}) and the Privacy Policy ({privacy})."
)
CONTENT_SFW = "SFW"
CONTENT_NSFW = "NSFW (18+)"
AGE_QUESTION = (
    "Adult features are for adults only. Please confirm: are you 18 or older, and is "
    "everyone in your content 18+ and consenting?\n\n"
    "Your answer is recorded with today's date and the Terms version ({version}): {terms}"
)
AGE_YES = "Yes, I confirm"
AGE_NO = "No"
SFW_CHOSEN = "Great, SFW it is."
NSFW_ON = "Thanks! Adult features are on."
AGE_DECLINED = "No problem: I'll keep everything SFW. You can change this later in /settings."
SKIPPED_CONTENT = "Okay, SFW for now. /settings changes it any time."

ACCOUNTS = (
    "Connect the Reddit account you post from, so I can check each subreddit's rules "
    "and post for you. Reddit asks you to allow it; your password never reaches me."
)
ACCOUNTS_OFF = (
    "Connecting Reddit isn't set up on this ThottoPilot yet, so let's skip this step. "
    "/connect will work once the operator adds it."
)
CONNECT = "🔗 Connect Reddit"
CONNECTED_CHECK = "✓ I've connected it"
CONNECTED = "Connected: {names}. 🎉"
NOT_CONNECTED_YET = (
    "I don't see a connected account yet. Tap Connect Reddit and allow access, then come "
    "back, or skip for now (/connect works any time)."
)

VOICE_INTRO = "How should your captions sound? Tap ℹ️ on a tone or style to hear an example."
VOICE = (
    "🎭 Tone: {tone}\n"
    "🖋 Style: {style}\n"
    "🎯 Niche: {niche}\n"
    "🚫 Banned words: {banned}\n"
    "🔗 Promo link: {link}\n"
    "🕒 Time zone: {zone}"
)
NOTHING = "none yet"
TONE_BUTTON = "🎭 Tone: {name}"
STYLE_BUTTON = "🖋 Style: {name}"
NICHE_BUTTON = "🎯 Niche"
BANNED_BUTTON = "🚫 Banned words"
LINK_BUTTON = "🔗 Promo link"
ZONE_BUTTON = "🕒 Time zone"
PICK = {
    "tone": "Pick the tone new captions start in. Tap ℹ️ for an example.",
    "style": "Pick the style new captions start in. Tap ℹ️ for an example.",
}
PICKED = "{name} it is. For example:\n“{example}”"
ASK_NICHE = (
    "In a few words, what's your niche? For example: fitness, cosplay, cottagecore, "
    "gaming. Send “none” to clear it."
)
NICHE_TOO_LONG = "That's a bit long: keep it under {limit} characters."
PICK_ZONE = (
    "Which time zone are you in? It decides when “tomorrow 9pm” is. Tap one, or type "
    "its name, like Europe/Paris or America/Denver."
)
BAD_ZONE = "I don't know that time zone. Type a name like Europe/Paris, or tap one of the buttons."
SAVED = "Saved ✨"

FIRST = (
    "Let's write your first caption. Describe a photo in a few words (outfit, place, "
    "mood), or send the photo itself, and I'll write three options.{niche}"
)
FIRST_NICHE = "\nTip: try something from your niche ({niche})."
EXAMPLE_BUTTON = "✨ Use an example: {example}"
EXAMPLE = "red dress, rooftop at sunset"
PICK_ONE = "Tap ✅ Use on the one you like, or 🔄 for new ones."
PROTECT_TOO = "🛡 Protect this photo too"
FINISH = "🏁 Finish"
USED = "Here it is, ready to copy:\n\n{text}"

DONE = (
    "You're all set. 🎉 Here's what I can do:\n{commands}\n\n"
    "Tip: just send me a photo and I'll ask what to do with it. /settings changes "
    "anything you chose here."
)
TUTORIAL_OFFER = ("Ready for a first post? The guided tour takes your own photo from caption "
                  "to queue.")
GREETING_BACK = "Welcome back, {name}! What shall we do today?"
ALREADY_RUNNING = "Let's continue where you were."
FIRST_RETRY = "Try describing another photo, or tap Skip."
