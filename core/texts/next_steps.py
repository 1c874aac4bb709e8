"""Words for the next-step buttons that end a result (bot/flows/next_steps.py)."""

from __future__ import annotations

# The text line kept under a result for transports that show no buttons.
LINE = "Next: {commands}"
JOIN = " · "

CAPTION = "✍️ Write a caption"
PROTECT = "🛡 Protect a photo"
POST = "📮 Post to Reddit"
QUEUE = "🗓 See my queue"
CONNECT = "🔗 Connect Reddit"
TUTORIAL = "🎓 Guided first post"
UPGRADE = "⭐ See plans"
