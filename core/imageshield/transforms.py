"""Geometry and tone steps of the chain (everything except the hash-targeted field).

All of these are cheap at full resolution on purpose: mirror and crop only move bytes,
and the tone shift is one 768-entry lookup table. No full-size resampling happens, which
keeps a 12-megapixel protection within a few decode times and keeps the picture sharp.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageOps

from core.imageshield.hashgrid import FloatArray, hash_models, threshold_of

CropFractions = tuple[float, float, float, float]  # left, top, right, bottom


def luminance(img: Image.Image) -> FloatArray:
    """ITU-R 601 luma, the weights Pillow's ``convert("L")`` (and so imagehash) uses."""
    return np.asarray(img, dtype=np.float64) @ np.array([0.299, 0.587, 0.114])


def crop_box(size: tuple[int, int], frac: CropFractions) -> tuple[int, int, int, int]:
    width, height = size
    left, top = round(frac[0] * width), round(frac[1] * height)
    right, bottom = width - round(frac[2] * width), height - round(frac[3] * height)
    return left, top, max(right, left + 1), max(bottom, top + 1)


def apply_geometry(img: Image.Image, mirror: bool, frac: CropFractions) -> Image.Image:
    """Mirror (optional) then crop by fractions of the size."""
    if mirror:
        img = ImageOps.mirror(img)
    return img.crop(crop_box(img.size, frac))


def _flip_cost(lum: FloatArray, original_bits: dict[str, NDArray[np.bool_]],
               target: int) -> float:
    """Grey levels still needed to flip ``target`` bits of every hash (0 = done)."""
    cost = 0.0
    for model in hash_models(*lum.shape):
        vals = model.values(lum)
        signs = np.where(original_bits[model.name].ravel(), 1.0, -1.0)
        scores = np.sort(signs * (vals.ravel() - threshold_of(vals, model.threshold)))
        cost += max(0.0, float(scores[target - 1]) + 2.0)
    return cost


def rank_crops(work: Image.Image, original_bits: dict[str, NDArray[np.bool_]],
               max_crop: float, candidates: int, target: int,
               rng: np.random.Generator) -> list[CropFractions]:
    """Seeded crops, the ones that move the hashes most first.

    ``work`` is the (mirrored) working copy. Crops shift what falls into each cell of
    the 8x8 hash grids, which flips bits near strong edges for free, i.e. without any
    visible pixel change; the field then only has to pay for the rest. A retry takes the
    next crop in the ranking instead of searching again.
    """
    fracs: list[CropFractions] = []
    for _ in range(max(1, candidates)):
        raw = rng.uniform(0.15 * max_crop, max_crop, 4)
        fracs.append((float(raw[0]), float(raw[1]), float(raw[2]), float(raw[3])))
    if len(fracs) == 1:
        return fracs
    costs = [_flip_cost(luminance(work.crop(crop_box(work.size, f))), original_bits, target)
             for f in fracs]
    order = sorted(range(len(fracs)), key=costs.__getitem__)
    return [fracs[i] for i in order]


def tone_table(rng: np.random.Generator, strength: float) -> list[int]:
    """A 768-entry LUT: per-channel gain and a shared gamma, each within ``strength``."""
    x = np.arange(256, dtype=np.float64) / 255.0
    gamma = 1.0 + rng.uniform(-strength, strength)
    table: list[int] = []
    for _ in range(3):
        gain = 1.0 + rng.uniform(-strength, strength)
        curve = np.clip(gain * x**gamma * 255.0 + 0.5, 0, 255).astype(np.uint8)
        table.extend(int(v) for v in curve)
    return table
