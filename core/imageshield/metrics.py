"""Quality and protection measurements used in the report and the benchmark."""

from __future__ import annotations

import imagehash
import numpy as np
from PIL import Image
from scipy.ndimage import gaussian_filter

from core.imageshield.hashgrid import HASH_NAMES, FloatArray


def perceptual_hashes(img: Image.Image) -> dict[str, imagehash.ImageHash]:
    """The four 64-bit hashes, computed with `imagehash` exactly as matchers do."""
    funcs = {
        "phash": imagehash.phash,
        "dhash": imagehash.dhash,
        "ahash": imagehash.average_hash,
        "whash": imagehash.whash,
    }
    return {name: funcs[name](img) for name in HASH_NAMES}


def hash_distances(a: dict[str, imagehash.ImageHash],
                   b: dict[str, imagehash.ImageHash]) -> dict[str, int]:
    return {name: int(a[name] - b[name]) for name in HASH_NAMES}


def ssim(x: FloatArray, y: FloatArray, data_range: float = 255.0) -> float:
    """Mean SSIM (Wang et al. 2004: Gaussian window sigma 1.5, K1=0.01, K2=0.03)."""
    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2

    def blur(a: FloatArray) -> FloatArray:
        return np.asarray(gaussian_filter(a, 1.5, truncate=3.5))

    mx, my = blur(x), blur(y)
    vx = blur(x * x) - mx * mx
    vy = blur(y * y) - my * my
    cxy = blur(x * y) - mx * my
    num = (2 * mx * my + c1) * (2 * cxy + c2)
    den = (mx * mx + my * my + c1) * (vx + vy + c2)
    # Skip borders where the window leaves the image, as skimage does; a picture too
    # small to have any inside left is measured whole rather than over nothing.
    pad = min(5, (min(num.shape) - 1) // 2)
    inside = num / den
    return float(inside[pad:inside.shape[0] - pad, pad:inside.shape[1] - pad].mean())


def psnr(x: FloatArray, y: FloatArray, data_range: float = 255.0) -> float:
    mse = float(np.mean((x - y) ** 2))
    return float("inf") if mse == 0 else 10.0 * float(np.log10(data_range**2 / mse))
