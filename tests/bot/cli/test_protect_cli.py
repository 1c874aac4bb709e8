"""`thottopilot protect IN OUT`: files in and out, JSON report, exit 2 on bad input."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image

from bot.cli import main
from tests.fakes.photos import animated_gif, camera_photo, cut_off, has_camera_metadata


@pytest.fixture
def photo_path(tmp_path):
    path = tmp_path / "holiday.jpg"
    path.write_bytes(camera_photo())
    return path


def test_json_report_has_hash_distances_ssim_and_time(photo_path, tmp_path, capsys):
    out = tmp_path / "safe.jpg"
    assert main(["protect", str(photo_path), str(out), "--level", "light", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True
    assert report["level"] == "light"
    assert set(report["distances_after"]) == {"phash", "dhash", "ahash", "whash"}
    assert report["match_before"] == 1.0
    assert 0.98 <= report["ssim"] <= 1.0
    assert report["elapsed_ms"] > 0
    assert report["output_bytes"] == out.stat().st_size


def test_out_is_a_jpeg_without_camera_metadata_and_in_is_untouched(photo_path, tmp_path):
    original = photo_path.read_bytes()
    out = tmp_path / "safe.jpg"
    assert main(["protect", str(photo_path), str(out)]) == 0
    assert Image.open(io.BytesIO(out.read_bytes())).format == "JPEG"
    assert not has_camera_metadata(out.read_bytes())
    assert photo_path.read_bytes() == original


def test_webp_out_gets_a_webp(photo_path, tmp_path):
    out = tmp_path / "safe.webp"
    assert main(["protect", str(photo_path), str(out)]) == 0
    assert Image.open(out).format == "WEBP"


def test_plain_output_is_one_summary_line(photo_path, tmp_path, capsys):
    assert main(["protect", str(photo_path), str(tmp_path / "safe.jpg")]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert "standard, hash match 100% →" in out


def test_works_without_a_database(photo_path, tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    monkeypatch.setenv("THOTTOPILOT_APP__DATA_DIR", str(data_dir))
    monkeypatch.setenv("THOTTOPILOT_DATABASE__URL", "postgresql+asyncpg://nobody@127.0.0.1:9/x")
    assert main(["protect", str(photo_path), str(tmp_path / "safe.jpg")]) == 0
    assert not data_dir.exists()


BAD = {
    "missing": (None, "cannot read"),
    "not_image": (b"plain text", "doesn't look like a photo"),
    "truncated": (cut_off(camera_photo()), "seems cut off"),
    "animated": (animated_gif(), "Animated images"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_exits_2_with_one_line_and_writes_nothing(case, tmp_path, capsys):
    data, reason = BAD[case]
    source, out = tmp_path / "in.jpg", tmp_path / "out.jpg"
    if data is not None:
        source.write_bytes(data)
    assert main(["protect", str(source), str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert reason in err
    assert "Traceback" not in err
    assert not out.exists()


def test_bad_input_with_json_prints_the_reason_code(tmp_path, capsys):
    source = tmp_path / "in.jpg"
    source.write_bytes(b"plain text")
    assert main(["protect", str(source), str(tmp_path / "o.jpg"), "--json"]) == 2
    assert json.loads(capsys.readouterr().out) == {
        "ok": False, "error": "not_image",
        "message": f"{source}: That doesn't look like a photo I can read. JPEG, PNG or WebP "
                   "work best.",
    }


def test_file_over_the_upload_limit_exits_2(photo_path, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("THOTTOPILOT_LIMITS__MAX_UPLOAD_BYTES", "10000")
    assert main(["protect", str(photo_path), str(tmp_path / "o.jpg")]) == 2
    assert "over 9.8 KB" in capsys.readouterr().err


def test_out_that_is_not_jpeg_or_webp_exits_2(photo_path, tmp_path, capsys):
    assert main(["protect", str(photo_path), str(tmp_path / "out.png")]) == 2
    assert ".jpg, .jpeg or .webp" in capsys.readouterr().err


def test_out_in_a_missing_folder_exits_2(photo_path, tmp_path, capsys):
    assert main(["protect", str(photo_path), str(tmp_path / "nope" / "out.jpg")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_watermark_marks_only_the_bottom_right_corner(photo_path, tmp_path):
    plain, marked = tmp_path / "plain.jpg", tmp_path / "marked.jpg"
    assert main(["protect", str(photo_path), str(plain), "--seed", "7"]) == 0
    assert main(["protect", str(photo_path), str(marked), "--seed", "7",
                 "--watermark", "@alice"]) == 0
    a = np.asarray(Image.open(plain).convert("L"), dtype=float)
    b = np.asarray(Image.open(marked).convert("L"), dtype=float)
    h, w = a.shape
    corner = np.abs(a[-h // 8:, -w // 3:] - b[-h // 8:, -w // 3:]).mean()
    elsewhere = np.abs(a[: h // 2, : w // 2] - b[: h // 2, : w // 2]).mean()
    assert corner > 5 * max(elsewhere, 0.1)


def test_the_same_seed_repeats_a_protection_exactly(photo_path, tmp_path):
    first, second = tmp_path / "a.jpg", tmp_path / "b.jpg"
    for out in (first, second):
        assert main(["protect", str(photo_path), str(out), "--seed", "11"]) == 0
    assert first.read_bytes() == second.read_bytes()
