"""Text only Discord shows: the answer button and modal, its own commands."""

from __future__ import annotations

ANSWER_BUTTON = "✏️ Type an answer"
ANSWER_TITLE = "Your answer"
ANSWER_LABEL = "Answer"
ANSWER_PLACEHOLDER = "Type here, as you would in a chat"
CHOOSE = "Choose…"
CANCEL_DESCRIPTION = "Stop the current step"
ARGS_DESCRIPTION = "Optional details"
UPLOAD_DESCRIPTION = "Send me a photo to caption, protect or post"
UPLOAD_PHOTO = "The photo"
UPLOAD_CAPTION = "A few words about it (optional)"
ANNOUNCE_DESCRIPTION = "Announce this community's Reddit posts in this channel"
ANNOUNCE_SET = "Done! I'll announce this community's new Reddit posts in {channel}."
ANNOUNCE_ADMINS_ONLY = "Only people who can manage this server can choose where I announce."
ANNOUNCE_NOT_HERE = "Please run this in a text channel of your server."
