"""Image shield: strip metadata and make photos hard to re-identify, measurably.

Public API::

    shield = ImageShield(ShieldLimits(max_bytes=..., max_pixels=...), executor=None)
    result = shield.protect(data, "standard", seed=None, output_format="auto",
                            watermark=None)          # -> ProtectedImage
    result = await shield.protect_async(...)          # same, off the event loop
    result.data, result.mime, result.ext, result.report.to_dict()

Errors: `ImageRejected(code, message, **params)`. Levels: `Level`, `LEVELS`, `Chain`
(custom chains), `LEVEL_FACTS` (what each level does and does not defeat).
Responsive web images: `build_responsive`.

Names are resolved on first use (PEP 562): naming a level or catching
`ImageRejected` loads no numpy or Pillow; protecting the first photo does.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.imageshield.errors import ImageRejected
    from core.imageshield.levels import LEVEL_FACTS, LEVELS, Chain, Level
    from core.imageshield.loader import LoadedImage, load_image
    from core.imageshield.report import ProtectedImage, ShieldReport
    from core.imageshield.responsive import ResponsiveImage, ResponsiveSet, build_responsive
    from core.imageshield.service import ImageShield
    from core.imageshield.shield import pin_blas_threads
    from core.imageshield.spec import FieldSpec, ShieldLimits

_HOME: dict[str, str] = {
    "ImageRejected": "errors",
    "LEVELS": "levels",
    "LEVEL_FACTS": "levels",
    "Chain": "levels",
    "Level": "levels",
    "LoadedImage": "loader",
    "load_image": "loader",
    "ProtectedImage": "report",
    "ShieldReport": "report",
    "ResponsiveImage": "responsive",
    "ResponsiveSet": "responsive",
    "build_responsive": "responsive",
    "ImageShield": "service",
    "pin_blas_threads": "shield",
    "FieldSpec": "spec",
    "ShieldLimits": "spec",
}

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


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
