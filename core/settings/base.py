"""What every settings section shares: the environment prefix, secret-key rules, and the
base class that refuses unknown keys (a typo in config.toml is an error, not ignored)."""

from __future__ import annotations

from pydantic import BaseModel

ENV_PREFIX = "THOTTOPILOT_"
CONFIG_ENV = "THOTTOPILOT_CONFIG"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
MIN_SECRET_KEY_CHARS = 32
KEYGEN_COMMAND = "python -c 'import secrets; print(secrets.token_urlsafe(32))'"


class Section(BaseModel):
    model_config = {"extra": "forbid"}
