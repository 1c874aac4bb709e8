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

# -- where a creator's "posted" news goes (/announce-my-posts) -------------------------
NEWS_DESCRIPTION = "Choose where I tell you that your scheduled posts went live"
NEWS_WHERE = "In this server's announcement channel, or privately"
NEWS_HERE = "In this server's announcement channel"
NEWS_DM = "In a private message"
NEWS_SET_HERE = ("Done! When your posts go live I'll announce them in {channel}. "
                 "Anything that needs you still comes privately.")
NEWS_SET_HERE_NO_CHANNEL = ("Saved! This server has no announcement channel yet (someone "
                            "who manages it can pick one with /announce-here); until then "
                            "I'll tell you privately.")
NEWS_SET_DM = "Done! I'll tell you in a private message when your posts go live."
ANNOUNCE_POSTED = "📣 {who} just posted “{title}” on r/{sub}: {link}"
