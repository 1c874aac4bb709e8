"""WebP can't hold a side over 16,383 pixels: a wider panorama asked for as WebP is
refused kindly (save it as JPEG), not a raw encoder error."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from core.imageshield import ImageRejected, ImageShield
from core.texts.shield import rejected


def _panorama(width: int, height: int) -> bytes:
    img = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def test_a_panorama_too_wide_for_webp_is_refused_with_a_way_out() -> None:
    with pytest.raises(ImageRejected) as refused:
        ImageShield().protect(_panorama(20000, 1200), "light", output_format="webp",
                              seed=1)
    assert refused.value.code == "too_big_for_webp"
    text = rejected(refused.value.code, refused.value.params)
    assert "20000×1200" in text
    assert "16383" in text
    assert "JPEG" in text
