"""Server-rendered SVG charts for the admin dashboard: no script, so the CSP holds.

Each function returns markup safe to drop into a template: pieces are `Markup`
templates whose `format` escapes every value. Sizes are in the viewBox, so a chart
scales to its container.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup

BAR = "#6d4aff"
MUTED = "#8a8a9a"
OPEN = Markup('<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{t}">'
              '<title>{t}</title>')
CLOSE = Markup("</svg>")
COLUMN = Markup('<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{c}">'
                '<title>{label}: {value}</title></rect>')
AXIS = Markup('<text x="{x}" y="{y}" font-size="11" fill="{c}">{text}</text>')
ROW = Markup('<text x="0" y="{ty}" font-size="13" fill="currentColor">{label}</text>'
             '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{c}"></rect>'
             '<text x="{vx}" y="{ty}" font-size="13" fill="currentColor">{value}</text>')


def _plain(value: float) -> str:
    return f"{value:g}"


def _n(value: float) -> str:
    return f"{value:.1f}"


def columns(points: Sequence[tuple[str, float]], *, title: str, height: int = 160,
            label_every: int = 7, fmt: Callable[[float], str] = _plain) -> Markup:
    """Vertical bars over time (e.g. DAU per day), every `label_every`-th labelled."""
    width, top, bottom = 640, 16, 24
    n = max(len(points), 1)
    peak = max((v for _, v in points), default=0) or 1
    slot = width / n
    parts = [OPEN.format(w=width, h=height, t=title)]
    for i, (label, value) in enumerate(points):
        h = (height - top - bottom) * value / peak
        x = i * slot + 1
        parts.append(COLUMN.format(x=_n(x), y=_n(height - bottom - h), w=_n(max(slot - 2, 1)),
                                   h=_n(h), c=BAR, label=label, value=fmt(value)))
        if i % label_every == 0 or (i == n - 1 and i % label_every > label_every // 2):
            parts.append(AXIS.format(x=_n(x), y=height - 6, c=MUTED, text=label))
    parts.append(AXIS.format(x=0, y=11, c=MUTED, text=f"max {fmt(peak)}"))
    parts.append(CLOSE)
    return Markup("").join(parts)


def rows(items: Sequence[tuple[str, float]], *, title: str, peak: float | None = None,
         fmt: Callable[[float], str] = _plain) -> Markup:
    """Horizontal bars, one per labelled value (funnel stages, features, tiers)."""
    width, row, label_w = 640, 26, 170
    top = peak or max((v for _, v in items), default=0) or 1
    parts = [OPEN.format(w=width, h=max(len(items), 1) * row, t=title)]
    for i, (label, value) in enumerate(items):
        y = i * row
        w = (width - label_w - 90) * value / top
        parts.append(ROW.format(ty=y + 17, label=label, x=label_w, y=y + 4, w=_n(w),
                                h=row - 8, c=BAR, vx=_n(label_w + w + 6), value=fmt(value)))
    parts.append(CLOSE)
    return Markup("").join(parts)
