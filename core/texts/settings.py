"""Words for /settings: the chat's menu over what the web Settings page changes."""

from __future__ import annotations

HELP_LINE = "/settings – tone, style, adult content, time zone, photo protection, accounts"

CARD = (
    "⚙️ Your settings\n\n"
    "🔞 Adult content: {adult}\n"
    "🛡 Protect photos before posting: {protect}\n"
    "👤 Reddit accounts: {accounts}\n\n"
    "{voice}"
)
ON, OFF = "on", "off"
NO_ACCOUNTS = "none connected"
ADULT_ON = "🔞 Adult: on"
ADULT_OFF = "🔞 Adult: off"
PROTECT_BUTTON = "🛡 Protection: {level}"
ACCOUNTS_BUTTON = "👤 Accounts"
PROTECT_OFF = "off"
PICK_LEVEL = (
    "How strongly should I protect photos before posting them? Tap ℹ️ to see what a "
    "level does and doesn't beat."
)
NO_PROTECTION = "Don't protect"
ADULT_NOW_ON = "Adult features are on."
ADULT_NOW_OFF = "Adult features are off: captions and subreddits stay SFW."

# 🔔 Notifications (bot/flows/settings_notices.py), the same choices as the web page.
NOTICES_BUTTON = "🔔 Notifications"
NOTICES_CARD = (
    "🔔 Which news about your posts do you want, and where? Tap to switch.\n\n"
    "📱 Device notifications also need switching on on the device itself: open Settings "
    "in the web app there and tap “Turn on notifications here”."
)
NOTICE_TOPICS = {"posted": "Live", "failed": "Failed", "removed": "Removed"}
NOTICE_ROUTES = {"chat": "💬 chat", "push": "📱 device"}
NOTICE_TOGGLE = "{what} · {where}: {state}"
NOTICE_SAVED = "Saved."
BACK_TO_SETTINGS = "⬅️ Settings"
