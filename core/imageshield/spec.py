"""The shield's plain settings and constants, free of numpy and Pillow.

Core, the CLI and the chat flows name levels, limits and thresholds long before (or
without ever) protecting a photo; keeping these here lets them do so without loading
the image stack, which is imported with the first photo instead.
"""

from __future__ import annotations

from dataclasses import dataclass

MATCH_DISTANCE = 10
"""Two 64-bit hashes within this Hamming distance count as the same picture."""


@dataclass(frozen=True)
class ShieldLimits:
    """Input limits; the defaults match what a chat upload can reasonably be."""

    max_bytes: int = 20 * 1024 * 1024
    max_pixels: int = 50_000_000


@dataclass(frozen=True)
class FieldSpec:
    """How hard the field pushes: per-hash target distance, margin and relative cap."""

    grid: int = 12
    target_bits: int = 14
    margin: float = 1.5
    max_relative: float = 0.2
    energy_weight: float = 20.0
    iterations: int = 200
    step: float = 0.01
