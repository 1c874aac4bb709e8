"""Words for data rights: /export, /deleteaccount, /restore and the web's "Your data"."""

from __future__ import annotations

EXPORT_HELP = "/export – download everything we keep about you (JSON)"
DELETE_HELP = "/deleteaccount – delete your account and your data"
RESTORE_HELP = "/restore – keep an account you asked to delete"

EXPORT_READY = (
    "Here's everything ThottoPilot keeps about you, as a JSON file. Your Reddit "
    "login and sign-in tokens are left out: they're secrets, even from you."
)

DELETE_ASK = (
    "Delete your account? You'll be signed out everywhere, queued posts are cancelled "
    "and Reddit is told to forget our access. Everything else is erased for good after "
    "{days} days; until then /restore keeps it. /export first if you want a copy."
)
PAID_PLAN_NOTE = (
    "Your paid plan renews by card: deleting your account cancels it for you straight "
    "away, so you won't be charged again."
)
DELETE_CONFIRM = "Yes, delete my account"
DELETE_KEEP = "No, keep it"
DELETE_KEPT = "Good, nothing changed. Your account stays as it is."
DELETE_DONE = (
    "Your account is deleted and everything in it will be erased on {date}. Changed "
    "your mind? Send /restore before then."
)
REVOKE_FAILED = (
    "Reddit didn't answer just now, so to be sure, remove ThottoPilot under "
    "reddit.com/prefs/apps."
)

PLAN_CANCEL_FAILED = (
    "We couldn't cancel your card plan just now; we'll keep trying every day. To be "
    "sure you aren't charged again, you can cancel it yourself in Stripe's billing "
    "portal (linked in your Stripe receipts)."
)

RESTORED = (
    "Welcome back! Your account is kept and nothing will be erased. Reddit access was "
    "revoked, so send /connect to link your Reddit account again."
)
NOTHING_TO_RESTORE = "Your account is active: there's nothing to restore."

ERRORS: dict[str, str] = {
    "account_pending_deletion": (
        "Your account is scheduled for deletion on {date}. Send /restore to keep it."
    ),
}

# Signing in on the web to an account pending deletion.
PENDING_HEADING = "Account scheduled for deletion"

# The web's "Your data" page.
PAGE_TITLE = "Your data"
PAGE_EXPORT = (
    "Download everything ThottoPilot keeps about you as one JSON file. Reddit logins "
    "and sign-in tokens are left out."
)
PAGE_DELETE = (
    "Deleting your account signs you out everywhere, cancels queued posts and tells "
    "Reddit to forget our access. The rest is erased for good after {days} days; until "
    "then, send /restore to the bot to keep it."
)
PAGE_CONFIRM_LABEL = "Type DELETE to confirm"
CONFIRM_WORD = "DELETE"
PAGE_NOT_CONFIRMED = "Nothing was deleted: type DELETE in the box to confirm."
PAGE_DELETED = ("Account deleted", DELETE_DONE.replace("Send /restore", "Send /restore to "
                                                       "the bot"))
