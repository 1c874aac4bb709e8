"""Text of /web: a one-tap sign-in link to the web companion."""

from __future__ import annotations

HELP_LINE = "/web – open your dashboard and settings in the browser"
LINK = (
    "Here's your sign-in link for the web companion: settings, queue and history.\n\n"
    "It works once, for {minutes} minutes, and only for you: please don't forward it."
)
OPEN = "🔐 Open the web companion"
