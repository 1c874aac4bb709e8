"""Typed configuration: defaults <- TOML file <- environment.

One `Settings` object is built once at start-up and handed to everything that needs
it. Secrets are `SecretStr` so they never leak through `repr` or logs.
"""

from __future__ import annotations

import json
import os
import tomllib
import types
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)

from core.billing.config import BillingSettings
from core.experiments.config import ExperimentsConfig, default_experiments
from core.ops.config import OpsSettings

ENV_PREFIX = "THOTTOPILOT_"
CONFIG_ENV = "THOTTOPILOT_CONFIG"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
MIN_SECRET_KEY_CHARS = 32
KEYGEN_COMMAND = "python -c 'import secrets; print(secrets.token_urlsafe(32))'"


class _Section(BaseModel):
    model_config = {"extra": "forbid"}


class AppSettings(_Section):
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


class DatabaseSettings(_Section):
    url: str | None = None
    echo: bool = False


class WebSettings(_Section):
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    public_url: str | None = None
    # One log line per request (aiohttp's access log). Off by default: it costs about
    # as much CPU as a /healthz answer itself.
    access_log: bool = False


class TelegramMode(StrEnum):
    POLLING = "polling"
    WEBHOOK = "webhook"


class TelegramSettings(_Section):
    token: SecretStr | None = None
    api_base_url: str = "https://api.telegram.org/bot"
    file_base_url: str = "https://api.telegram.org/file/bot"
    mode: TelegramMode = TelegramMode.POLLING
    webhook_secret: SecretStr | None = None
    poll_timeout: float = Field(default=10.0, ge=0)
    # The bot's @username (without @): the sign-in page shows Telegram's Login Widget
    # only when it is set (the bot's domain must also be set with @BotFather /setdomain).
    bot_username: str | None = Field(default=None, pattern=r"^[A-Za-z][A-Za-z0-9_]{3,31}$")


class DiscordSettings(_Section):
    token: SecretStr | None = None
    api_base_url: str = "https://discord.com/api/v10"


class RedditSettings(_Section):
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


class AIEndpointSettings(_Section):
    """Where one provider of the fallback chain lives. The primary provider may use the
    top-level ai.base_url/api_key/model instead; a fallback provider needs its own."""

    base_url: str | None = None
    api_key: SecretStr | None = None
    model: str | None = None


class AISettings(_Section):
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


class StripeSettings(_Section):
    secret_key: SecretStr | None = None
    webhook_secret: SecretStr | None = None
    api_base: str = "https://api.stripe.com"


class SecuritySettings(_Section):
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


class AuthSettings(_Section):
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


class AdminSettings(_Section):
    telegram_ids: list[int] = Field(default_factory=list)
    # The Telegram chat (a group with the admins) where /support messages arrive; unset:
    # each admin's private chat with the bot.
    support_chat_id: int | None = None
    # Support messages one user may send per hour before being asked to wait.
    support_per_hour: int = Field(default=5, ge=1)


class RedisSettings(_Section):
    """A Redis server shared by every process (rate limits, replay guards, ...); unset:
    each of those keeps its state in process memory, which holds for one process only."""

    url: str | None = None  # redis://[:password@]host:port/db (rediss:// for TLS)
    # Every key we write starts with this, so one Redis can serve several deployments.
    key_prefix: str = Field(default="thottopilot", pattern=r"^[A-Za-z0-9_.:-]{1,64}$")

    @field_validator("url")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value


class OutboundSettings(_Section):
    """Outbound message limits (core.outbound), one budget for every process when
    `[redis] url` is set. A message over a limit waits (at most `max_wait_seconds`),
    it is never dropped."""

    enabled: bool = True
    telegram_per_second: int = Field(default=30, ge=1)  # one bot, all chats
    # One chat: at most this many messages in any `telegram_chat_seconds` (3 in 3 s is
    # Telegram's one a second with the short burst it tolerates; 1 in 1 s is strict).
    telegram_chat_messages: int = Field(default=3, ge=1)
    telegram_chat_seconds: float = Field(default=3.0, gt=0)
    telegram_group_per_minute: int = Field(default=20, ge=1)  # groups and channels
    discord_channel_messages: int = Field(default=5, ge=1)  # one Discord channel or DM
    discord_channel_seconds: float = Field(default=5.0, gt=0)
    max_wait_seconds: float = Field(default=60.0, gt=0)
    # Times a send is tried again after a 429 (waiting its retry-after each time).
    retry_attempts: int = Field(default=3, ge=0)


