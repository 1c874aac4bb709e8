"""Read a short description ("red dress, rooftop at sunset") into the parts a caption
template needs: an outfit, a place, a time and whatever else the creator mentioned.

The offline generator writes from these parts, so a recognised outfit becomes "this red
dress", a place becomes "on the rooftop" and a time "at sunset".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType

_CLOTHING = (
    "crop top", "tank top", "sports bra", "yoga pants", "bodysuit", "sundress", "dress",
    "bikini", "swimsuit", "one-piece", "lingerie", "corset", "bralette", "hoodie", "sweater",
    "jumper", "cardigan", "jeans", "shorts", "skirt", "miniskirt", "leggings", "heels",
    "boots", "stockings", "fishnets", "tights", "robe", "kimono", "blazer", "suit", "shirt",
    "t-shirt", "tee", "blouse", "jacket", "leather jacket", "coat", "jumpsuit", "romper",
    "pajamas", "pyjamas", "onesie", "gown", "saree", "outfit", "fit", "uniform", "costume",
    "cosplay", "latex", "leather", "lace set", "bra", "set", "top", "hat", "glasses",
)
_MODIFIERS = frozenset(
    (
        "red", "black", "white", "pink", "blue", "navy", "green", "emerald", "gold", "golden",
        "silver", "purple", "lilac", "lavender", "yellow", "orange", "beige", "cream", "brown",
        "grey", "gray", "nude-tone", "pastel", "neon", "satin", "silk", "silky", "lace", "lacy",
        "leather", "latex", "denim", "velvet", "sheer", "knit", "cotton", "linen", "floral",
        "striped", "plaid", "sparkly", "sequin", "little", "tiny", "short", "long", "tight",
        "oversized", "cropped", "new", "favourite", "favorite", "vintage", "cute", "baggy",
        "fitted", "flowy", "backless", "strappy", "mini", "midi", "maxi", "matching", "cozy",
        "comfy", "chunky", "slinky", "sleek", "classic"
    )
)
# place -> the preposition it takes ("on the rooftop", "in the kitchen", "at the gym")
_PLACES = MappingProxyType(
    {
        "rooftop": "on", "roof": "on", "balcony": "on", "beach": "on", "bed": "in",
        "couch": "on", "sofa": "on", "boat": "on", "yacht": "on", "porch": "on",
        "terrace": "on", "deck": "on", "pier": "on", "stairs": "on", "street": "on",
        "kitchen": "in", "bedroom": "in", "bathroom": "in", "shower": "in", "bath": "in",
        "bathtub": "in", "car": "in", "forest": "in", "woods": "in", "garden": "in",
        "park": "in", "city": "in", "pool": "by", "office": "at", "studio": "in",
        "hotel room": "in", "hotel": "at", "mirror": "in", "snow": "in", "rain": "in",
        "field": "in", "meadow": "in", "desert": "in", "mountains": "in", "lake": "by",
        "gym": "at", "cafe": "at", "coffee shop": "at", "bar": "at", "club": "at",
        "party": "at", "concert": "at", "festival": "at", "museum": "at", "airport": "at",
        "library": "in", "window": "by", "fireplace": "by", "vineyard": "in", "garage": "in",
        "living room": "in", "backyard": "in", "hammock": "in", "cabin": "in", "train": "on",
    }
)
_TIMES = MappingProxyType(
    {
        "golden hour": "at golden hour", "sunset": "at sunset", "sunrise": "at sunrise",
        "dawn": "at dawn", "dusk": "at dusk", "midnight": "at midnight",
        "morning": "this morning", "afternoon": "this afternoon", "evening": "this evening",
        "tonight": "tonight", "night": "tonight", "late night": "late at night",
        "weekend": "this weekend", "sunday": "on a lazy Sunday", "friday": "on a Friday night",
        "rainy day": "on a rainy day", "summer": "this summer", "winter": "this winter",
        "autumn": "this autumn", "fall": "this fall", "spring": "this spring",
        "christmas": "this Christmas", "halloween": "this Halloween",
        "valentine's": "on Valentine's Day", "new year": "for New Year's",
        "birthday": "on my birthday", "holiday": "on holiday", "vacation": "on vacation",
    }
)
_NO_ARTICLE = frozenset({"bed", "town"})
_FILLER_START = frozenset(
    (
        "me", "my", "i", "i'm", "im", "just", "a", "an", "the", "wearing", "in", "on", "at",
        "with", "of", "for", "to"
    )
)
_EDGE_WORDS = frozenset(
    (
        "at", "on", "in", "the", "by", "with", "a", "an", "of", "for", "to", "this", "that",
        "today", "my"
    )
)
_EMPTY_EXTRAS = frozenset(
    (
        "this", "that", "today", "now", "here", "pic", "photo", "selfie", "new"
    )
)
_SPLIT = re.compile(r"\s*(?:[,;/+|\n]|\band\b|\s-\s|&)\s*")


@dataclass(frozen=True)
class Scene:
    outfit: str | None = None
    place: str | None = None
    time: str | None = None
    extras: tuple[str, ...] = ()

    @property
    def outfit_np(self) -> str:
        return f"this {self.outfit}" if self.outfit else ""

    @property
    def where(self) -> str:
        if not self.place:
            return ""
        prep = _PLACES.get(self.place, "at")
        article = "" if self.place in _NO_ARTICLE else "the "
        return f"{prep} {article}{self.place}"

    @property
    def when(self) -> str:
        return _TIMES.get(self.time, f"at {self.time}") if self.time else ""

    @property
    def setting(self) -> str:
        return " ".join(part for part in (self.where, self.when) if part)

    @property
    def mood(self) -> str:
        """A "feeling ..." phrase the creator wrote themselves, used as-is."""
        return next((e for e in self.extras if e.startswith("feeling ")), "")

    @property
    def subject(self) -> str:
        """The best noun phrase for "what this post is about"."""
        if self.outfit:
            return self.outfit_np
        for extra in self.extras:
            words = extra.split()
            if 1 <= len(words) <= 4 and words[0] not in _FILLER_START:
                return f"my {extra}"
        return "this look"

    @property
    def keywords(self) -> tuple[str, ...]:
        """Words worth turning into hashtags, most specific first."""
        words: list[str] = []
        if self.outfit:
            words.append(self.outfit)
            words.append(self.outfit.split()[-1])
        if self.place:
            words.append(self.place)
        if self.time:
            words.append(self.time)
        for extra in self.extras:
            if len(extra.split()) <= 2:
                words.append(extra)
        return tuple(dict.fromkeys(words))


def _find(text: str, terms: tuple[str, ...] | list[str]) -> tuple[str, int] | None:
    best: tuple[str, int] | None = None
    for term in sorted(terms, key=len, reverse=True):
        match = re.search(rf"\b{re.escape(term)}s?\b", text)
        if match and (best is None or len(term) > len(best[0])):
            best = (term, match.start())
    return best


def _outfit(text: str) -> tuple[str | None, str]:
    found = _find(text, _CLOTHING)
    if found is None:
        return None, text
    term, start = found
    before = text[:start].split()
    mods: list[str] = []
    for word in reversed(before):
        if word not in _MODIFIERS or len(mods) == 3:
            break
        mods.insert(0, word)
    phrase = " ".join([*mods, term])
    cut_from = start - sum(len(m) + 1 for m in mods)
    rest = text[: max(cut_from, 0)] + " " + text[start + len(term) :]
    return phrase, rest


def parse_scene(description: str, hints: tuple[str, ...] = ()) -> Scene:
    """Best-effort parse; anything unrecognised becomes an extra, never an error."""
    text = " ".join(description.lower().split())
    text = re.sub(r"https?://\S+|\br/\w+", " ", text)
    outfit, rest = _outfit(text)
    place = _find(rest, list(_PLACES))
    time = _find(rest, list(_TIMES))
    for found in (place, time):
        if found:
            rest = re.sub(rf"\b{re.escape(found[0])}s?\b", " ", rest, count=1)
    extras: list[str] = []
    for fragment in _SPLIT.split(rest):
        # a price or a share keeps its sign: a bare "15" beside a flirty word reads as an age
        words = [w for w in re.findall(r"[$€£]?[a-z0-9'-]+%?", fragment)]
        while words and words[0] in _FILLER_START | _EDGE_WORDS:
            words.pop(0)
        while words and words[-1] in _EDGE_WORDS:
            words.pop()
        if words and not set(words) <= _EMPTY_EXTRAS - {"selfie"}:
            extras.append(" ".join(words[:6]))
    hint_time = next((h for h in hints if h in _TIMES), None)
    return Scene(
        outfit=outfit,
        place=place[0] if place else None,
        time=time[0] if time else hint_time,
        extras=tuple(extras[:3]),
    )
