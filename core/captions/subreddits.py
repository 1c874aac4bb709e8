"""Title rules for well-known subreddits, used when no live rules are available.

This is a seed table: the Reddit integration can read a subreddit's real rules and
pass its own `TitleRules` to `fit_title`; captions fall back to these, then to Reddit's
plain 1-300 characters.
"""

from __future__ import annotations

from types import MappingProxyType

from core.captions.fitting import TitleRules

_GENDER_TAGS = ("[F]", "(F)", "[M]", "(M)", "[FF]", "[MF]", "[FM]", "[MM]", "[NB]", "(NB)")

KNOWN = MappingProxyType({
    "selfie": TitleRules(min_len=3, max_len=300),
    "selfies": TitleRules(min_len=3, max_len=300),
    "gonewild": TitleRules(min_len=5, max_len=300, required_tags=_GENDER_TAGS),
    "gonewildcurvy": TitleRules(min_len=5, max_len=300, required_tags=_GENDER_TAGS),
    "gonewild30plus": TitleRules(min_len=5, max_len=300, required_tags=_GENDER_TAGS),
    "petitegonewild": TitleRules(min_len=5, max_len=300, required_tags=_GENDER_TAGS),
    "bigboobsgw": TitleRules(min_len=5, max_len=300, required_tags=_GENDER_TAGS),
    "amihot": TitleRules(min_len=5, max_len=200, required_tags=_GENDER_TAGS),
    "cosplay": TitleRules(min_len=5, max_len=300, required_tags=("[self]", "[found]")),
    "cosplaygirls": TitleRules(min_len=5, max_len=300, required_tags=("[self]", "[OC]")),
    "itookapicture": TitleRules(min_len=10, max_len=300, required_tags=("ITAP",)),
    "earthporn": TitleRules(min_len=10, max_len=300, required_tags=("[OC]",)),
    "fitgirls": TitleRules(min_len=5, max_len=200),
    "outfits": TitleRules(min_len=5, max_len=300),
    "onoff": TitleRules(min_len=3, max_len=300, required_tags=("[OC]", "(OC)")),
})


def normalise_subreddit(name: str | None) -> str | None:
    """`r/Selfie`, `/r/selfie/` and `selfie` all mean `selfie`."""
    if not name:
        return None
    cleaned = name.strip().strip("/").lower()
    cleaned = cleaned.removeprefix("r/")
    return cleaned or None


def rules_for(subreddit: str | None) -> TitleRules:
    """Known rules for `subreddit`, else Reddit's plain limits."""
    key = normalise_subreddit(subreddit)
    return KNOWN.get(key or "", TitleRules())
