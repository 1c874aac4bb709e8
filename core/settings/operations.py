"""Settings sections of running it: Redis, outbound and inbound rate limits, signed
calls, upload limits, posting, push, monitoring, data rights, launch alerts."""

from __future__ import annotations

from pathlib import Path

from pydantic import (
    Field,
    SecretStr,
    field_validator,
)

from core.settings.base import Section


class RedisSettings(Section):
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


class OutboundSettings(Section):
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


class RateLimitSettings(Section):
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


class WebhookSettings(Section):
    """Signed calls between our processes and to webhook receivers (core.webhooks)."""

    # A signed request older (or further in the future) than this is refused.
    replay_window_seconds: int = Field(default=300, ge=1, le=3600)
    # Where other processes (the worker, the CLI) reach the web process for internal
    # calls; unset: http://<web.host>:<web.port>.
    internal_url: str | None = None


class LimitsSettings(Section):
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, gt=0)
    max_image_pixels: int = Field(default=50_000_000, gt=0)
    # Photos protected at once per process (ImageShield threads); None = one per CPU.
    shield_workers: int | None = Field(default=None, ge=1)
    captions_per_day: dict[str, int | None] = Field(
        default_factory=lambda: {"free": 5, "starter": 50, "pro": 500, "premium": None}
    )


class PostingSettings(Section):
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


class PushSettings(Section):
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


class MonitoringSettings(Section):
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


class PrivacySettings(Section):
    """Data rights (core.privacy): a deleted account is kept this many days, so its owner
    can change their mind, then purged; the purge runs daily at `purge_cron` (UTC), once
    across all processes."""

    deletion_grace_days: int = Field(default=30, ge=0)
    purge_cron: str = "30 3 * * *"


class LaunchSettings(Section):
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
