"""`thottopilot protect` never loses data: IN is never overwritten, OUT is all-or-nothing,
tiny and strip-shaped pictures get a friendly refusal, and --seed is checked."""

from __future__ import annotations

import io
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from bot.cli import main
from tests.fakes.photos import camera_photo

ROOT = Path(__file__).parents[3]
CEILING = 120  # seconds: a ceiling for a busy machine, not a speed claim


@pytest.fixture
def photo_path(tmp_path: Path) -> Path:
    path = tmp_path / "holiday.jpg"
    path.write_bytes(camera_photo())
    return path


def _same_file_by_name(photo: Path, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    return str(photo)


def _relative_path(photo: Path, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    (tmp / "sub").mkdir()
    monkeypatch.chdir(tmp)
    return "sub/../holiday.jpg"


def _symlink(photo: Path, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    link = tmp / "link.jpg"
    link.symlink_to(photo)
    return str(link)


def _hard_link(photo: Path, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    link = tmp / "hard.jpg"
    link.hardlink_to(photo)
    return str(link)


def _symlinked_folder(photo: Path, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    folder = tmp / "alias"
    folder.symlink_to(tmp, target_is_directory=True)
    return str(folder / photo.name)


SAME_FILE = {f.__name__.lstrip("_"): f for f in (
    _same_file_by_name, _relative_path, _symlink, _hard_link, _symlinked_folder)}


@pytest.mark.parametrize("alias", list(SAME_FILE))
def test_out_naming_in_in_any_way_is_refused_and_in_is_untouched(
    alias, photo_path, tmp_path, monkeypatch, capsys
):
    original = photo_path.read_bytes()
    out = SAME_FILE[alias](photo_path, tmp_path, monkeypatch)
    assert main(["protect", str(photo_path), out]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "is the photo being protected; write the copy to another file" in err
    assert photo_path.read_bytes() == original


def test_an_existing_out_is_replaced_keeping_its_permissions(photo_path, tmp_path):
    out = tmp_path / "safe.jpg"
    out.write_bytes(b"yesterday's copy")
    out.chmod(0o640)
    assert main(["protect", str(photo_path), str(out)]) == 0
    assert Image.open(io.BytesIO(out.read_bytes())).format == "JPEG"
    assert out.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["holiday.jpg", "safe.jpg"]


def _limit_file_size(max_bytes: int) -> None:
    """In the child: writes past max_bytes fail with EFBIG, as on a full disk (ignoring
    SIGXFSZ turns the kernel's signal into that error instead of a kill)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))


def test_a_write_failing_midway_leaves_the_old_out_intact_and_no_partial_file(
    photo_path, tmp_path
):
    out = tmp_path / "safe.jpg"
    old = b"the copy from last week, which must survive" * 20  # 880 bytes < the limit
    out.write_bytes(old)
    env = {k: v for k, v in os.environ.items() if not k.startswith("THOTTOPILOT_")}
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli", "protect", str(photo_path), str(out)],
        cwd=ROOT, env={**env, "PYTHONDONTWRITEBYTECODE": "1"}, capture_output=True,
        text=True, timeout=CEILING, preexec_fn=lambda: _limit_file_size(4096), check=False)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"cannot write {out}: File too large. Nothing was changed there." in proc.stderr
    assert out.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["holiday.jpg", "safe.jpg"]


def _photo(size: tuple[int, int]) -> bytes:
    """A real photograph, shrunk to ``size``."""
    buf = io.BytesIO()
    Image.open(io.BytesIO(camera_photo())).resize(size).save(buf, "JPEG", quality=90)
    return buf.getvalue()


def _png(width: int, height: int) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 90)).save(buf, "PNG")
    return buf.getvalue()


@pytest.mark.filterwarnings("error::RuntimeWarning")
@pytest.mark.parametrize(("size", "reason"), [
    ((1, 1), "only 1×1 pixels, too small to protect"),
    ((2, 2), "only 2×2 pixels, too small to protect"),
    ((3000, 2), "3000×2 pixels, a strip rather than a photo"),
    ((20, 300), "only 20×300 pixels, too small to protect"),
    ((2000, 40), "2000×40 pixels, a strip rather than a photo"),
])
@pytest.mark.parametrize("level", ["light", "standard", "heavy"])
def test_tiny_and_strip_images_get_a_friendly_refusal(size, reason, level, tmp_path, capsys):
    source, out = tmp_path / "in.png", tmp_path / "out.jpg"
    source.write_bytes(_png(*size))
    assert main(["protect", str(source), str(out), "--level", level]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert reason in err
    assert not out.exists()


@pytest.mark.filterwarnings("error::RuntimeWarning")
@pytest.mark.parametrize("size", [(32, 32), (640, 32), (32, 640)])
@pytest.mark.parametrize("level", ["light", "standard", "heavy"])
def test_the_smallest_accepted_shapes_are_protected(size, level, tmp_path, capsys):
    source, out = tmp_path / "in.jpg", tmp_path / "out.jpg"
    source.write_bytes(_photo(size))
    assert main(["protect", str(source), str(out), "--level", level, "--watermark", "@a"]) == 0
    protected = Image.open(out)
    assert protected.format == "JPEG"
    assert min(protected.size) >= 28  # a crop of a few percent at most


@pytest.mark.parametrize("seed", ["-1", str(2**63), "seven", "1.5", ""])
def test_a_bad_seed_is_refused_by_the_command_line(seed, photo_path, tmp_path, capsys):
    out = tmp_path / "out.jpg"
    with pytest.raises(SystemExit) as info:
        main(["protect", str(photo_path), str(out), "--seed", seed])
    assert info.value.code == 2
    assert "--seed: must be a whole number from 0 to 9223372036854775807" in (
        capsys.readouterr().err)
    assert not out.exists()


def test_the_largest_seed_is_accepted(photo_path, tmp_path, capsys):
    assert main(["protect", str(photo_path), str(tmp_path / "o.jpg"), "--seed",
                 str(2**63 - 1), "--json"]) == 0
    assert f'"seed": {2**63 - 1}' in capsys.readouterr().out
