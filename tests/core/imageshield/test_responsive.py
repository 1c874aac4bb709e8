from __future__ import annotations

import base64
import io

from PIL import Image

from core.imageshield import build_responsive
from tests.core.imageshield.conftest import jpeg_bytes


def test_large_image_gets_thumbnail_and_all_widths_in_webp_and_jpeg() -> None:
    src = Image.linear_gradient("L").resize((2400, 1600)).convert("RGB")
    result = build_responsive(jpeg_bytes(src))
    assert max(result.thumbnail.width, result.thumbnail.height) == 150
    assert [r.width for r in result.widths] == [640, 1024, 1920]
    for rendition in result.renditions:
        assert Image.open(io.BytesIO(rendition.webp)).format == "WEBP"
        assert Image.open(io.BytesIO(rendition.jpeg)).format == "JPEG"
        assert Image.open(io.BytesIO(rendition.jpeg)).width == rendition.width


def test_small_image_is_never_upscaled(synthetic: Image.Image) -> None:
    result = build_responsive(jpeg_bytes(synthetic))
    assert [r.width for r in result.widths] == [synthetic.width]


def test_placeholder_is_a_tiny_jpeg_data_uri(synthetic: Image.Image) -> None:
    uri = build_responsive(jpeg_bytes(synthetic)).placeholder_data_uri
    prefix = "data:image/jpeg;base64,"
    assert uri.startswith(prefix)
    assert len(uri) < 1500
    img = Image.open(io.BytesIO(base64.b64decode(uri[len(prefix):])))
    assert max(img.size) <= 16
