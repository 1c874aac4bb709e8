"""Words the web companion shows (web never imports bot/, so it keeps its own catalogue).

Warm, short, and always saying what to do next.
"""

from __future__ import annotations

from typing import Final

GET_A_LINK: Final = "Send /web to the bot in Telegram or Discord and tap the link it sends."

# Why a sign-in did not work, by core.auth reason code: (heading, what to do).
SIGNIN_FAILED: Final[dict[str, tuple[str, str]]] = {
    "expired": ("This link has expired", "Sign-in links work for a few minutes. " + GET_A_LINK),
    "used": ("This link was already used", "For your safety each sign-in link works once. "
             + GET_A_LINK),
    "invalid": ("This link doesn't work", "It may have been cut short when copied. "
                + GET_A_LINK),
    "unknown": ("This link doesn't work", "It may have been cut short when copied. "
                + GET_A_LINK),
    "no_user": ("This account is gone", "The account this link was for was deleted. "
                "Send /start to the bot to begin again."),
    "stale": ("That sign-in is too old", "Please sign in with Telegram again."),
    "bad_hash": ("We couldn't confirm it was you", "Telegram's sign-in data didn't check out. "
                 "Please try again from Telegram."),
    "missing_hash": ("We couldn't confirm it was you", "Please try again from Telegram."),
    "malformed": ("We couldn't read that sign-in", "Please try again from Telegram."),
    "not_configured": ("Telegram sign-in isn't set up", "This ThottoPilot has no Telegram bot "
                       "configured. " + GET_A_LINK),
}
SIGNIN_FALLBACK: Final = ("That didn't work", GET_A_LINK)

SIGNED_OUT_HEADING: Final = "Signed out"
SIGNED_OUT: Final = "You're signed out on this device."
SIGNED_OUT_EVERYWHERE: Final = "You're signed out on every device, this one included."
CSRF_FAILED: Final = ("This form has expired", "For your safety, forms work only in the "
                      "session that showed them. Go back, reload the page and try again.")
NEED_SIGNIN: Final = ("Please sign in", GET_A_LINK)
SIGNIN_WHO_FALLBACK: Final = "your account"  # "sign in as {who}" without a name
# The Login Widget's redirect asks first; {who}: "@username", else the first name.
SIGNIN_TELEGRAM_HEADING: Final = "Sign in with Telegram"
SIGNIN_TELEGRAM_CONFIRM: Final = ("You're about to sign in as {who} on Telegram. Only "
                                  "continue if you just confirmed this in Telegram yourself.")
SIGNIN_CONTINUE_AS: Final = "Continue as {who}"

SAVED: Final = "Saved. The chat uses this from your next message."
NOT_SAVED: Final = "Not saved yet: please fix what's marked below."
DISCONNECTED: Final = "Disconnected u/{name}. It can't post for you any more."

# Linked accounts (/account/link): one account across Telegram, Discord and the web.
LINK_CODE_HINT: Final = ("Send /link {code} to the bot in the other app (Telegram or "
                         "Discord). It works once, for {minutes} minutes.")
LINK_CONFIRM: Final = ("This joins your account with {who}. Settings, captions and your "
                       "Reddit connection end up in one place. Only continue if that's you.")
LINK_SOMEONE: Final = "another ThottoPilot account"
LINKED: Final = "Done! It's one account now, wherever you sign in or chat."
LINK_CANCELLED: Final = "Okay, nothing changed."
LINK_REFUSED: Final[dict[str, str]] = {
    "invalid": "That isn't a code we know. Check it (like ABCD-EFGH), or get a new one "
               "with /link in the other app.",
    "expired": "That code has expired. Send /link in the other app for a fresh one.",
    "used": "That code was already used. Send /link in the other app for a new one.",
    "same_user": "That code is from this very account: nothing to join.",
    "both_have_data": "Both accounts have a Reddit connection or a plan, and we won't drop "
                      "either. Disconnect Reddit on one of them first, then try again.",
    "no_user": "The account behind that code is gone. Ask for a new code with /link.",
}
LINK_REFUSED_OTHER: Final = "That didn't work. Get a new code with /link and try again."

# Web push (web.pwa.push, web.pwa.push_deliver). Notices: kind -> (title, body, page a
# tap opens); {subreddit} and {title} come from the notice.
PUSH_NOTICES: Final[dict[str, tuple[str, str, str]]] = {
    "post_live": ("Your post is live", "r/{subreddit}: {title}", "/history"),
    "post_failed": ("A post didn't go out", "r/{subreddit}: {title}. Tap to see why and "
                    "what to do next.", "/queue"),
    "post_removed": ("A post was removed", "r/{subreddit} removed “{title}”. Tap to see "
                     "why and what to try next.", "/history"),
    "post_restored": ("A post is back up", "r/{subreddit} approved “{title}” after all.",
                      "/history"),
}
PUSH_NOTICE_FALLBACK: Final = ("News about your posts", "Tap to see your queue.", "/queue")
PUSH_TITLE_FALLBACK: Final = "your post"  # {title} of a notice that has none
UNNAMED_DEVICE: Final = "A browser"  # Settings' device list, no user agent known
PUSH_TEST: Final = ("Notifications are on", "This is how ThottoPilot will tell you about "
                    "your posts.")
