"""Secrets are redacted from every log record, whichever library logs them."""

import logging

from core.logsafe import REDACTED, install_redaction, secret_values
from core.settings import Settings


def test_secret_values_finds_every_configured_secret():
    s = Settings(
        telegram={"token": "123:tok"},
        ai={"api_key": "sk-abc"},
        stripe={"secret_key": "sk_live_x"},
    )
    assert set(secret_values(s)) == {"123:tok", "sk-abc", "sk_live_x"}


def test_redaction_applies_to_formatted_arguments(caplog):
    install_redaction(["hunter22"])
    with caplog.at_level(logging.INFO):
        logging.getLogger("some.library").info("calling %s/bot%s", "http://x", "hunter22")
    assert "hunter22" not in caplog.text
    assert REDACTED in caplog.text


def test_reinstalling_does_not_stack_factories(caplog):
    install_redaction(["first-secret"])
    install_redaction(["second-secret"])
    with caplog.at_level(logging.INFO):
        logging.getLogger("x").info("second-secret here")
    assert "second-secret" not in caplog.text