class RateLimitSettings(_Section):
    """Web request budgets (web.ratelimit). Signed-in users get their tier's
    `requests_per_minute` ([billing.tiers]); anonymous requests this, per client IP."""

    enabled: bool = True
    anonymous_per_minute: int = Field(default=30, ge=1)
    # Proxies (IPs or CIDR networks) whose X-Forwarded-For names the client; empty: the
    # peer address is the client, and X-Forwarded-For is ignored (anyone can send it).
    trusted_proxies: list[str] = Field(default_factory=list)
    # How long the web process trusts a user's tier it has read (other processes that
    # change a tier tell it at once through the signed /internal/notify).
    tier_cache_seconds: float = Field(default=10.0, ge=0)

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        import ipaddress

        for item in value:
            try:
                ipaddress.ip_network(item.strip(), strict=False)
            except ValueError:
                raise ValueError(f"{item!r} is not an IP address or network "
                                 "(e.g. 10.0.0.1 or 10.0.0.0/8)") from None
        return [item.strip() for item in value]


class WebhookSettings(_Section):
    """Signed calls between our processes and to webhook receivers (core.webhooks)."""

    # A signed request older (or further in the future) than this is refused.
    replay_window_seconds: int = Field(default=300, ge=1, le=3600)
    # Where other processes (the worker, the CLI) reach the web process for internal
    # calls; unset: http://<web.host>:<web.port>.
    internal_url: str | None = None


class LimitsSettings(_Section):
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, gt=0)
    max_image_pixels: int = Field(default=50_000_000, gt=0)
    # Photos protected at once per process (ImageShield threads); None = one per CPU.
    shield_workers: int | None = Field(default=None, ge=1)
    captions_per_day: dict[str, int | None] = Field(
        default_factory=lambda: {"free": 5, "starter": 50, "pro": 500, "premium": None}
    )


class PostingSettings(_Section):
    """The posting engine (core.posting): scheduled jobs, worker claims, retries, budget."""

    # Photos of scheduled posts, by content hash; None = <app.data_dir>/media.
    media_dir: Path | None = None
    # How far ahead each tier may schedule, in days (None = no limit).
    horizon_days: dict[str, int | None] = Field(
        default_factory=lambda: dict[str, int | None](
            free=7, starter=30, pro=90, premium=365)
    )
    # A claim not renewed for this long belongs to a dead worker and is taken over.
    lease_seconds: float = Field(default=15.0, gt=0)
    # A post whose outcome is unknown is looked up on Reddit no sooner than this after
    # its attempt: a submit still in flight (a stalled owner) has landed or failed by then.
    settle_seconds: float = Field(default=120.0, gt=0)
    poll_seconds: float = Field(default=0.5, gt=0)
    concurrency: int = Field(default=8, ge=1)
    retry_base_seconds: float = Field(default=5.0, gt=0)
    retry_max_seconds: float = Field(default=300.0, gt=0)
    # App-wide Reddit API budget per OAuth client id, shared by every process.
    reddit_requests_per_minute: int = Field(default=100, ge=1)
    # The same photo goes to at most this many subreddits per 24 h; more are spaced out.
    same_media_per_day: int = Field(default=2, ge=1)
    # Photos of a failed post are kept this long for a retry, then deleted.
    failed_media_days: float = Field(default=7.0, ge=0)


class PushSettings(_Section):
    """Web push (core.push): the VAPID key pair and who push services may contact."""

    # The VAPID private key (PEM, or the raw 32-byte key in base64url); unset: one is
    # generated on first start and kept in the data directory (0600).
    vapid_private_key: SecretStr | None = None
    # Must match the private key when given (browsers subscribe with it); derived if unset.
    vapid_public_key: str | None = None
    # The VAPID "sub" claim: how a push service reaches the operator (default: public URL).
    contact_email: str | None = None
    # Push services we post to beyond the well-known ones (https only), as origins such
    # as "https://push.example.net"; tests add their local fake here.
    extra_endpoint_origins: list[str] = Field(default_factory=list)
    # How long a push service keeps a notice for a phone that is offline, seconds.
    ttl_seconds: int = Field(default=86400, ge=0, le=28 * 86400)


