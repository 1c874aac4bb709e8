"""Linear models of the four perceptual hashes (aHash, dHash, pHash, wHash).

Every hash that `imagehash` computes is "resample the luminance to a tiny grid, apply a
linear map, compare each cell with a threshold". Resampling and the DCT are linear, so each
hash is ``G = My @ L @ Mx.T`` followed by a comparison. Writing the hashes this way lets the
shield predict, cheaply and differentiably, how a smooth luminance field changes each bit,
which is what `perturb.py` optimises. The resampling weights copy Pillow's Lanczos
("ANTIALIAS") convolution so the model matches `imagehash` run on the same picture.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

HASH_NAMES: tuple[str, ...] = ("phash", "dhash", "ahash", "whash")

FloatArray = NDArray[np.float64]


def _lanczos3(x: FloatArray) -> FloatArray:
    out = np.sinc(x) * np.sinc(x / 3.0)
    out[np.abs(x) >= 3.0] = 0.0
    return out


@functools.lru_cache(maxsize=512)
def lanczos_matrix(in_size: int, out_size: int) -> FloatArray:
    """Pillow's 1-D Lanczos resampling weights as an ``out_size x in_size`` matrix.

    Mirrors ``precompute_coeffs`` in Pillow's Resample.c (same support, centre, window
    bounds and normalisation), so ``M @ column`` equals ``Image.resize`` up to uint8
    rounding. Memoised (the crop search asks for the same sizes again and again) and
    returned read-only so the shared copy can't be changed by a caller.
    """
    mat = _lanczos_matrix(in_size, out_size)
    mat.flags.writeable = False
    return mat


def _lanczos_matrix(in_size: int, out_size: int) -> FloatArray:
    scale = in_size / out_size
    filterscale = max(scale, 1.0)
    support = 3.0 * filterscale
    center = (np.arange(out_size) + 0.5) * scale
    xmin = np.maximum((center - support + 0.5).astype(int), 0)
    xmax = np.minimum((center + support + 0.5).astype(int), in_size)
    span = int(np.max(xmax - xmin))
    xs = xmin[:, None] + np.arange(span)[None, :]  # only the filter window is evaluated
    inside = xs < xmax[:, None]
    w = np.where(inside, _lanczos3((xs - center[:, None] + 0.5) / filterscale), 0.0)
    w /= np.where(w.sum(axis=1, keepdims=True) == 0.0, 1.0, w.sum(axis=1, keepdims=True))
    mat = np.zeros((out_size, in_size))
    rows = np.broadcast_to(np.arange(out_size)[:, None], xs.shape)
    mat[rows[inside], xs[inside]] = w[inside]
    return mat


def dct_matrix(n: int, rows: int) -> FloatArray:
    """First ``rows`` rows of the unnormalised DCT-II used by ``scipy.fftpack.dct``."""
    k = np.arange(rows)[:, None]
    i = np.arange(n)[None, :]
    mat = 2.0 * np.cos(math.pi * k * (2 * i + 1) / (2 * n))
    return mat


def block_mean_matrix(in_size: int, blocks: int) -> FloatArray:
    """Average of ``blocks`` equal runs: the Haar LL band that wHash thresholds."""
    per = in_size // blocks
    mat = np.zeros((blocks, in_size))
    for b in range(blocks):
        mat[b, b * per : (b + 1) * per] = 1.0 / per
    return mat


def diff_matrix(n: int) -> FloatArray:
    """``(D @ x)[i] = x[i+1] - x[i]``: dHash's left/right comparison."""
    mat = np.zeros((n - 1, n))
    for i in range(n - 1):
        mat[i, i] = -1.0
        mat[i, i + 1] = 1.0
    return mat


@dataclass(frozen=True)
class HashModel:
    """One hash as ``values = My @ L @ Mx.T``, bit = values > threshold.

    ``threshold`` is "mean", "median" or "zero" (dHash compares neighbours directly).
    ``unit`` divides the values so one unit is roughly one grey level, which makes the
    optimiser's margins comparable across hashes.
    """

    name: str
    my: FloatArray
    mx: FloatArray
    threshold: str
    unit: float

    def values(self, lum: FloatArray) -> FloatArray:
        return (self.my @ lum @ self.mx.T) / self.unit

    def bits(self, lum: FloatArray) -> NDArray[np.bool_]:
        vals = self.values(lum)
        return vals > threshold_of(vals, self.threshold)


def threshold_of(vals: FloatArray, kind: str) -> float:
    if kind == "mean":
        return float(vals.mean())
    if kind == "median":  # np.median's overhead dominates on 64 values; same result
        ordered = np.sort(vals, axis=None)
        mid = ordered.size // 2
        return float(ordered[mid]) if ordered.size % 2 else float(
            (ordered[mid - 1] + ordered[mid]) / 2.0)
    return 0.0


def _pow2_scale(height: int, width: int) -> int:
    return max(2 ** int(math.log2(min(height, width))), 8)


@functools.lru_cache(maxsize=64)
def hash_models(height: int, width: int) -> tuple[HashModel, ...]:
    """Models of pHash, dHash, aHash and wHash (64 bits each) for an ``height x width`` image.

    Memoised: a protection asks for the same working-copy shape on every retry and the
    matrices depend only on the shape. They are returned read-only, so sharing is safe.
    """
    return tuple(_frozen(m) for m in _build_models(height, width))


def _frozen(model: HashModel) -> HashModel:
    for arr in (model.my, model.mx):
        arr.flags.writeable = False
    return model


def _build_models(height: int, width: int) -> tuple[HashModel, ...]:
    ly8, lx8 = lanczos_matrix(height, 8), lanczos_matrix(width, 8)
    d32 = dct_matrix(32, 8)
    s = min(_pow2_scale(height, width), 256)
    wy = block_mean_matrix(s, 8) @ lanczos_matrix(height, s)
    wx = block_mean_matrix(s, 8) @ lanczos_matrix(width, s)
    return (
        HashModel("phash", d32 @ lanczos_matrix(height, 32), d32 @ lanczos_matrix(width, 32),
                  "median", 1024.0),
        HashModel("dhash", ly8, diff_matrix(9) @ lanczos_matrix(width, 9), "zero", 1.0),
        HashModel("ahash", ly8, lx8, "mean", 1.0),
        HashModel("whash", wy, wx, "median", 1.0),
    )
