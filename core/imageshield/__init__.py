"""Image shield: strip metadata and make photos hard to re-identify, measurably.

Public API::

    shield = ImageShield(ShieldLimits(max_bytes=..., max_pixels=...), executor=None)
    result = shield.protect(data, "standard", seed=None, output_format="auto",
                            watermark=None)          # -> ProtectedImage
    result = await shield.protect_async(...)          # same, off the event loop
    result.data, result.mime, result.ext, result.report.to_dict()

Errors: `ImageRejected(code, message, **params)`. Levels: `Level`, `LEVELS`, `Chain`
(custom chains), `LEVEL_FACTS` (what each level does and does not defeat).
Responsive web images: `build_responsive`. Call `pin_blas_threads()` once per process
before protecting many photos (the bootstrap does).
"""

from core.imageshield.errors import ImageRejected
from core.imageshield.levels import LEVEL_FACTS, LEVELS, Chain, Level
from core.imageshield.loader import LoadedImage, ShieldLimits, load_image
from core.imageshield.perturb import FieldSpec
from core.imageshield.report import ProtectedImage, ShieldReport
from core.imageshield.responsive import ResponsiveImage, ResponsiveSet, build_responsive
from core.imageshield.shield import ImageShield, pin_blas_threads

__all__ = [
    "LEVELS",
    "LEVEL_FACTS",
    "Chain",
    "FieldSpec",
    "ImageRejected",
    "ImageShield",
    "Level",
    "LoadedImage",
    "ProtectedImage",
    "ResponsiveImage",
    "ResponsiveSet",
    "ShieldLimits",
    "ShieldReport",
    "build_responsive",
    "load_image",
    "pin_blas_threads",
]
