"""What a protection returns: the bytes plus an honest, JSON-friendly report."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from core.imageshield.spec import MATCH_DISTANCE


@dataclass(frozen=True)
class ShieldReport:
    """Facts about one protection, for the chat ("hash match 100% -> 25%") and logs.

    Hash distances compare the protected picture with the original (64-bit hashes,
    "still matched" at <= ``MATCH_DISTANCE``). ``distances_before`` is what an unprotected
    re-upload scores (always 0): the baseline the chat contrasts with. Hashes, SSIM and PSNR
    are measured on a <= 512 px working copy (hashes only look at 8x8 to 32x32 grids, so
    this equals the full-size value; the benchmark checks that on full-size files) with the
    original cropped/mirrored like the output so the comparison is pixel-aligned.
    """

    level: str
    seed: int
    distances_before: dict[str, int]
    distances_after: dict[str, int]
    original_hashes: dict[str, str]
    protected_hashes: dict[str, str]
    ssim: float
    psnr: float
    elapsed_ms: float
    input_bytes: int
    output_bytes: int
    output_format: str
    width: int
    height: int
    source_width: int
    source_height: int
    crop_box: tuple[int, int, int, int]
    mirrored: bool
    quality: int
    attempts: int = 1  # designs tried before every hash was defeated (or the best kept)

    @property
    def match_before(self) -> float:
        """Share of the four hashes that match before protection (1.0)."""
        return self._match_share(self.distances_before)

    @property
    def match_after(self) -> float:
        """Share of the four hashes that still match the original after protection."""
        return self._match_share(self.distances_after)

    @property
    def all_hashes_defeated(self) -> bool:
        return self.match_after == 0.0

    @staticmethod
    def _match_share(distances: dict[str, int]) -> float:
        return sum(d <= MATCH_DISTANCE for d in distances.values()) / max(len(distances), 1)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["crop_box"] = list(self.crop_box)
        out["match_before"] = self.match_before
        out["match_after"] = self.match_after
        out["all_hashes_defeated"] = self.all_hashes_defeated
        out["match_distance"] = MATCH_DISTANCE
        return out


@dataclass(frozen=True)
class ProtectedImage:
    data: bytes
    mime: str
    ext: str
    report: ShieldReport
