"""Small text helpers shared by the generator, the fitter and the store."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff\ufe0f\u200d]+"
)
_SPACES = re.compile(r"\s+")


def tidy(text: str) -> str:
    """Fix what template filling leaves behind: doubled spaces, orphaned punctuation,
    empty clauses, and sentence starts in lower case."""
    text = _SPACES.sub(" ", text).strip()
    text = re.sub(r"\s+([,.!?:;…])", r"\1", text)
    text = re.sub(r"([,:;])(?=[,.!?:;…])", "", text)
    text = re.sub(r"\.{2,}", "…", text)
    text = re.sub(r"([!?])\.", r"\1", text)
    text = re.sub(r"…([.,])", "…", text)
    text = re.sub(r",\s*,", ",", text)
    text = re.sub(r"^[,.:;\s]+", "", text)
    text = re.sub(r"([.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)
    return text[:1].upper() + text[1:] if text else text


def fingerprint(text: str) -> str:
    """Identity of a caption for "don't repeat": letters and digits only, so two
    options that differ only in emoji or punctuation count as the same."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    core = "".join(ch for ch in folded if ch.isalnum())
    return hashlib.sha256(core.encode()).hexdigest()[:32]


def count_emoji(text: str) -> int:
    joiners = "\ufe0f\u200d"
    return sum(len([c for c in m.group() if c not in joiners]) for m in _EMOJI.finditer(text))


def strip_emoji(text: str, keep: int) -> str:
    """Keep the first `keep` emoji (a creator's emoji budget) and drop the rest."""
    kept = 0

    def _sub(match: re.Match[str]) -> str:
        nonlocal kept
        out: list[str] = []
        for ch in match.group():
            if ch in "\ufe0f\u200d":
                if out:
                    out.append(ch)
                continue
            if kept < keep:
                kept += 1
                out.append(ch)
        return "".join(out)

    return tidy(_EMOJI.sub(_sub, text)) if text else text


def hashtag(word: str) -> str | None:
    """`golden hour` -> `goldenhour`; None when nothing usable remains."""
    tag = "".join(ch for ch in unicodedata.normalize("NFKC", word).lower() if ch.isalnum())
    return tag[:40] if len(tag) >= 2 else None
