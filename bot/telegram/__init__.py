"""python-telegram-bot adapter: translates Telegram updates to conversation events."""
