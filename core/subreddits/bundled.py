"""The bundled subreddit rules (data/subreddits.json): what the rule check and the
caption engine know about popular subreddits before, or without, asking Reddit.

Read once per process: the file ships with the package and never changes at run time.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING

from core.subreddits.rules import SubredditRules

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession


def subreddit_key(name: str) -> str:
    """`r/Selfie`, `/r/selfie/` and `Selfie` all have the key `selfie`."""
    name = name.strip()
    for prefix in ("/r/", "r/"):
        if name.lower().startswith(prefix):
            name = name[len(prefix):]
    return name.strip("/").lower()


@cache
def bundled() -> Mapping[str, SubredditRules]:
    """Every bundled subreddit's rules by key (read-only)."""
    raw = resources.files("core.subreddits").joinpath("data/subreddits.json").read_text("utf-8")
    entries = json.loads(raw)["subreddits"]
    return MappingProxyType({subreddit_key(e["name"]): SubredditRules.from_dict(e)
                             for e in entries})


def bundled_rules(name: str) -> SubredditRules:
    """The bundled rules for `name`, or an `unknown` value when we have none."""
    return bundled().get(subreddit_key(name)) or SubredditRules.unknown(name.strip())


class BundledRules:
    """A `SubredditRulesSource` that knows only the bundled set: what the caption engine
    uses when nothing better (the live rules cache) is wired in, e.g. in the CLI."""

    async def lookup(self, session: AsyncSession | None, name: str) -> SubredditRules:
        return bundled_rules(name)
