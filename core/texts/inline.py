"""Words for Telegram's inline help (`@bot help <question>` typed in any chat)."""

from __future__ import annotations

ARTICLE = "{title}\n\n{body}"
EXAMPLE = "\n\nFor example: {example}"
MORE = "\n\nMore in a chat with me: /help"
OPEN_CHAT = "Ask me in a private chat"
NOTHING_FOUND = "No article about that yet: ask me in a private chat"
