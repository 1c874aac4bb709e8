"""The one `Settings` object: every section, read from defaults, then the TOML file,
then THOTTOPILOT_* environment variables."""

from __future__ import annotations

from pydantic import (
    Field,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from core.billing.config import BillingSettings
from core.experiments.config import ExperimentsConfig, default_experiments
from core.ops.config import OpsSettings
from core.settings.base import ENV_PREFIX
from core.settings.front import (
    AdminSettings,
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
