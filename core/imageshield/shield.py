"""The pixel engine behind `ImageShield`: validate -> transform -> re-encode, measured.

Heavy numpy work happens on a <= 512 px working copy (hashes look at 8x8..32x32 grids);
the full-size picture only sees byte moves (mirror/crop), one lookup table (tone), one
upsampled 64x64 field added with ImageChops, and the encoder. That keeps a 12 MP photo
within about 3x a plain decode + re-encode. CPU-bound: use `ImageShield.protect_async`
from async code.
"""

from __future__ import annotations

import math
import secrets
import time
from dataclasses import dataclass, replace

import numpy as np
from imagehash import ImageHash
from numpy.typing import NDArray
from PIL import Image, ImageChops, ImageOps
from threadpoolctl import threadpool_limits

from core.imageshield.encode import check_fits, choose_format, encode
from core.imageshield.errors import ImageRejected
from core.imageshield.hashgrid import FloatArray, hash_models
from core.imageshield.levels import Chain, Level, resolve_chain
from core.imageshield.loader import ShieldLimits, load_image
from core.imageshield.metrics import (
    hash_distances,
    perceptual_hashes,
    psnr,
    ssim,
)
from core.imageshield.perturb import FIELD_GRID, optimise_field, render_field
from core.imageshield.report import ProtectedImage, ShieldReport
from core.imageshield.spec import MATCH_DISTANCE
from core.imageshield.transforms import (
    CropFractions,
    apply_geometry,
    crop_box,
    luminance,
    rank_crops,
    tone_table,
)
from core.imageshield.watermark import add_watermark

WORK_SIZE = 512
SIZE_SLACK = 1.10  # output may be at most 10 % larger than a compressed input
ESCALATION = 1.35  # field cap multiplier per retry


MIN_SIDE = 32  # smaller than this, the 64-bit hashes see noise, not a photo
MAX_ASPECT = 20.0  # longer than 20:1 is a strip; the 8x8 hash grids degenerate
MAX_SEED = 2**63 - 1  # what a report's seed can be (secrets.randbits(63))
MIN_WORK_SIDE = 16  # the 8x8 hash grids need at least 2 px per cell on the short side


def _working_copy(img: Image.Image, factor: int) -> Image.Image:
    return img.reduce(factor) if factor > 1 else img