PUSH_ON: Final = "Notifications are on for this device."
PUSH_OFF: Final = "Notifications are off for this device."
PUSH_TEST_SENT: Final = "Sent. It should appear in a moment."
PUSH_ERRORS: Final[dict[str, str]] = {
    "signin": "Please sign in again, then turn notifications on.",
    "csrf": "This page has expired. Reload it and try again.",
    "not_json": "Your browser sent something we couldn't read. Reload and try again.",
    "bad_endpoint": "Your browser's push address didn't look right. Reload and try again.",
    "unknown_service": "This browser's push service isn't one we can send to.",
    "bad_keys": "Your browser's push keys didn't look right. Reload and try again.",
    "none_reached": "No device with notifications on could be reached. Turn them on "
                    "first.",
}

# 429 (web.ratelimit): {seconds} is the Retry-After value.
RATE_LIMITED: Final = ("Please slow down a little", "That was more requests in a minute "
                       "than we can take. Nothing was changed by the last one; try again "
                       "in {seconds} seconds.")
RATE_LIMITED_UPGRADE: Final = (" The {plan} plan allows {n} a minute: send /upgrade to "
                               "the bot.")

# The offline queue (service worker): the page a form posted offline answers, and what
# the worker says once it has sent (or could not send) what it kept.
OFFLINE_SAVED: Final = ("Saved offline", "Saved offline: we'll send it when you're back "
                        "online. You can keep this page open or close it.")
OFFLINE_QUEUE: Final[dict[str, str]] = {
    "sent": "You're back online: the change you made offline is saved.",
    "expired": "A change you made offline couldn't be saved: the page had expired. Open "
               "it again and redo the change.",
    "signin": "A change you made offline couldn't be saved because you were signed out. "
              "Sign in and redo it.",
    "refused": "A change you made offline wasn't accepted. Open the page and check it.",
}

# /r/<code> (web.billing.referrals): an invite link that can't be one.
REFERRAL_BAD_LINK: Final = ("This invite link doesn't work", "The link looks incomplete. "
                            "Ask your friend to send it again, or just sign up: everything "
                            "works without it.")


# -- the queue page's time errors (core.posting.when codes, as a form reads them) -------
WHEN_ERRORS = {
    "when_unreadable": "We couldn't read that time. Try the date picker, or 'tomorrow 9pm'.",
    "when_past": "That time has passed. Pick a time from now on.",
    "when_beyond_horizon": "That's further ahead than your plan schedules ({days} days).",
    "when_bad_zone": "Your time zone isn't valid: fix it in Settings first.",
}


# -- history: older captions, loaded 50 at a time (web/pages/history.py, history.js) ----
HISTORY_BAD_BEFORE = ("That list of older captions couldn't be found. "
                      "Reload History to start again from the newest.")
HISTORY_MORE = "Show older captions"
HISTORY_LOADING = "Loading older captions…"
HISTORY_FAILED = ("Couldn't load older captions. Check your connection and tap Show older "
                  "captions to try again.")

# web settings: the voice word lists (core.captions.types.parse_word_list)
WORDS_TOO_LONG = "Keep each word or phrase under {limit} characters."
WORDS_TOO_MANY = "That's more than {limit} entries; keep the ones that matter most."

# web settings form (web/account/settings_form.py): what to fix, one line per field
PICK_TONE = "Pick one of the tones in the list."
PICK_STYLE = "Pick one of the styles in the list."
PICK_EMOJI = "Pick 0, 1, 2 or 3 emoji."
PROMO_LINK_TOO_LONG = "That link is longer than {limit} characters."
PROMO_LINK_UNUSABLE = ("That doesn't look like a web address we can put in a caption "
                       "(for example linktr.ee/you).")
CONFIRM_ADULT = "To turn on adult content, please confirm you're 18 or older."
BAD_ZONE = "Use a time zone name like Europe/London or America/New_York."
PICK_PROTECTION = "Pick one of the protection levels in the list."


# -- plain answers outside a page -----------------------------------------------------
SIGN_IN_FIRST = "Please sign in first."  # web.current: a form or call with no session
SERVER_ERROR = "Something went wrong on our side. Nothing was lost; please try again."
NO_SUCH_FILE = "No such file."  # web.pwa: an asset this deploy doesn't have

# card payments (web/billing/checkout.py): the pages the chat's pay links open
PAYMENT_THANKS = "Thank you! Your plan is being updated; head back to the chat and carry on. 💛"
PAYMENT_LINK_EXPIRED = "This payment link has expired. Ask the bot for /upgrade again."
ALREADY_ON_PLAN = ("You're already on {tier}, so there's nothing to pay here. To change "
                   "your plan, send /upgrade in the chat.")
CARD_UNAVAILABLE = "Card payments aren't set up on this server yet. Please try again later."
NO_CARD_SUBSCRIPTION = ("There's no card subscription for this account yet. Send /upgrade "
                        "in the chat to start one.")

# the installed app (web.pwa manifest) and the landing page (web.pages)
APP_DESCRIPTION = "Captions, protected photos and Reddit posting from a chat."
SHORTCUT_CAPTION = ("Caption", "Write titles and captions")  # (name, description)
SHORTCUT_POST = ("Post", "Post or schedule to Reddit")
SITE_DESCRIPTION = ("Captions in your voice, photos protected from reverse-image search and "
                    "Reddit posts at the best time, from a Telegram or Discord chat. 18+.")
OFFLINE_TITLE = "You're offline"
