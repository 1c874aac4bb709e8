"""The `[ops]` settings section: backups and the pre-launch checks (core.ops).

Lives beside the ops code; core/settings.py only mounts it.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field


class OpsSettings(BaseModel):
    model_config = {"extra": "forbid"}

    # Where `thottopilot backup` writes and `check` looks; None = <app.data_dir>/backups.
    backup_dir: Path | None = None
    # `check` fails when the newest backup is older than this (or there is none).
    backup_max_age_hours: float = Field(default=24.0, gt=0)
    # Each pre-launch check gets this long before it counts as failed.
    check_timeout_seconds: float = Field(default=10.0, gt=0)
    # Extra CA bundle the TLS check trusts for web.public_url (a private CA, tests).
    ca_file: Path | None = None
    # The TLS check warns when the public certificate expires within this many days.
    cert_warn_days: int = Field(default=14, ge=0)
