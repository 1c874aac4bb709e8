"""The caption engine's vocabulary: what a creator asks for and what they get back.

Plain frozen dataclasses so a brief can travel through the provider chain, be stored
as JSON in flow state (`to_dict`/`from_dict`) and be compared in tests.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import Any


class Platform(StrEnum):
    REDDIT = "reddit"
    X = "x"
    INSTAGRAM = "instagram"
    ONLYFANS = "onlyfans"
    FANSLY = "fansly"

    @property
    def is_promo_bio(self) -> bool:
        """OnlyFans/Fansly captions are bio-style promo blurbs, not post titles."""
        return self in (Platform.ONLYFANS, Platform.FANSLY)


class PromoMode(StrEnum):
    NONE = "none"
    SUBTLE = "subtle"
    EXPLICIT = "explicit"


class Length(StrEnum):
    SHORT = "short"
    MEDIUM = "medium"
    LONG = "long"

    def shorter(self) -> Length:
        return Length.SHORT if self is not Length.LONG else Length.MEDIUM

    def longer(self) -> Length:
        return Length.LONG if self is not Length.SHORT else Length.MEDIUM


DEFAULT_TONE = "playful"
DEFAULT_STYLE = "teaser"


@dataclass(frozen=True)
class CaptionBrief:
    """Everything the creator told us about the post they want captions for."""

    description: str
    platform: Platform = Platform.REDDIT
    subreddit: str | None = None
    tone: str = DEFAULT_TONE
    style: str = DEFAULT_STYLE
    persona: str | None = None
    nsfw: bool = False
    promo: PromoMode = PromoMode.NONE
    link: str | None = None
    count: int = 3
    length: Length = Length.MEDIUM
    image_hints: tuple[str, ...] = ()
    seed: int | None = None

    def with_changes(self, **changes: Any) -> CaptionBrief:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form for flow state (small: no image bytes)."""
        data = asdict(self)
        data["image_hints"] = list(self.image_hints)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CaptionBrief:
        return cls(
            description=str(data.get("description", "")),
            platform=Platform(data.get("platform", Platform.REDDIT)),
            subreddit=data.get("subreddit"),
            tone=data.get("tone", DEFAULT_TONE),
            style=data.get("style", DEFAULT_STYLE),
            persona=data.get("persona"),
            nsfw=bool(data.get("nsfw", False)),
            promo=PromoMode(data.get("promo", PromoMode.NONE)),
            link=data.get("link"),
            count=int(data.get("count", 3)),
            length=Length(data.get("length", Length.MEDIUM)),
            image_hints=tuple(data.get("image_hints", ())),
            seed=data.get("seed"),
        )


@dataclass(frozen=True)
class DraftOption:
    """One option as a provider produced it, before fitting and safety checks."""

    title: str
    body: str | None = None
    hashtags: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaptionOption:
    """A finished option: fits the platform's limits and the creator's rules.

    `id` is set once stored, so buttons ("use it", "post this") can carry it.
    """

    title: str
    body: str | None = None
    hashtags: tuple[str, ...] = ()
    id: int | None = None
    platform: Platform = Platform.REDDIT
    subreddit: str | None = None
    nsfw: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "body": self.body,
            "hashtags": list(self.hashtags),
            "platform": self.platform.value,
            "subreddit": self.subreddit,
            "nsfw": self.nsfw,
        }


@dataclass(frozen=True)
class Voice:
    """What we remember about how a creator likes to sound."""

    preferred_tone: str | None = None
    emoji_budget: int = 2
    avoid_phrases: tuple[str, ...] = ()
    banned_words: tuple[str, ...] = ()
    promo_link: str | None = None  # used when a brief asks for explicit promo without a link

    def with_changes(self, **changes: Any) -> Voice:
        return replace(self, **changes)


@dataclass(frozen=True)
class CaptionBatch:
    """The answer to one brief: options plus how they were made."""

    options: tuple[CaptionOption, ...]
    provider: str
    degraded: bool = False
    nsfw_downgraded: bool = False
    batch_id: int | None = None
    attempts: tuple[str, ...] = field(default=())


MAX_WORDS = 30  # entries in a voice word list (banned words, phrases to avoid)
MAX_WORD = 60  # characters in one entry


class WordListRefused(ValueError):
    """A voice word list past its limits; `code` is "too_long" or "too_many"."""

    def __init__(self, code: str, limit: int) -> None:
        super().__init__(f"{code} (limit {limit})")
        self.code, self.limit = code, limit


def parse_word_list(text: str) -> list[str]:
    """Comma- or line-separated entries, spaces tidied, de-duplicated case-insensitively
    (the first spelling kept); the one rule for the chat and the web settings."""
    entries: dict[str, str] = {}
    for part in text.replace("\n", ",").split(","):
        entry = " ".join(part.split())
        if entry:
            entries.setdefault(entry.lower(), entry)
    if any(len(entry) > MAX_WORD for entry in entries.values()):
        raise WordListRefused("too_long", MAX_WORD)
    if len(entries) > MAX_WORDS:
        raise WordListRefused("too_many", MAX_WORDS)
    return list(entries.values())
