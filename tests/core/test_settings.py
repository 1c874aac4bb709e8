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


def _one_line(info: pytest.ExceptionInfo[ConfigError]) -> str:
    message = str(info.value)
    assert "\n" not in message
    return message


def test_a_config_file_that_is_not_utf8_names_the_line_and_the_fix(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b'[web]\nhost = "caf\xe9"\n')  # Latin-1, as some editors save
    with pytest.raises(ConfigError) as info:
        load_settings(path, environ={})
    assert _one_line(info) == (
        f"config file {path} is not UTF-8 text (byte 0xe9 on line 2); save it as UTF-8")


def test_a_config_path_that_is_a_directory_suggests_the_file_inside(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_settings(tmp_path, environ={})
    message = _one_line(info)
    assert "is a directory" in message
    assert str(tmp_path / "config.toml") in message


def test_malformed_json_in_an_env_list_names_the_variable_and_the_shape(monkeypatch):
    monkeypatch.setenv("THOTTOPILOT_AI__FALLBACK", "not json")
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert _one_line(info) == (
        "invalid configuration: THOTTOPILOT_AI__FALLBACK is not valid JSON; ai.fallback is a "
        "list, e.g. THOTTOPILOT_AI__FALLBACK='[\"value\"]'")


def test_malformed_json_in_an_env_dict_is_named_too(monkeypatch):
    monkeypatch.setenv("THOTTOPILOT_LIMITS__CAPTIONS_PER_DAY", "{free: 5}")
    with pytest.raises(ConfigError) as info:
        load_settings()
    message = _one_line(info)
    assert "THOTTOPILOT_LIMITS__CAPTIONS_PER_DAY is not valid JSON" in message
    assert "limits.captions_per_day is a dict" in message


def test_a_short_secret_key_is_refused_without_echoing_it(monkeypatch):
    monkeypatch.setenv("THOTTOPILOT_SECURITY__SECRET_KEY", "hunter2-is-short")
    with pytest.raises(ConfigError) as info:
        load_settings()
    message = _one_line(info)
    assert "security.secret_key: must be at least 32 characters" in message
    assert "secrets.token_urlsafe" in message
    assert "hunter2" not in message


@pytest.mark.parametrize("secret", ["", "has space", "x" * 257, "naïve"])
def test_a_webhook_secret_telegram_would_not_send_is_refused(monkeypatch, secret):
    """An empty one would let every request in (a missing header reads as empty)."""
    monkeypatch.setenv("THOTTOPILOT_TELEGRAM__WEBHOOK_SECRET", secret)
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert "telegram.webhook_secret: must be 1-256 characters" in _one_line(info)


def test_a_32_character_secret_key_is_accepted(monkeypatch):
    monkeypatch.setenv("THOTTOPILOT_SECURITY__SECRET_KEY", "k" * 32)
    assert load_settings().security.secret_key.get_secret_value() == "k" * 32


def test_an_unknown_log_level_lists_the_known_ones(monkeypatch):
    monkeypatch.setenv("THOTTOPILOT_APP__LOG_LEVEL", "LOUD")
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert _one_line(info) == ("invalid configuration: app.log_level: use one of DEBUG, "
                               "INFO, WARNING, ERROR, CRITICAL (got 'LOUD')")


def test_log_level_is_case_insensitive(monkeypatch):
    monkeypatch.setenv("THOTTOPILOT_APP__LOG_LEVEL", "debug")
    assert load_settings().app.log_level == "DEBUG"