class MonitoringSettings(_Section):
    """Metrics, slow-request logging and error forwarding (core.analytics)."""

    # Bearer token for GET /metrics (Prometheus scrapes with it); unset: /metrics is a 404.
    metrics_token: SecretStr | None = None
    # Requests slower than this are logged (route template and method only).
    slow_request_seconds: float = Field(default=1.0, gt=0)
    # Forward tracked errors to Sentry when set (e.g. https://key@o1.ingest.sentry.io/1).
    sentry_dsn: SecretStr | None = None
    environment: str = "production"
    # The daily archival (core.analytics.archive): events older than this move to the
    # archive table, at this cron time in this zone, once across all processes.
    archive_after_days: int = Field(default=90, ge=1)
    archive_cron: str = "0 3 * * *"
    timezone: str = "UTC"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("use an IANA zone name such as Europe/Berlin") from None
        return value


class PrivacySettings(_Section):
    """Data rights (core.privacy): a deleted account is kept this many days, so its owner
    can change their mind, then purged; the purge runs daily at `purge_cron` (UTC), once
    across all processes."""

    deletion_grace_days: int = Field(default=30, ge=0)
    purge_cron: str = "30 3 * * *"


class LaunchSettings(_Section):
    """The live launch dashboard (/admin/live) and the anomaly alerts to the team's chat
    (core.analytics.live, core.analytics.alerts)."""

    # How often the live dashboard sends a fresh snapshot, seconds.
    live_every_seconds: float = Field(default=5.0, gt=0)
    # The alert checker (worker role): on/off and how often it looks, seconds.
    alerts: bool = True
    check_every_seconds: float = Field(default=60.0, gt=0)
    # An incident opens above each threshold and closes once back under it:
    error_rate: float = Field(default=0.05, gt=0, le=1)  # errors per request or update
    min_handled: int = Field(default=20, ge=1)  # fewer in a check: too few for a rate
    p99_seconds: float = Field(default=2.0, gt=0)  # web requests' 99th percentile
    load_per_cpu: float = Field(default=2.0, gt=0)  # 1-minute load average per CPU
    backlog_minutes: int = Field(default=15, ge=1)  # a due post waiting longer is late


