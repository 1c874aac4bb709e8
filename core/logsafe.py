"""Keep secrets out of logs, whoever logs them.

Libraries log URLs that embed credentials (python-telegram-bot logs its API URL, which
contains the bot token, at DEBUG). Rather than chase each logger we redact every
configured secret value when a log record is created.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from pydantic import BaseModel, SecretStr

REDACTED = "***"
_MARK = "_thottopilot_redacting"


def secret_values(model: BaseModel) -> list[str]:
    """Every non-empty `SecretStr` value in a settings tree."""
    found: list[str] = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, SecretStr) and value.get_secret_value():
            found.append(value.get_secret_value())
        elif isinstance(value, BaseModel):
            found.extend(secret_values(value))
        elif isinstance(value, dict):
            found.extend(
                v
                for item in value.values()
                if isinstance(item, BaseModel)
                for v in secret_values(item)
            )
    return found


def install_redaction(secrets: Iterable[str]) -> None:
    """Wrap the log record factory so messages never carry these values."""
    values = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)
    current = logging.getLogRecordFactory()
    base: Callable[..., logging.LogRecord] = getattr(current, _MARK, current)

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = base(*args, **kwargs)
        if values:
            message = record.getMessage()
            if any(v in message for v in values):
                for v in values:
                    message = message.replace(v, REDACTED)
                record.msg, record.args = message, None
        return record

    setattr(factory, _MARK, base)
    logging.setLogRecordFactory(factory)
