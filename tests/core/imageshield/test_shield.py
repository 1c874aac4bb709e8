from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image

from core.imageshield import LEVEL_FACTS, Chain, ImageShield, Level
from core.imageshield.metrics import perceptual_hashes
from core.imageshield.perturb import FieldSpec

LEVEL_FIELD_WEAK = FieldSpec(target_bits=20, max_relative=0.02, iterations=40)


@pytest.fixture(scope="module")
def shield() -> ImageShield:
    return ImageShield()


def test_two_protections_of_one_photo_differ(shield: ImageShield, photo_jpeg: bytes) -> None:
    a = shield.protect(photo_jpeg, "standard")
    b = shield.protect(photo_jpeg, "standard")
    assert a.data != b.data
    assert a.report.seed != b.report.seed


def test_same_seed_gives_identical_output(shield: ImageShield, photo_jpeg: bytes) -> None:
    a = shield.protect(photo_jpeg, "standard", seed=42)
    b = shield.protect(photo_jpeg, "standard", seed=42)
    assert a.data == b.data


def test_standard_defeats_every_hash_on_a_real_photo(shield: ImageShield,
                                                     photo_jpeg: bytes) -> None:
    result = shield.protect(photo_jpeg, "standard", seed=5)
    original = perceptual_hashes(Image.open(io.BytesIO(photo_jpeg)).convert("RGB"))
    protected = perceptual_hashes(Image.open(io.BytesIO(result.data)).convert("RGB"))
    assert all(original[name] - protected[name] > 10 for name in original)


def test_standard_keeps_ssim_above_floor(shield: ImageShield, photo_jpeg: bytes) -> None:
    assert shield.protect(photo_jpeg, "standard", seed=5).report.ssim >= 0.95


def test_light_keeps_ssim_above_its_floor(shield: ImageShield, photo_jpeg: bytes) -> None:
    assert shield.protect(photo_jpeg, "light", seed=5).report.ssim >= 0.98


def test_output_is_not_much_larger_than_input(shield: ImageShield,
                                              second_photo_jpeg: bytes) -> None:
    result = shield.protect(second_photo_jpeg, "heavy", seed=9)
    assert len(result.data) <= 1.1 * len(second_photo_jpeg)


def test_report_serialises_to_json_with_distances(shield: ImageShield,
                                                  photo_jpeg: bytes) -> None:
    report = shield.protect(photo_jpeg, Level.LIGHT, seed=2).report
    payload = json.loads(json.dumps(report.to_dict()))
    assert payload["level"] == "light"
    assert payload["match_before"] == 1.0
    assert set(payload["distances_after"]) == {"phash", "dhash", "ahash", "whash"}
    assert payload["output_format"] == "jpeg"


def test_webp_input_gives_webp_output_by_default(shield: ImageShield,
                                                 synthetic: Image.Image) -> None:
    buf = io.BytesIO()
    synthetic.save(buf, "WEBP", quality=90)
    result = shield.protect(buf.getvalue(), seed=1)
    assert (result.mime, result.ext) == ("image/webp", "webp")
    assert Image.open(io.BytesIO(result.data)).format == "WEBP"


def test_heavy_mirrors_and_reports_it(shield: ImageShield, photo_jpeg: bytes) -> None:
    assert shield.protect(photo_jpeg, "heavy", seed=1).report.mirrored


def test_custom_chain_without_field_only_crops(shield: ImageShield,
                                               photo_jpeg: bytes) -> None:
    chain = Chain(name="crop-only", max_crop=0.05, tone=0.0, field=None)
    report = shield.protect(photo_jpeg, chain, seed=4).report
    assert report.level == "crop-only"
    assert report.width < report.source_width


def test_visible_watermark_changes_the_corner(shield: ImageShield, photo_jpeg: bytes) -> None:
    plain = shield.protect(photo_jpeg, "light", seed=8)
    marked = shield.protect(photo_jpeg, "light", seed=8, watermark="@creator")
    a = np.asarray(Image.open(io.BytesIO(plain.data)), dtype=float)
    b = np.asarray(Image.open(io.BytesIO(marked.data)), dtype=float)
    h, w = a.shape[:2]
    assert np.abs(a[-h // 8:, -w // 3:] - b[-h // 8:, -w // 3:]).mean() > 2.0
    assert np.abs(a[: h // 2, : w // 2] - b[: h // 2, : w // 2]).mean() < 0.5


def test_every_level_has_facts_for_the_chat() -> None:
    for level in Level:
        assert set(LEVEL_FACTS[level.value]) == {"does", "defeats", "does_not"}


async def test_protect_async_gives_the_same_result_as_protect(shield: ImageShield,
                                                               photo_jpeg: bytes) -> None:
    """(That it leaves the event loop free is specified in tests/core/test_bootstrap.py.)"""
    result = await shield.protect_async(photo_jpeg, "light", seed=3)
    assert result.data == shield.protect(photo_jpeg, "light", seed=3).data


def test_retries_never_do_worse_than_the_first_design(shield: ImageShield,
                                                      photo_jpeg: bytes) -> None:
    weak = Chain(name="weak", max_crop=0.01, tone=0.0,
                 field=LEVEL_FIELD_WEAK, attempts=1)
    retried = Chain(name="weak", max_crop=0.01, tone=0.0,
                    field=LEVEL_FIELD_WEAK, attempts=4)
    once = shield.protect(photo_jpeg, weak, seed=11).report
    more = shield.protect(photo_jpeg, retried, seed=11).report
    assert min(more.distances_after.values()) >= min(once.distances_after.values())
    assert 1 <= more.attempts <= 4


def test_light_never_goes_below_its_ssim_promise(shield: ImageShield,
                                                 second_photo_jpeg: bytes) -> None:
    for seed in range(4):
        assert shield.protect(second_photo_jpeg, "light", seed=seed).report.ssim >= 0.98
