"""Settings: defaults <- TOML file <- environment; clear one-line errors."""

import pytest

from core.settings import AIProvider, ConfigError, load_settings


def test_zero_configuration_uses_sqlite_in_the_data_dir_and_localhost():
    s = load_settings(environ={})
    assert s.database_url.startswith("sqlite+aiosqlite:///")
    assert s.database_url.endswith("data/thottopilot.db")
    assert (s.web.host, s.web.port) == ("127.0.0.1", 8080)
    assert s.ai.provider is AIProvider.OFFLINE
    assert s.telegram.token is None


def test_toml_file_overrides_defaults(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[web]\nport = 9090\n[ai]\nfallback = ["openai", "offline"]\n')
    s = load_settings(path, environ={})
    assert s.web.port == 9090
    assert s.ai.fallback == [AIProvider.OPENAI, AIProvider.OFFLINE]


def test_environment_overrides_the_file(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    path.write_text("[web]\nport = 9090\n")
    monkeypatch.setenv("THOTTOPILOT_WEB__PORT", "9191")
    assert load_settings(path).web.port == 9191


def test_config_path_can_come_from_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "other.toml"
    path.write_text('[web]\nhost = "0.0.0.0"\n')
    monkeypatch.setenv("THOTTOPILOT_CONFIG", str(path))
    assert load_settings().web.host == "0.0.0.0"


def test_invalid_port_names_the_key_in_one_line(monkeypatch):
    monkeypatch.setenv("THOTTOPILOT_WEB__PORT", "notaport")
    with pytest.raises(ConfigError) as info:
        load_settings()
    message = str(info.value)
    assert "web.port" in message
    assert "notaport" in message
    assert "\n" not in message


def test_unknown_key_in_file_is_reported(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[web]\nprot = 1\n")
    with pytest.raises(ConfigError, match=r"web\.prot"):
        load_settings(path, environ={})


def test_broken_toml_is_reported_not_raised_raw(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[web\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(path, environ={})


def test_missing_config_file_is_reported(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.toml", environ={})


def test_secrets_never_appear_in_repr(monkeypatch):
    monkeypatch.setenv("THOTTOPILOT_TELEGRAM__TOKEN", "123:SUPERSECRET")
    monkeypatch.setenv("THOTTOPILOT_AI__API_KEY", "sk-SUPERSECRET")
    s = load_settings()
    assert "SUPERSECRET" not in repr(s)
    assert "SUPERSECRET" not in str(s.model_dump())
    assert s.telegram.token.get_secret_value() == "123:SUPERSECRET"


def test_invalid_secret_value_is_not_echoed(monkeypatch):
    monkeypatch.setenv("THOTTOPILOT_ADMIN__TELEGRAM_IDS", '["sekrit-id"]')
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert "admin.telegram_ids" in str(info.value)


def test_openai_compatible_requires_a_base_url(monkeypatch):
    monkeypatch.setenv("THOTTOPILOT_AI__PROVIDER", "openai_compatible")
    with pytest.raises(ConfigError, match=r"ai\.base_url"):
        load_settings()


def test_example_config_is_valid_and_complete():
    from pathlib import Path

    example = Path(__file__).parents[2] / "config.example.toml"
    s = load_settings(example, environ={})
    text = example.read_text()
    for key in (
        "url",
        "host",
        "port",
        "public_url",
        "token",
        "api_base_url",
        "file_base_url",
        "mode",
        "webhook_secret",
        "client_id",
        "client_secret",
        "user_agent",
        "oauth_url",
        "reddit_url",
        "provider",
        "base_url",
        "api_key",
        "model",
        "fallback",
        "secret_key",
        "webhook_secret",
        "api_base",
        "telegram_ids",
    ):
        assert f"{key} =" in text or f"# {key} =" in text, key
    assert s.web.port == 8080


def test_webhook_mode_needs_a_public_url(monkeypatch):
    monkeypatch.setenv("THOTTOPILOT_TELEGRAM__TOKEN", "1:x")
    monkeypatch.setenv("THOTTOPILOT_TELEGRAM__MODE", "webhook")
    monkeypatch.setenv("THOTTOPILOT_TELEGRAM__WEBHOOK_SECRET", "s")
    with pytest.raises(ConfigError, match=r"web\.public_url is required"):
        load_settings()
