"""Protection levels as documented chains of transforms, plus custom chains.

Each level is a `Chain`; the numbers were chosen by running ``bench/imageshield/run.py``
over real photographs (see that script's output in the engineering notes). The chain is
always: strip metadata and orient (loader) -> optional mirror -> crop (searched for the
crop that moves the hashes most) -> small colour/tone shift -> hash-targeted smooth
luminance field -> optional visible watermark -> re-encode.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from core.imageshield.errors import ImageRejected
from core.imageshield.spec import FieldSpec


class Level(StrEnum):
    LIGHT = "light"
    STANDARD = "standard"
    HEAVY = "heavy"


@dataclass(frozen=True)
class Chain:
    """A transform chain. Build your own for a custom level.

    ``max_crop`` is the largest fraction cut from any one side; ``crop_candidates`` > 1
    tries that many seeded crops on the tiny working copy and keeps the one that moves the
    hashes most. ``tone`` is the largest per-channel gain / gamma change. ``field`` is the
    hash-targeted luminance field (None disables it). ``mirror`` flips left-right, which
    defeats every hash and keypoint matcher we measured but mirrors text too.
    ``min_ssim`` is the level's quality promise: the field is scaled back until the
    working copy's SSIM is at least this (0 disables the guard). ``attempts`` > 1 retries
    with a fresh crop and a stronger field while any hash still matches.
    """

    name: str = "custom"
    mirror: bool = False
    max_crop: float = 0.02
    crop_candidates: int = 1
    tone: float = 0.01
    field: FieldSpec | None = field(default_factory=FieldSpec)
    min_ssim: float = 0.0
    attempts: int = 1


LEVELS: dict[Level, Chain] = {
    Level.LIGHT: Chain(
        name="light", max_crop=0.015, crop_candidates=8, tone=0.008,
        field=FieldSpec(target_bits=12, max_relative=0.06, iterations=150),
        min_ssim=0.983, attempts=4,
    ),
    Level.STANDARD: Chain(
        name="standard", max_crop=0.04, crop_candidates=16, tone=0.015,
        field=FieldSpec(target_bits=14, max_relative=0.12),
        min_ssim=0.91, attempts=5,
    ),
    Level.HEAVY: Chain(
        name="heavy", mirror=True, max_crop=0.06, crop_candidates=16, tone=0.025,
        field=FieldSpec(target_bits=16, max_relative=0.16),
        min_ssim=0.90, attempts=4,
    ),
}

LEVEL_FACTS: dict[str, dict[str, str]] = {
    # Shares measured by bench/imageshield/run.py over 25 real photographs (README).
    "light": {
        "does": "Removes all metadata (GPS, camera, dates), trims up to 1.5% of the edges, "
                "shifts colours very slightly and adds a faint brightness pattern aimed at "
                "the perceptual hashes. Invisible in normal viewing (similarity >= 0.98).",
        "defeats": "Exact-file matching always; all four perceptual hashes on about half "
                   "of photos (52% in our tests).",
        "does_not": "Does not stop keypoint-based reverse image search (Google Lens, "
                    "TinEye-style): in our tests they still found 92-96% of photos.",
    },
    "standard": {
        "does": "Everything in light, plus a crop of up to 4% per side chosen to move the "
                "hashes most and a stronger smooth brightness pattern targeted at the bits "
                "of pHash, dHash, aHash and wHash closest to flipping, retried until every "
                "hash is beaten.",
        "defeats": "Exact-file matching always; all four perceptual hashes on almost every "
                   "photo (96% in our tests), at a typical similarity of 0.975.",
        "does_not": "Keypoint-based reverse image search still finds most photos (92-96% "
                    "in our tests): no invisible change removes a picture's keypoints.",
    },
    "heavy": {
        "does": "Mirrors the photo left-right, crops up to 6% per side and applies the "
                "strongest targeted brightness pattern and colour shift.",
        "defeats": "Exact-file matching, all four perceptual hashes (100% in our tests) "
                   "and most keypoint search: ORB matching lost every photo, SIFT 64%.",
        "does_not": "Text in the photo appears mirrored. Engines that also search mirrored "
                    "copies can still find it. Faces and scenes stay recognisable to people "
                    "by design.",
    },
}


def resolve_chain(level: str | Level | Chain) -> Chain:
    """Accept a level name, a `Level` or a ready `Chain`."""
    if isinstance(level, Chain):
        return level
    try:
        return LEVELS[Level(level)]
    except ValueError as exc:
        raise ImageRejected("bad_level", f"unknown level {level!r}", level=str(level),
                            allowed=[lv.value for lv in Level]) from exc
