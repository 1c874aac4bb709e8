"""`[outbound]`: the defaults are Telegram's and Discord's published guidance, and a
limit that could never let a message through is refused by name."""

from __future__ import annotations

import pytest

from core.settings import ConfigError, load_settings


def test_the_defaults_follow_the_platforms_guidance():
    section = load_settings(environ={}).outbound
    assert section.enabled
    assert (section.telegram_per_second, section.telegram_group_per_minute) == (30, 20)
    # one a second in a chat, on average, with the short burst Telegram tolerates
    assert section.telegram_chat_messages / section.telegram_chat_seconds == 1.0
    assert (section.discord_channel_messages, section.discord_channel_seconds) == (5, 5.0)


def test_a_limit_of_zero_is_refused_naming_the_key(monkeypatch):
    monkeypatch.setenv("THOTTOPILOT_OUTBOUND__TELEGRAM_CHAT_MESSAGES", "0")
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert "outbound.telegram_chat_messages" in str(info.value)
    assert "\n" not in str(info.value)
