"""Words for /help: topics, search results and the ℹ️ buttons that open an article."""

from __future__ import annotations

ARGS_HINT = "A question, e.g. how long can a title be"
ASK = "Ask me anything: /help and your question, e.g. /help title too long"
TOPICS = "Help topics:"
TOPIC = "{category}: pick a question."
ALL_TOPICS = "📚 All topics"
ARTICLE = "{title}\n\n{body}"
EXAMPLE = "For example: {example}"
RELATED = "Related:"
FOUND_MORE = "Also about this:"
NOTHING_FOUND = (
    "I have no article about “{query}” yet. Try other words, or pick a topic below."
)
INFO = "ℹ️ {title}"
TITLE_LIMIT_INFO = "ℹ️ Title limits"
