"""Text of /link: one account across Telegram, Discord and the web."""

from __future__ import annotations

from core.auth import errors

HELP_LINE = "/link – use the same account on Telegram and Discord"
ARGS_HINT = "A link code from the other app, e.g. ABCD-EFGH"
YOUR_CODE = (
    "Your link code: {code}\n\n"
    "Open me in the other app (Telegram or Discord) and send /link {code} there. "
    "It works once, for {minutes} minutes."
)
HAVE_CODE = "I have a code"
ASK_CODE = "Send me the code from the other app (like ABCD-EFGH)."
CONFIRM = (
    "This joins your account here with {who}. Your captions, voice and Reddit connection "
    "will be in one place. Join them?"
)
SOMEONE = "another ThottoPilot account"
YES = "Yes, join them"
NO = "No"
LINKED = "Done! It's one account now: same settings and history wherever you talk to me."
NOT_LINKED = "Okay, nothing changed."
REFUSED = {
    errors.INVALID: "That isn't a code I know. Check it, or ask for a new one with /link.",
    errors.EXPIRED: "That code has expired. Send /link in the other app for a fresh one.",
    errors.USED: "That code was already used. Send /link in the other app for a new one.",
    errors.SAME_USER: "That code is from this very account: nothing to join.",
    errors.BOTH_HAVE_DATA: (
        "Both accounts have a Reddit connection or a plan, and I won't drop either. "
        "Disconnect Reddit on one of them (/accounts), then try again."
    ),
    errors.NO_USER: "The account behind that code is gone. Ask for a new code with /link.",
}
REFUSED_OTHER = "That didn't work. Ask for a new code with /link and try again."
