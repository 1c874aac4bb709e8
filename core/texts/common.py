"""Text shared by every flow: greetings, help, errors."""

from __future__ import annotations

from core.errors import UserFacingError
from core.texts import errors as error_texts

BOT_NAME = "ThottoPilot"

MENU_PROMPT = "What next?"
NSFW_NOT_HERE = (
    "Adult features only work in a private chat with me or in an age-restricted "
    "channel. Send me a DM and we'll carry on there."
)

HELP_HEADER = "Here's what I can do:"
HELP_FOOTER = "/cancel stops whatever we're doing. Questions? Just ask in plain words."
HELP_HELP = "/help – this list"
HELP_CANCEL = "/cancel – stop the current step"

WELCOME_BACK = "Welcome back! Let's pick up where we left off."
NOTHING_PENDING = "Nothing in progress. Type /help to see what I can do."
CANCELLED = "Done, I've cancelled that. Nothing was posted."
NOTHING_TO_CANCEL = "There's nothing to cancel right now."
UNKNOWN_COMMAND = "I don't know that command. Type /help to see what I can do."
NOT_UNDERSTOOD = "I'm not sure what you mean. Type /help to see what I can do."
UPLOAD_NOT_EXPECTED = "Thanks! I wasn't expecting a file just now. Type /help to see options."
UPLOAD_WHAT_NEXT = "Nice photo! What should I do with it?"
BUTTON_EXPIRED = "That button has expired. Please use the latest message, or type /start."
BUSY = (
    "I was still busy with your previous message, so I didn't act on that one. "
    "Please send it again in a moment."
)
BUSY_RETRYING = (
    "Lots of people are talking to me right now. I've kept your message and will "
    "answer it in a moment; no need to send it again."
)
SOMETHING_WENT_WRONG = (
    "Sorry, something went wrong on my side. Nothing was lost; please try again in a moment."
)


def file_too_large(limit: int) -> str:
    return (
        f"That file is too big for me (limit {limit // (1024 * 1024)} MB). "
        "Please send a smaller version."
    )


def render_error(exc: UserFacingError) -> str:
    """A core error in the catalogue's words, with its next step (core/texts/errors)."""
    return error_texts.render(exc.code, exc.params)


# Paging through a list too long for one message's buttons.
PREV_PAGE = "◀ Back"
NEXT_PAGE = "More ▶ ({page}/{pages})"

# The terminal chat's /file command.
FILE_MISSING = "I can't find a file at {path}. Check the path and try again."
FILE_UNREADABLE = "I couldn't read {path} ({reason}). Check the path and its permissions."
FILE_NOT_IMAGE = "That doesn't look like a photo. Send a JPEG, PNG, GIF or WebP image."
