"""Image fixtures made in memory: real sample photos from scikit-image plus synthetic files."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from skimage import data as skdata


def jpeg_bytes(img: Image.Image, **kwargs: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90, **kwargs)
    return buf.getvalue()


@pytest.fixture(scope="session")
def photo() -> Image.Image:
    """A real photograph (scikit-image's astronaut, 512x512) shipped inside the package."""
    return Image.fromarray(skdata.astronaut())


@pytest.fixture(scope="session")
def photo_jpeg(photo: Image.Image) -> bytes:
    return jpeg_bytes(photo)


@pytest.fixture(scope="session")
def second_photo_jpeg() -> bytes:
    return jpeg_bytes(Image.fromarray(skdata.coffee()))


@pytest.fixture(scope="session")
def synthetic() -> Image.Image:
    """Gradients, shapes and noise: deterministic, 320x240."""
    rng = np.random.default_rng(7)
    y, x = np.mgrid[0:240, 0:320]
    base = np.stack([x * 0.7, y * 0.9, (x + y) * 0.4], axis=-1)
    base[60:140, 80:200] = (200, 40, 60)
    base += rng.normal(0, 6, base.shape)
    return Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))