class Settings(BaseSettings):
    """Every knob ThottoPilot has. `config.example.toml` documents each key."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        extra="forbid",
        case_sensitive=False,
    )

    app: AppSettings = Field(default_factory=AppSettings)
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    discord: DiscordSettings = Field(default_factory=DiscordSettings)
    reddit: RedditSettings = Field(default_factory=RedditSettings)
    ai: AISettings = Field(default_factory=AISettings)
    stripe: StripeSettings = Field(default_factory=StripeSettings)
    security: SecuritySettings = Field(default_factory=SecuritySettings)
    admin: AdminSettings = Field(default_factory=AdminSettings)
    redis: RedisSettings = Field(default_factory=RedisSettings)
    ratelimit: RateLimitSettings = Field(default_factory=RateLimitSettings)
    outbound: OutboundSettings = Field(default_factory=OutboundSettings)
    webhooks: WebhookSettings = Field(default_factory=WebhookSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    limits: LimitsSettings = Field(default_factory=LimitsSettings)
    posting: PostingSettings = Field(default_factory=PostingSettings)
    push: PushSettings = Field(default_factory=PushSettings)
    billing: BillingSettings = Field(default_factory=BillingSettings)
    monitoring: MonitoringSettings = Field(default_factory=MonitoringSettings)
    ops: OpsSettings = Field(default_factory=OpsSettings)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    launch: LaunchSettings = Field(default_factory=LaunchSettings)
    experiments: ExperimentsConfig = Field(default_factory=default_experiments)

    @field_validator("ai", mode="after")
    @classmethod
    def _networked_provider_needs_model(cls, ai: AISettings) -> AISettings:
        if ai.provider is AIProvider.OPENAI_COMPATIBLE and not ai.base_url:
            raise ValueError("ai.base_url is required when ai.provider is openai_compatible")
        return ai

    @model_validator(mode="after")
    def _webhook_needs_url_and_secret(self) -> Settings:
        tg = self.telegram
        if tg.token is not None and tg.mode is TelegramMode.WEBHOOK:
            if not self.web.public_url:
                raise ValueError("web.public_url is required when telegram.mode is webhook")
            if tg.webhook_secret is None:
                raise ValueError(
                    "telegram.webhook_secret is required when telegram.mode is webhook"
                )
        return self

    @property
    def public_base_url(self) -> str:
        """Where people (and Telegram, Reddit) reach the web companion."""
        return (self.web.public_url or f"http://{self.web.host}:{self.web.port}").rstrip("/")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Environment beats the TOML file, which arrives as init kwargs (see load_settings).
        return (env_settings, init_settings)

    @property
    def database_url(self) -> str:
        """The configured URL, or an SQLite file inside the data directory."""
        if self.database.url:
            return self.database.url
        return f"sqlite+aiosqlite:///{(self.app.data_dir / 'thottopilot.db').resolve()}"


class ConfigError(Exception):
    """Invalid configuration; `str()` is one human line naming the key and problem."""


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise ConfigError(f"config file not found: {path}") from exc
    except IsADirectoryError as exc:
        raise ConfigError(f"config file {path} is a directory; give the path of the "
                          f"TOML file itself, e.g. {path / 'config.toml'}") from exc
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}; check "
                          f"that it exists and you may read it") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(f"config file {path} is not UTF-8 text (byte 0x{raw[exc.start]:02x} "
                          f"on line {line}); save it as UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}; fix that line "
                          f"(config.example.toml shows every key)") from exc


def _complex_field(path: list[str]) -> str | None:
    """'list' or 'dict' when `path` names a list/dict setting (set as JSON in env)."""
    model: Any = Settings
    kind: str | None = None
    for name in path:
        fields = getattr(model, "model_fields", None)
        if not fields or name not in fields:
            return None
        annotation = fields[name].annotation
        if get_origin(annotation) in (Union, types.UnionType):
            annotation = next(a for a in get_args(annotation) if a is not type(None))
        origin = get_origin(annotation)
        kind = "list" if origin is list else "dict" if origin is dict else None
        model = annotation
    return kind


def _bad_json_env(env: Mapping[str, str], exc: SettingsError) -> str:
    """Name the variable pydantic-settings could not parse, and show the expected shape
    (never the value: it may be a secret)."""
    for key, value in env.items():
        if not key.upper().startswith(ENV_PREFIX) or "__" not in key:
            continue
        path = key[len(ENV_PREFIX):].lower().split("__")
        kind = _complex_field(path)
        if kind is None:
            continue
        try:
            json.loads(value)
        except ValueError:
            example = '\'["value"]\'' if kind == "list" else '\'{"name": "value"}\''
            return (f"invalid configuration: {key.upper()} is not valid JSON; "
                    f"{'.'.join(path)} is a {kind}, e.g. {key.upper()}={example}")
    return f"invalid configuration: {exc}; values of list and dict settings must be JSON"


def _describe(exc: ValidationError) -> str:
    err = exc.errors()[0]
    key = ".".join(str(p) for p in err["loc"])
    msg = err["msg"].removeprefix("Value error, ")
    if not key:  # model-level rule: its message already names the keys
        return f"invalid configuration: {msg}"
    value = err.get("input")
    shown = "" if isinstance(value, dict | list) or value is None else f" (got {value!r})"
    if any(word in key for word in ("token", "secret", "key")):
        shown = ""
    return f"invalid configuration: {key}: {msg}{shown}"


def _check_sections(data: Mapping[str, Any], path: str | Path | None) -> None:
    """A section written as a plain value (`app = "yes"`) is refused up front: merged
    with an environment variable of the same section it would otherwise be dropped
    silently instead of reported."""
    for name, field in Settings.model_fields.items():
        kind = field.annotation
        if (name in data and isinstance(kind, type) and issubclass(kind, BaseModel)
                and not isinstance(data[name], dict)):
            raise ConfigError(
                f"invalid configuration: {name}: must be a [{name}] table of settings in "
                f"{path}, not {type(data[name]).__name__} {data[name]!r} "
                f"(config.example.toml shows it)")


def load_settings(
    config_path: str | Path | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Build `Settings` from defaults, the TOML file and the environment.

    Raises `ConfigError` with a one-line message instead of a pydantic traceback so the
    CLI can print it and exit 2.
    """
    env = os.environ if environ is None else environ
    path = config_path or env.get(CONFIG_ENV)
    data = _read_toml(Path(path)) if path else {}
    _check_sections(data, path)
    try:
        return Settings(**data)
    except ValidationError as exc:
        raise ConfigError(" ".join(_describe(exc).split())) from None
    except SettingsError as exc:
        raise ConfigError(_bad_json_env(env, exc)) from None
