"""A configured instance for the `thottopilot check` specs: every check has something
real to reach on 127.0.0.1 (fake Stripe, fake LLM for OpenAI and Anthropic, real Redis,
a TLS server with its own CA for the public URL, the web companion serving /metrics),
described by a TOML config file the command reads like an operator's."""

from __future__ import annotations

import asyncio
import json
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.cli import main

METRICS_TOKEN = "metrics-token-for-the-check-specs"


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(str(value))


def write_config(path: Path, sections: dict[str, dict[str, Any]]) -> Path:
    lines = []
    for name, values in sections.items():
        lines.append(f"[{name}]")
        lines.extend(f"{key} = {toml_value(v)}" for key, v in values.items())
    path.write_text("\n".join(lines) + "\n")
    return path


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Instance:
    directory: Path
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)

    def config(self, **changes: dict[str, Any]) -> Path:
        """The config file, with `changes` merged into its sections."""
        merged = {name: dict(values) for name, values in self.sections.items()}
        for name, values in changes.items():
            merged.setdefault(name, {}).update(values)
        return write_config(self.directory / "config.toml", merged)

    async def thottopilot(self, *argv: str, **changes: dict[str, Any]) -> int:
        path = self.config(**changes)
        return await asyncio.to_thread(main, ["--config", str(path), *argv])
