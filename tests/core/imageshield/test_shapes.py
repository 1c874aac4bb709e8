"""Shapes the shield refuses (kindly) or handles: tiny pictures, strips, seeds.

Every test turns RuntimeWarnings into errors: numpy's "mean of empty slice" on a tiny
picture used to be the first sign of a crash further on.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from core.imageshield import ImageRejected, ImageShield
from core.imageshield.metrics import ssim
from core.imageshield.shield import MAX_SEED, MIN_WORK_SIDE, _reduction

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


def _png(size: tuple[int, int]) -> bytes:
    rng = np.random.default_rng(sum(size))
    pixels = rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, "PNG")
    return buf.getvalue()


@pytest.mark.parametrize("size", [(1, 1), (2, 2), (31, 31), (31, 600)])
def test_pictures_under_32_pixels_a_side_are_refused_as_too_small(size):
    with pytest.raises(ImageRejected) as info:
        ImageShield().protect(_png(size), "standard")
    assert info.value.code == "too_small"
    assert info.value.params == {"width": size[0], "height": size[1], "min_side": 32}


@pytest.mark.parametrize("size", [(3000, 2), (2, 3000), (641, 32), (4000, 100)])
def test_strips_longer_than_20_to_1_are_refused_as_too_thin(size):
    with pytest.raises(ImageRejected) as info:
        ImageShield().protect(_png(size), "heavy")
    assert info.value.code == "too_thin"
    assert info.value.params["max_aspect"] == 20


@pytest.mark.parametrize("level", ["light", "standard", "heavy"])
@pytest.mark.parametrize("size", [(32, 32), (640, 32), (40, 800), (3000, 150)])
def test_the_smallest_and_thinnest_accepted_shapes_protect(level, size, photo):
    buf = io.BytesIO()
    photo.resize(size).save(buf, "JPEG", quality=90)
    result = ImageShield().protect(buf.getvalue(), level, seed=3, watermark="@me")
    report = result.report
    assert (report.source_width, report.source_height) == size
    assert Image.open(io.BytesIO(result.data)).size == (report.width, report.height)
    assert 0.0 < report.ssim <= 1.0


def test_a_long_strip_keeps_a_working_copy_at_least_16_pixels_across():
    """Shrinking a 3000x150 strip by the long side (6x) would leave 25 px; by more, a
    sliver the hash grids can't use. The short side bounds the reduction."""
    assert _reduction((3000, 150)) == 6
    assert _reduction((3000, 40)) == 2
    assert 40 // _reduction((3000, 40)) >= MIN_WORK_SIDE
    assert _reduction((32, 32)) == 1


@pytest.mark.parametrize("seed", [-1, MAX_SEED + 1])
def test_a_seed_outside_63_bits_is_refused(seed, photo_jpeg):
    with pytest.raises(ImageRejected) as info:
        ImageShield().protect(photo_jpeg, "light", seed=seed)
    assert info.value.code == "bad_seed"


def test_ssim_of_pictures_smaller_than_its_border_is_measured_whole():
    a = np.full((3, 3), 100.0)
    assert ssim(a, a) == pytest.approx(1.0)
    assert ssim(a, a + 40.0) < 1.0
