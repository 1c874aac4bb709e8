"""What the engagement score looks at in a draft, as numbers (core.outcomes.predictor).

Each feature is small, cheap and explainable in one phrase: the title's length, whether
it asks a question, has an emoji or a tag like [OC], the hour's lift in the creator's
best-time model, weekend or not, how many images, the 18+ flag, the subreddit's size
and the creator's past median there.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

NAMES: tuple[str, ...] = ("title_fit", "question", "emoji", "tag", "hour_lift", "weekend",
                          "images", "nsfw", "sub_size", "past_median")
_TAG = re.compile(r"[\[(](?:oc|f|m|\d{1,2}\s?[fm]|[fm]\s?\d{1,2}|art|selfie|nsfw)[\])]",
                  re.IGNORECASE)
_EMOJI = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF]")
SWEET_SPOT = (30, 90)  # title characters that read well in a feed


@dataclass(frozen=True)
class Draft:
    title: str
    hour_lift: float = 1.0  # the best-time model's lift at the planned hour
    weekend: bool = False
    images: int = 0
    nsfw: bool = False
    subscribers: int = 0
    past_median: float = 0.0  # the creator's median score in this subreddit


def title_fit(title: str) -> float:
    """1.0 inside the sweet spot, falling off linearly to 0 at 0 or 300 characters."""
    n = len(title.strip())
    low, high = SWEET_SPOT
    if n < low:
        return n / low
    if n > high:
        return max(0.0, 1.0 - (n - high) / (300 - high))
    return 1.0


def vector(d: Draft) -> list[float]:
    return [
        title_fit(d.title),
        1.0 if "?" in d.title else 0.0,
        1.0 if _EMOJI.search(d.title) else 0.0,
        1.0 if _TAG.search(d.title) else 0.0,
        math.log(max(d.hour_lift, 0.05)),
        1.0 if d.weekend else 0.0,
        min(d.images, 5) / 5.0,
        1.0 if d.nsfw else 0.0,
        math.log10(max(d.subscribers, 1)) / 7.0,  # 10M subscribers ~ 1.0
        math.log1p(max(d.past_median, 0.0)) / 7.0,
    ]