def _reduction(size: tuple[int, int]) -> int:
    """How much to shrink for the working copy: the long side to about WORK_SIZE, but
    never the short side of a long, thin picture below MIN_WORK_SIDE."""
    return max(1, min(math.ceil(max(size) / WORK_SIZE), min(size) // MIN_WORK_SIDE))


def _check_shape(size: tuple[int, int]) -> None:
    """Refuse, kindly, the pictures whose protection could not mean anything: icons,
    single pixels, one-pixel strips (they used to crash the maths, too)."""
    width, height = size
    if max(width, height) > MAX_ASPECT * min(width, height):
        raise ImageRejected("too_thin", "image too long and thin to protect", width=width,
                            height=height, max_aspect=int(MAX_ASPECT))
    if min(width, height) < MIN_SIDE:
        raise ImageRejected("too_small", "image too small to protect", width=width,
                            height=height, min_side=MIN_SIDE)


def _check_seed(seed: int | None) -> None:
    if seed is not None and (isinstance(seed, bool) or not 0 <= seed <= MAX_SEED):
        raise ImageRejected("bad_seed", "seed out of range", seed=seed, max_seed=MAX_SEED)


def _field_image(field: FloatArray, size: tuple[int, int]) -> Image.Image:
    """The 64x64 field as a full-size RGB offset image (128 = no change)."""
    small = np.clip(np.rint(field + 128.0), 0, 255).astype(np.uint8)
    full = Image.fromarray(small, "L").resize(size, Image.Resampling.BICUBIC)
    return Image.merge("RGB", (full, full, full))


def _solve_field(chain: Chain, work: Image.Image, bits: dict[str, NDArray[np.bool_]],
                 rng: np.random.Generator) -> FloatArray:
    """Optimise the field on the working copy, unless the hashes already moved enough."""
    if chain.field is None:
        return np.zeros((FIELD_GRID, FIELD_GRID))
    lum = luminance(work)
    models = hash_models(lum.shape[0], lum.shape[1])
    if all(int((m.bits(lum) != bits[m.name]).sum()) >= chain.field.target_bits
           for m in models):
        return np.zeros((FIELD_GRID, FIELD_GRID))
    return optimise_field(models, bits, lum, chain.field, rng)


SSIM_BACKOFF = (1.0, 0.8, 0.6, 0.4, 0.2, 0.0)


def _respect_ssim_floor(chain: Chain, field: FloatArray, toned_lum: FloatArray,
                        reference: FloatArray) -> FloatArray:
    """Scale the field back until the level's SSIM promise holds on the working copy.

    The optimiser trades quality for hash distance; on busy photos it can overshoot a
    level's floor. The field adds the same offset to R, G and B, so it adds exactly that
    to luminance too (up to clipping): each try is one SSIM on floats, no image maths.
    """
    if chain.min_ssim <= 0 or not np.any(field):
        return field
    rendered = render_field(field, *toned_lum.shape)
    for scale in SSIM_BACKOFF:
        # Whole grey levels, as the 8-bit offset image that is really added.
        trial = np.clip(toned_lum + np.rint(scale * rendered), 0.0, 255.0)
        if ssim(reference, trial) >= chain.min_ssim:
            return field * scale
    return np.zeros_like(field)


@dataclass(frozen=True)
class _Plan:
    """One candidate protection, designed and scored on the working copy."""

    frac: CropFractions
    lut: list[int]
    field: FloatArray
    min_distance: int
    tried: int = 1  # designs tried in all (set by _best_plan)


def _escalated(chain: Chain, attempt: int) -> Chain:
    """Each retry pushes harder: a larger field cap and more bits to flip."""
    if attempt == 1 or chain.field is None:
        return chain
    boost = ESCALATION ** (attempt - 1)
    spec = replace(chain.field, max_relative=chain.field.max_relative * boost,
                   target_bits=chain.field.target_bits + 2 * (attempt - 1))
    return replace(chain, field=spec)


def _plan_once(chain: Chain, work: Image.Image, original: dict[str, ImageHash],
               bits: dict[str, NDArray[np.bool_]], frac: CropFractions,
               rng: np.random.Generator) -> _Plan:
    aligned = apply_geometry(work, chain.mirror, frac)
    lut = tone_table(rng, chain.tone)
    toned = aligned.point(lut)
    field = _solve_field(chain, toned, bits, rng)
    field = _respect_ssim_floor(chain, field, luminance(toned), luminance(aligned))
    result = toned
    if np.any(np.abs(field) >= 0.5):
        result = ImageChops.add(toned, _field_image(field, toned.size), 1.0, -128)
    distance = min(hash_distances(original, perceptual_hashes(result)).values())
    return _Plan(frac, lut, field, distance)


def _best_plan(chain: Chain, work: Image.Image, original: dict[str, ImageHash],
               rng: np.random.Generator) -> _Plan:
    """Design on the working copy; retry (escalating) until every hash is defeated.

    The hashes of the working copy predict the full-size output's closely (they all
    look at coarse grids), so a retry costs a few hundred milliseconds, not a full
    re-encode. The best attempt wins when none defeats every hash.
    """
    target = chain.field.target_bits if chain.field else 12
    oriented = ImageOps.mirror(work) if chain.mirror else work
    bits = {name: np.asarray(h.hash) for name, h in original.items()}
    crops = rank_crops(oriented, bits, chain.max_crop, chain.crop_candidates, target, rng)
    best: _Plan | None = None
    tried = 0
    for tried in range(1, max(1, chain.attempts) + 1):
        frac = crops[(tried - 1) % len(crops)]  # each retry: the next-best crop
        plan = _plan_once(_escalated(chain, tried), work, original, bits, frac, rng)
        if best is None or plan.min_distance > best.min_distance:
            best = plan
        if best.min_distance > MATCH_DISTANCE:
            break
    assert best is not None
    return replace(best, tried=tried)


def pin_blas_threads() -> None:
    """Run numpy's BLAS single-threaded, for the whole process (call once at start-up).

    Our matrices are tiny (<= 512 x 64): a multi-threaded BLAS only adds start-up cost
    per product and fights the shield's own worker threads for the cores. Measured 3-9x
    slower per protection with OpenBLAS's default threads.
    """
    threadpool_limits(limits=1, user_api="blas")


def protect_image(data: bytes, limits: ShieldLimits, level: str | Level | Chain, *,
                  seed: int | None, output_format: str,
                  watermark: str | None) -> ProtectedImage:
    """Protect ``data``; raises `ImageRejected` for unusable input or arguments.

    The pixel engine behind `core.imageshield.ImageShield`, which imports this module
    only when the first photo arrives.
    """
    started = time.perf_counter()
    chain = resolve_chain(level)
    _check_seed(seed)
    loaded = load_image(data, limits)
    _check_shape(loaded.image.size)
    fmt = choose_format(output_format, loaded.source_format)
    check_fits(fmt, loaded.image.size)
    seed = secrets.randbits(63) if seed is None else seed
    rng = np.random.default_rng(seed)
    img = loaded.image
    factor = _reduction(img.size)
    work = _working_copy(img, factor)
    original_hashes = perceptual_hashes(work)
    plan = _best_plan(chain, work, original_hashes, rng)
    aligned = apply_geometry(img, chain.mirror, plan.frac)
    out = aligned.point(plan.lut)
    if np.any(np.abs(plan.field) >= 0.5):
        out = ImageChops.add(out, _field_image(plan.field, out.size), 1.0, -128)
    aligned_work = _working_copy(aligned, factor)
    if watermark:
        out = add_watermark(out, watermark)
    final_work = _working_copy(out, factor)
    protected_hashes = perceptual_hashes(final_work)
    lum_a, lum_b = luminance(aligned_work), luminance(final_work)
    compressed = loaded.source_format in {"JPEG", "MPO", "WEBP"}
    budget = int(len(data) * SIZE_SLACK) if compressed else None
    encoded = encode(out, fmt, loaded.jpeg_quality, budget)
    report = ShieldReport(
        level=chain.name, seed=seed,
        distances_before=dict.fromkeys(original_hashes, 0),
        distances_after=hash_distances(original_hashes, protected_hashes),
        original_hashes={k: str(v) for k, v in original_hashes.items()},
        protected_hashes={k: str(v) for k, v in protected_hashes.items()},
        ssim=round(ssim(lum_a, lum_b), 4), psnr=round(psnr(lum_a, lum_b), 2),
        elapsed_ms=round((time.perf_counter() - started) * 1000.0, 1),
        input_bytes=len(data), output_bytes=len(encoded.data),
        output_format=encoded.fmt.lower(), width=out.width, height=out.height,
        source_width=img.width, source_height=img.height,
        crop_box=crop_box(img.size, plan.frac), mirrored=chain.mirror,
        quality=encoded.quality, attempts=plan.tried,
    )
    return ProtectedImage(encoded.data, encoded.mime, encoded.ext, report)
