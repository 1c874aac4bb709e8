"""Settings sections of the front doors and their services: app, database, web, chat
transports, Reddit, AI providers, Stripe, security, sign-in, admins."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path

from pydantic import (
    Field,
    SecretStr,
    field_validator,
)

from core.settings.base import (
    KEYGEN_COMMAND,
    LOG_LEVELS,
    MIN_SECRET_KEY_CHARS,
    Section,
)


class AppSettings(Section):
    data_dir: Path = Path("data")
    log_level: str = "INFO"

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        """A typo here used to fall back to INFO silently; say so instead."""
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"use one of {', '.join(LOG_LEVELS)}")
        return level


class DatabaseSettings(Section):
    url: str | None = None
    echo: bool = False
    # PostgreSQL connection pool, per process (N processes hold up to N x (size +
    # overflow) connections: keep that under the server's max_connections). A checkout
    # that waits longer than pool_timeout seconds is answered "busy, retrying".
    pool_size: int = Field(default=10, ge=1)
    max_overflow: int = Field(default=10, ge=0)
    pool_timeout: float = Field(default=5.0, gt=0)
    # Ping each pooled connection at checkout (one more round trip, ~20% of an update's).
    # Off: a connection the server dropped fails its first statement instead; SQLAlchemy
    # then recycles the whole pool, and a chat update in hand is retried by the inbox.
    pool_pre_ping: bool = False


class WebSettings(Section):
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    public_url: str | None = None
    # One log line per request (aiohttp's access log). Off by default: it costs about
    # as much CPU as a /healthz answer itself.
    access_log: bool = False


_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


class TelegramMode(StrEnum):
    POLLING = "polling"
    WEBHOOK = "webhook"


class TelegramSettings(Section):
    token: SecretStr | None = None
    api_base_url: str = "https://api.telegram.org/bot"
    file_base_url: str = "https://api.telegram.org/file/bot"
    mode: TelegramMode = TelegramMode.POLLING
    webhook_secret: SecretStr | None = None
    poll_timeout: float = Field(default=10.0, ge=0)
    # The bot's @username (without @): the sign-in page shows Telegram's Login Widget
    # only when it is set (the bot's domain must also be set with @BotFather /setdomain).
    bot_username: str | None = Field(default=None, pattern=r"^[A-Za-z][A-Za-z0-9_]{3,31}$")
    # An update held this long by a silent process is taken over (it died); its holder
    # renews the lease every quarter of it. Shorter: a dead process's chats wait less;
    # longer: fewer renewals. 20 s suits most deployments.
    inbox_lease_seconds: float = Field(default=20.0, ge=2.0, le=600.0)

    @field_validator("webhook_secret")
    @classmethod
    def _telegram_secret(cls, value: SecretStr | None) -> SecretStr | None:
        """Telegram sends it back in every webhook call; an empty one would let any
        request in, and Telegram itself refuses one outside 1-256 of A-Z a-z 0-9 _ -."""
        if value is not None and not _WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and - (make "
                             "one with: python -c \"import secrets; "
                             "print(secrets.token_urlsafe(32))\")")
        return value

class DiscordSettings(Section):
    token: SecretStr | None = None
    api_base_url: str = "https://discord.com/api/v10"


class RedditSettings(Section):
    client_id: str | None = None
    client_secret: SecretStr | None = None
    user_agent: str = "python:thottopilot:0.1 (by /u/thottopilot)"
    oauth_url: str = "https://oauth.reddit.com"
    reddit_url: str = "https://www.reddit.com"
    # Extra CA bundle to trust for Reddit and its media uploads (corporate proxies, tests).
    ca_file: Path | None = None
    # Warn before posting to the same subreddit from one account within this window.
    cooldown_hours: float = Field(default=24.0, ge=0)
    # Warn when the same image or title was posted by the user within this window.
    duplicate_days: float = Field(default=30.0, ge=0)
    # How long fetched subreddit rules are trusted before they are fetched again.
    rules_cache_hours: float = Field(default=24.0, gt=0)


class AIProvider(StrEnum):
    OFFLINE = "offline"
    OPENAI = "openai"
    ANTHROPIC = "anthropic"
    OPENAI_COMPATIBLE = "openai_compatible"


class AIEndpointSettings(Section):
    """Where one provider of the fallback chain lives. The primary provider may use the
    top-level ai.base_url/api_key/model instead; a fallback provider needs its own."""

    base_url: str | None = None
    api_key: SecretStr | None = None
    model: str | None = None


class AISettings(Section):
    provider: AIProvider = AIProvider.OFFLINE
    base_url: str | None = None
    api_key: SecretStr | None = None
    model: str | None = None
    fallback: list[AIProvider] = Field(default_factory=list)
    timeout: float = Field(default=20.0, gt=0)
    max_retries: int = Field(default=2, ge=0, le=10)
    total_budget: float = Field(default=45.0, gt=0)
    endpoints: dict[AIProvider, AIEndpointSettings] = Field(default_factory=dict)
    # Where openai is in the chain, also ask its moderation endpoint (sexual/minors) about
    # the request and each option, on top of the offline safety rules (never instead).
    moderation: bool = True


class StripeSettings(Section):
    secret_key: SecretStr | None = None
    webhook_secret: SecretStr | None = None
    api_base: str = "https://api.stripe.com"
    # How often the stripe library asks again after a 5xx, a 409 or a dropped connection
    # (with its own backoff, 0.5 s doubling, jittered): a passing blip is not an error.
    max_network_retries: int = Field(default=2, ge=0, le=5)


class SecuritySettings(Section):
    secret_key: SecretStr | None = None

    @field_validator("secret_key")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        """It signs buttons and links and encrypts Reddit tokens: a short one is guessable.
        (Unset is fine: a strong one is generated into the data dir.)"""
        if value is not None and len(value.get_secret_value()) < MIN_SECRET_KEY_CHARS:
            raise ValueError(f"must be at least {MIN_SECRET_KEY_CHARS} characters; make one "
                             f"with: {KEYGEN_COMMAND}")
        return value


class AuthSettings(Section):
    """Web sign-in (core.auth): magic links, Telegram Login Widget and Mini App data,
    server-side sessions, identity link codes."""

    magic_link_minutes: float = Field(default=10.0, gt=0, le=60)
    link_code_minutes: float = Field(default=10.0, gt=0, le=60)
    # How old Telegram's auth_date may be (Login Widget / Mini App initData), seconds.
    telegram_login_max_age: int = Field(default=86400, gt=0)
    telegram_init_data_max_age: int = Field(default=86400, gt=0)
    # Telegram's published Ed25519 keys for third-party initData validation (hex).
    telegram_public_key: str = Field(
        default="e7bf03a2fa4602af4580703d88dda5bb59f32ed8b02a56c187fe7d34caed242d",
        pattern=r"^[0-9a-fA-F]{64}$")
    telegram_test_public_key: str = Field(
        default="40055058a4ee38156a06562e52eece92a771bcd8346a8c4615cb7376eddf72ec",
        pattern=r"^[0-9a-fA-F]{64}$")
    # A web session ends after this long unused, and in any case this long after sign-in.
    session_idle_days: float = Field(default=30.0, gt=0)
    session_max_days: float = Field(default=90.0, gt=0)


class AdminSettings(Section):
    telegram_ids: list[int] = Field(default_factory=list)
    # The Telegram chat (a group with the admins) where /support messages arrive; unset:
    # each admin's private chat with the bot.
    support_chat_id: int | None = None
    # Support messages one user may send per hour before being asked to wait.
    support_per_hour: int = Field(default=5, ge=1)
