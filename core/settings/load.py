"""Loading settings with errors a person can act on: one line naming the key and the
problem, never a pydantic traceback."""

from __future__ import annotations

import json
import os
import tomllib
import types
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    ValidationError,
)
from pydantic_settings import (
    SettingsError,
)

from core.settings.base import CONFIG_ENV, ENV_PREFIX
from core.settings.model import Settings


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
