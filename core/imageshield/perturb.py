"""Hash-targeted low-frequency luminance field.

Why this works: all four perceptual hashes threshold a handful of *low-frequency*
luminance measurements (8x8 block means, 9x8 neighbour differences, the lowest 8x8 DCT
coefficients). A smooth field, shaped to push exactly the bits that sit closest to their
thresholds across them, changes many bits while SSIM, which compares local structure in
11-pixel windows, barely notices a smooth relative brightness change.

The field is relative: ``delta = W * (Uy @ P @ Ux.T)`` where ``P`` is a small grid of
control values (fractions of local brightness), ``U`` are Catmull-Rom interpolation
matrices (no visible creases) and ``W`` is the smoothed local brightness, so dark areas
move by fewer grey levels than bright ones (Weber's law; also what SSIM's luminance term
measures). Each hash is linear in the image (see `hashgrid.py`), so the optimiser is a few
hundred tiny matrix products: Adam on a squared hinge over the ``k`` easiest bits of every
hash plus an energy penalty, with ``P`` clipped to the level's cap.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.ndimage import gaussian_filter

from core.imageshield.hashgrid import FloatArray, HashModel, lanczos_matrix, threshold_of
from core.imageshield.spec import FieldSpec

FIELD_GRID = 64  # resolution of the rendered field; it is smooth, so 64x64 is plenty


def spline_matrix(n: int, p: int) -> FloatArray:
    """``n x p`` Catmull-Rom interpolation with Pillow's pixel-centre convention.

    Same geometry as ``Image.resize(..., BICUBIC)`` upsampling ``p`` samples to ``n``, which
    is how the full-size field is rendered, so the model sees the field that is applied.
    """
    pos = np.clip((np.arange(n) + 0.5) * p / n - 0.5, 0.0, p - 1.0)
    base = np.floor(pos).astype(int)
    t = pos - base
    weights = (
        -0.5 * t**3 + t**2 - 0.5 * t,
        1.5 * t**3 - 2.5 * t**2 + 1.0,
        -1.5 * t**3 + 2.0 * t**2 + 0.5 * t,
        0.5 * t**3 - 0.5 * t**2,
    )
    mat = np.zeros((n, p))
    rows = np.arange(n)
    for offset, w in zip((-1, 0, 1, 2), weights, strict=True):
        np.add.at(mat, (rows, np.clip(base + offset, 0, p - 1)), w)
    return mat


def visibility_weight(lum: FloatArray) -> FloatArray:
    """Grey levels per unit of field on the 64x64 grid: brightness times texture masking.

    A change is judged relative to local brightness (Weber), and busy texture hides a
    smooth change far better than a clear sky does, so flat areas get 0.3x and busy ones
    up to 1.5x the nominal amplitude.
    """
    h, w = lum.shape
    ry, rx = lanczos_matrix(h, FIELD_GRID), lanczos_matrix(w, FIELD_GRID)
    small = ry @ lum @ rx.T
    gy, gx = np.gradient(lum)
    texture = ry @ np.sqrt(gy**2 + gx**2) @ rx.T
    texture = gaussian_filter(texture, 1.0, mode="nearest")
    masking = np.clip(0.3 + texture / (np.median(texture) + 1.0), 0.3, 1.5)
    return (np.asarray(gaussian_filter(small, 1.5, mode="nearest")) + 16.0) * masking


def _hinge_grad(model: HashModel, vals: FloatArray, signs: FloatArray,
                chosen: NDArray[np.intp], margin: float) -> FloatArray:
    """Gradient of the squared hinge over the chosen bits w.r.t. the raw hash values.

    The threshold moves with the values (mean or median), so its share is subtracted.
    """
    flat = vals.ravel()
    thr = threshold_of(vals, model.threshold)
    active = np.maximum(signs[chosen] * (flat[chosen] - thr) + margin, 0.0)
    grad = np.zeros_like(flat)
    grad[chosen] = 2.0 * active * signs[chosen]
    total = grad.sum()
    if model.threshold == "mean":
        grad -= total / flat.size
    elif model.threshold == "median":
        order = np.argsort(flat)
        mid = flat.size // 2
        grad[order[mid - 1]] -= 0.5 * total
        grad[order[mid]] -= 0.5 * total
    return grad.reshape(vals.shape)


def optimise_field(
    models: tuple[HashModel, ...],
    original_bits: dict[str, NDArray[np.bool_]],
    candidate_lum: FloatArray,
    spec: FieldSpec,
    rng: np.random.Generator,
) -> FloatArray:
    """Return the 64x64 field (grey levels) that flips ``target_bits`` of every hash.

    ``candidate_lum`` is the working-size luminance of the already transformed image;
    ``original_bits`` are the hashes of the untouched original, the ones to move away from.
    Seeded jitter in the bit ranking and the start point makes two protections differ.
    """
    h, w = candidate_lum.shape
    weight = visibility_weight(candidate_lum)
    sy, sx = spline_matrix(h, FIELD_GRID), spline_matrix(w, FIELD_GRID)
    uc = spline_matrix(FIELD_GRID, spec.grid)
    prepared = []
    for m in models:
        base = m.values(candidate_lum)
        signs = np.where(original_bits[m.name].ravel(), 1.0, -1.0)
        prepared.append(
            (m, (m.my @ sy) / m.unit, m.mx @ sx, base, signs, rng.normal(0.0, 0.5, base.size))
        )
    p = rng.normal(0.0, 0.02, (spec.grid, spec.grid))
    m1, m2 = np.zeros_like(p), np.zeros_like(p)
    for it in range(1, spec.iterations + 1):
        field = weight * (uc @ p @ uc.T)
        grad_field = np.zeros_like(field)
        satisfied = True
        for m, ay, bx, base, signs, jitter in prepared:
            vals = base + ay @ field @ bx.T
            score = signs * (vals.ravel() - threshold_of(vals, m.threshold))
            if np.count_nonzero(score < -0.5 * spec.margin) < spec.target_bits:
                satisfied = False
            chosen = np.argsort(score + jitter)[: spec.target_bits]
            grad_field += ay.T @ _hinge_grad(m, vals, signs, chosen, spec.margin) @ bx
        if satisfied:
            break
        grad_p = uc.T @ (weight * grad_field) @ uc + 2.0 * spec.energy_weight * p
        m1 = 0.9 * m1 + 0.1 * grad_p
        m2 = 0.999 * m2 + 0.001 * grad_p**2
        p = p - spec.step * (m1 / (1 - 0.9**it)) / (np.sqrt(m2 / (1 - 0.999**it)) + 1e-12)
        p = np.clip(p, -spec.max_relative, spec.max_relative)
    return weight * (uc @ p @ uc.T)


def render_field(field: FloatArray, height: int, width: int) -> NDArray[np.float32]:
    """Upsample the 64x64 field to ``height x width`` (the full-size image too)."""
    sy = spline_matrix(height, field.shape[0]).astype(np.float32)
    sx = spline_matrix(width, field.shape[1]).astype(np.float32)
    return (sy @ field.astype(np.float32)) @ sx.T
