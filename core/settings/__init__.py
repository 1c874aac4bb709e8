"""Typed configuration: defaults <- TOML file <- environment.

One `Settings` object is built once at start-up and handed to everything that needs
it. Secrets are `SecretStr` so they never leak through `repr` or logs. The sections
live in `front` (the front doors and their services) and `operations` (running it);
`load_settings` turns any mistake into one line a person can act on.
"""

from __future__ import annotations

from core.settings.base import (
    CONFIG_ENV,
    ENV_PREFIX,
    KEYGEN_COMMAND,
    LOG_LEVELS,
    MIN_SECRET_KEY_CHARS,
    Section,
)
from core.settings.front import (
    AdminSettings,
    AIEndpointSettings,
    AIProvider,
    AISettings,
    AppSettings,
    AuthSettings,
    DatabaseSettings,
    DiscordSettings,
    RedditSettings,
    SecuritySettings,
    StripeSettings,
    TelegramMode,
    TelegramSettings,
    WebSettings,
)
from core.settings.load import ConfigError, load_settings
from core.settings.model import Settings
from core.settings.operations import (
    LaunchSettings,
    LimitsSettings,
    MonitoringSettings,
    OutboundSettings,
    PostingSettings,
    PrivacySettings,
    PushSettings,
    RateLimitSettings,
    RedisSettings,
    WebhookSettings,
)

__all__ = [
    "CONFIG_ENV",
    "ENV_PREFIX",
    "KEYGEN_COMMAND",
    "LOG_LEVELS",
    "MIN_SECRET_KEY_CHARS",
    "AIEndpointSettings",
    "AIProvider",
    "AISettings",
    "AdminSettings",
    "AppSettings",
    "AuthSettings",
    "ConfigError",
    "DatabaseSettings",
    "DiscordSettings",
    "LaunchSettings",
    "LimitsSettings",
    "MonitoringSettings",
    "OutboundSettings",
    "PostingSettings",
    "PrivacySettings",
    "PushSettings",
    "RateLimitSettings",
    "RedditSettings",
    "RedisSettings",
    "Section",
    "SecuritySettings",
    "Settings",
    "StripeSettings",
    "TelegramMode",
    "TelegramSettings",
    "WebSettings",
    "WebhookSettings",
    "load_settings",
]
