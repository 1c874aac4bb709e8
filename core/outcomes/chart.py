"""The /stats picture: median score by weekday and by hour, and posts per subreddit,
drawn server-side with Pillow (loaded with the first chart) as a small PNG that reads
on a phone. Bars only: no axes to decode, numbers written on them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from core.outcomes.stats import Stats

if TYPE_CHECKING:
    from PIL.ImageDraw import ImageDraw
    from PIL.ImageFont import FreeTypeFont, ImageFont

    Font = FreeTypeFont | ImageFont

W, H = 720, 560
BG, INK, MUTED, BAR, ACCENT = "#ffffff", "#1f2430", "#6b7280", "#7c9cf5", "#e8590c"
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def render(stats: Stats, title: str) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (W, H), BG)
    d = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=16)
    small = ImageFont.load_default(size=12)
    d.text((24, 16), title, fill=INK, font=ImageFont.load_default(size=20))
    _bars(d, font, small, "Median score by weekday", DAYS, stats.by_weekday, 24, 60, 672, 130)
    _bars(d, font, small, "Median score by hour", [f"{h}" for h in range(24)],
          stats.by_hour, 24, 220, 672, 130, label_every=3)
    top = stats.by_subreddit[:5]
    _bars(d, font, small, "Posts per subreddit", [f"r/{b.key}"[:16] for b in top],
          [float(b.posts) for b in top], 24, 380, 672, 130)
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    return out.getvalue()


def _bars(d: ImageDraw, font: Font, small: Font, caption: str, labels: Sequence[str],
          values: list[float], x: int, y: int, w: int, h: int, label_every: int = 1) -> None:
    d.text((x, y), caption, fill=MUTED, font=font)
    if not values:
        d.text((x, y + 40), "No posts yet", fill=MUTED, font=font)
        return
    top = max(values) or 1.0
    slot = w / len(values)
    base = y + h
    best = values.index(max(values))
    for i, v in enumerate(values):
        bar_h = int((h - 44) * (v / top))
        left = x + i * slot + slot * 0.15
        fill = ACCENT if i == best and v > 0 else BAR
        d.rectangle((left, base - bar_h, left + slot * 0.7, base), fill=fill)
        if i % label_every == 0:
            d.text((left, base + 4), labels[i], fill=MUTED, font=small)
        if v > 0 and slot >= 40:
            d.text((left, base - bar_h - 16), f"{v:g}", fill=INK, font=small)
