"""The offline caption writer: template grammar + tone lexicons, no network.

Deterministic for a given seed and brief, yet varied: every candidate is a fresh draw of
template and phrases, and anything whose fingerprint is in `avoid` (the creator's recent
captions, or options already in this batch) is skipped.
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterable

from core.captions import grammar
from core.captions.lexicon import NSFW_EXTRA, PERSONAS, TONES, Lexicon
from core.captions.scene import Scene, parse_scene
from core.captions.textutil import fingerprint, hashtag, tidy
from core.captions.types import CaptionBrief, DraftOption, Length, Platform, PromoMode

_SCENE_NEEDS = {
    "outfit_np": ("outfit",), "where": ("place",), "when": ("time",), "when_bare": ("time",),
    "setting": ("place", "time"), "Setting": ("place", "time"),
}
_MAX_TITLE = {Length.SHORT: 60, Length.MEDIUM: 110, Length.LONG: 170}
_BODY_LINES = {
    Platform.REDDIT: {Length.SHORT: 0, Length.MEDIUM: 0, Length.LONG: 2},
    Platform.X: {Length.SHORT: 0, Length.MEDIUM: 0, Length.LONG: 0},
    Platform.INSTAGRAM: {Length.SHORT: 0, Length.MEDIUM: 1, Length.LONG: 3},
    Platform.ONLYFANS: {Length.SHORT: 1, Length.MEDIUM: 2, Length.LONG: 3},
    Platform.FANSLY: {Length.SHORT: 1, Length.MEDIUM: 2, Length.LONG: 3},
}
_TAG_COUNT = {
    Platform.REDDIT: {Length.SHORT: 0, Length.MEDIUM: 0, Length.LONG: 0},
    Platform.X: {Length.SHORT: 1, Length.MEDIUM: 2, Length.LONG: 3},
    Platform.INSTAGRAM: {Length.SHORT: 8, Length.MEDIUM: 15, Length.LONG: 25},
    Platform.ONLYFANS: {Length.SHORT: 0, Length.MEDIUM: 0, Length.LONG: 0},
    Platform.FANSLY: {Length.SHORT: 3, Length.MEDIUM: 5, Length.LONG: 8},
}


def _slots(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _fits(text: str, scene: Scene) -> bool:
    for slot in _slots(text):
        needs = _SCENE_NEEDS.get(slot)
        if needs and not any(getattr(scene, part) for part in needs):
            return False
    return True


def _lower_first(text: str) -> str:
    """Phrases are written sentence-case; mid-sentence they start lower case
    (but "I", "I'm" and acronyms such as "GG" keep their capitals)."""
    first = text.split(" ", 1)[0].rstrip(",.!?")
    if first.startswith(("I'", "I’")) or first == "I" or (first.isupper() and len(first) > 1):
        return text
    return text[:1].lower() + text[1:]


def lexicon_for(brief: CaptionBrief) -> Lexicon:
    lex = TONES.get(brief.tone, TONES["playful"])
    if brief.persona and brief.persona in PERSONAS:
        lex = lex.merged(PERSONAS[brief.persona])
    if brief.nsfw:
        lex = lex.merged(NSFW_EXTRA)
    return lex


class _Writer:
    """One batch's worth of state: the RNG, the scene and what is already taken."""

    def __init__(self, brief: CaptionBrief, seed: int, avoid: Iterable[str]) -> None:
        key = f"{seed}|{brief.description}|{brief.tone}|{brief.style}|{brief.platform}"
        self.rng = random.Random(key)  # noqa: S311 - reproducible wording, not security
        self.brief = brief
        self.scene = parse_scene(brief.description, brief.image_hints)
        self.lex = lexicon_for(brief)
        self.taken: set[str] = set(avoid)

    def pick(self, options: tuple[str, ...], fallback: str = "") -> str:
        usable = [o for o in options if _fits(o, self.scene)]
        return self.rng.choice(usable) if usable else fallback

    def values(self) -> dict[str, str]:
        scene, lex = self.scene, self.lex
        base = {
            "subject": scene.subject, "outfit_np": scene.outfit_np, "setting": scene.setting,
            "where": scene.where, "when": scene.when, "when_bare": scene.time or "",
        }
        adjs = self.rng.sample(lex.adj, k=2) if len(lex.adj) >= 2 else [*lex.adj, "cute", "cute"]
        base["adj"], base["adj2"] = adjs[0], adjs[1]
        feel = scene.mood if scene.mood and self.rng.random() < 0.4 else self.pick(lex.feel)
        phrases = {
            "feel": feel, "opener": self.pick(lex.opener), "ask": self.pick(lex.ask),
            "tease": self.pick(lex.tease), "turn": self.pick(lex.turn),
            "close": self.pick(lex.close),
        }
        for name, phrase in phrases.items():
            base[name] = _lower_first(phrase.format_map(base))
        for name in list(base):
            value = base[name]
            base[name.capitalize()] = value[:1].upper() + value[1:]
        return base

    def title(self, templates: tuple[str, ...], limit: int) -> str | None:
        template = self.pick(templates)
        if not template:
            return None
        values = self.values()
        text = tidy(template.format_map(values))
        lowered = text.lower()
        for part in (self.scene.subject, self.scene.where, self.scene.when):
            if part and lowered.count(part.lower()) > 1:
                return None
        if len(text) > limit or len(text) < 8:
            return None
        if self.lex.emoji and self.rng.random() < self._emoji_odds():
            with_emoji = f"{text} {self.rng.choice(self.lex.emoji)}"
            text = with_emoji if len(with_emoji) <= limit else text  # the limit is a promise
        return text

    def _emoji_odds(self) -> float:
        return 0.35 if self.brief.platform is Platform.REDDIT else 0.7

    def body(self) -> str | None:
        brief = self.brief
        lines: list[str] = []
        wanted = _BODY_LINES[brief.platform][brief.length]
        pool = [*self.lex.body, *(b for b in grammar.BODY_BRIDGES if _fits(b, self.scene))]
        values = self.values()
        for line in self.rng.sample(pool, k=min(wanted, len(pool))):
            lines.append(tidy(line.format_map(values)))
        promo = self.promo()
        if promo and brief.platform is not Platform.X:
            lines.append(promo)
        return " ".join(lines) or None

    def promo(self) -> str | None:
        brief = self.brief
        explicit = brief.promo is PromoMode.EXPLICIT
        if brief.promo is PromoMode.SUBTLE or (explicit and not brief.link):
            return self.rng.choice(grammar.PROMO_SUBTLE[brief.platform.value])
        if brief.promo is PromoMode.EXPLICIT and brief.link:
            line = self.rng.choice(grammar.PROMO_EXPLICIT[brief.platform.value])
            return line.format(link=brief.link)
        return None

    def hashtags(self) -> tuple[str, ...]:
        wanted = _TAG_COUNT[self.brief.platform][self.brief.length]
        if not wanted:
            return ()
        words = list(self.scene.keywords)
        extra = [*self.lex.tags, *grammar.PLATFORM_TAGS[self.brief.platform.value]]
        self.rng.shuffle(extra)
        if self.scene.time in ("sunset", "golden hour", "sunrise"):
            words += ["goldenhour", f"{self.scene.time}lovers"]
        tags = [t for t in (hashtag(w) for w in [*words, *extra]) if t]
        return tuple(dict.fromkeys(tags))[:wanted]


def write_captions(
    brief: CaptionBrief, count: int, seed: int, avoid: Iterable[str] = ()
) -> list[DraftOption]:
    """`count` distinct options, none whose fingerprint is in `avoid`."""
    writer = _Writer(brief, seed, avoid)
    limit = _MAX_TITLE[brief.length]
    own = grammar.STYLES.get(brief.style, grammar.STYLES["teaser"])
    others = tuple(t for key, ts in grammar.STYLES.items() if key != brief.style for t in ts)
    out: list[DraftOption] = []
    for attempt in range(count * 60):
        if len(out) == count:
            break
        templates = own if attempt < count * 30 else own + others
        title = writer.title(templates, limit if attempt < count * 45 else 200)
        if title is None:
            continue
        if brief.platform is Platform.X and (promo := writer.promo()):
            title = f"{title} {promo}"
        mark = fingerprint(title)
        if mark in writer.taken:
            continue
        writer.taken.add(mark)
        out.append(DraftOption(title=title, body=writer.body(), hashtags=writer.hashtags()))
    return out
