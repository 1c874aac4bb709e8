"""Hostile input to `thottopilot protect IN OUT`, as one suite.

Every case runs the real command line in-process (`bot.cli.main`). A bad case must exit
2 with one line on stderr saying why (argparse's usage synopsis aside, for a bad flag),
never a traceback, and write no OUT; a valid one must exit 0 with a real JPEG. In every
case IN is byte-for-byte what it was (its hash before and after), whatever OUT names.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image

from bot.cli import main
from tests.fakes.photos import animated_gif, camera_photo, cut_off, png_header

PHOTO = camera_photo()


def _png(width: int, height: int) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 90)).save(buf, "PNG")
    return buf.getvalue()


@dataclass
class Files:
    """IN (`source`), and the folder a case may build OUT and links in."""

    tmp: Path
    monkeypatch: pytest.MonkeyPatch
    source: Path = field(init=False)

    def __post_init__(self) -> None:
        self.source = self.tmp / "holiday.jpg"


# A case's `out` builds the OUT argument (after IN exists); `data` is IN's bytes (None:
# IN is not created by the case itself).
Out = Callable[[Files], str]


def _out(f: Files) -> str:
    return str(f.tmp / "safe.jpg")


def _symlink(f: Files) -> str:
    (f.tmp / "link.jpg").symlink_to(f.source)
    return str(f.tmp / "link.jpg")


def _hardlink(f: Files) -> str:
    (f.tmp / "hard.jpg").hardlink_to(f.source)
    return str(f.tmp / "hard.jpg")


def _relative(f: Files) -> str:
    (f.tmp / "sub").mkdir()
    f.monkeypatch.chdir(f.tmp)
    return "sub/../holiday.jpg"


def _dot_slash(f: Files) -> str:
    f.monkeypatch.chdir(f.tmp)
    return "./holiday.jpg"


def _symlinked_folder(f: Files) -> str:
    (f.tmp / "alias").symlink_to(f.tmp, target_is_directory=True)
    return str(f.tmp / "alias" / "holiday.jpg")


def _existing_out(f: Files) -> str:
    (f.tmp / "safe.jpg").write_bytes(b"last week's copy")
    return str(f.tmp / "safe.jpg")


def _folder_named_jpg(f: Files) -> str:
    (f.tmp / "dir.jpg").mkdir()
    return str(f.tmp / "dir.jpg")


@dataclass(frozen=True)
class Case:
    id: str
    data: bytes | None = PHOTO
    out: Out = _out
    args: tuple[str, ...] = ()
    code: int = 2
    says: str = ""  # in the one stderr line (exit 2), or the stdout summary (exit 0)
    usage_error: bool = False  # refused by argparse: usage synopsis + one error line
    setup: Callable[[Files], None] | None = None


def _in_is_a_fifo(f: Files) -> None:
    os.mkfifo(f.source)


def _in_is_a_folder(f: Files) -> None:
    f.source.mkdir()


def _in_links_to_out(f: Files) -> None:
    """IN is a symlink to an existing photo that OUT then names directly."""
    (f.tmp / "safe.jpg").write_bytes(PHOTO)
    f.source.symlink_to(f.tmp / "safe.jpg")


def _small_limit(f: Files) -> None:
    f.monkeypatch.setenv("THOTTOPILOT_LIMITS__MAX_UPLOAD_BYTES", "10000")


SAME = "is the photo being protected; write the copy to another file"
SEED = "--seed: must be a whole number from 0 to 9223372036854775807"
CASES = [
    # -- OUT is IN under another name: refused, IN untouched --------------------------
    Case("out-equals-in", out=lambda f: str(f.source), says=SAME),
    Case("out-a-symlink-to-in", out=_symlink, says=SAME),
    Case("out-a-hard-link-to-in", out=_hardlink, says=SAME),
    Case("out-a-relative-path-to-in", out=_relative, says=SAME),
    Case("out-dot-slash-in", out=_dot_slash, says=SAME),
    Case("out-through-a-symlinked-folder", out=_symlinked_folder, says=SAME),
    Case("in-a-symlink-to-out", data=None, setup=_in_links_to_out,
         out=lambda f: str(f.tmp / "safe.jpg"), says=SAME),
    # -- IN is not a usable photo -----------------------------------------------------
    Case("in-missing", data=None, says="cannot read"),
    Case("in-a-folder", data=None, setup=_in_is_a_folder, says="cannot read"),
    Case("in-a-fifo", data=None, setup=_in_is_a_fifo, says="cannot read"),
    Case("in-not-an-image", data=b"dear diary, today I", says="doesn't look like a photo"),
    Case("in-empty", data=b"", says="empty"),
    Case("in-truncated-jpeg", data=cut_off(PHOTO), says="seems cut off"),
    Case("in-jpeg-header-only", data=PHOTO[:600], says="doesn't look like a photo"),
    Case("in-animated-gif", data=animated_gif(), says="Animated images"),
    Case("in-decompression-bomb-header", data=png_header(100_000, 100_000), says="huge"),
    Case("in-bomb-header-with-zero-width", data=png_header(0, 100_000)),
    Case("in-1x1", data=_png(1, 1), says="only 1×1 pixels, too small to protect"),
    Case("in-2x2", data=_png(2, 2), says="only 2×2 pixels, too small to protect"),
    Case("in-3000x2", data=_png(3000, 2), says="3000×2 pixels, a strip rather than a photo"),
    Case("in-over-the-upload-limit", setup=_small_limit, says="over 9.8 KB"),
    # -- bad flags ---------------------------------------------------------------------
    Case("seed-negative", args=("--seed", "-1"), says=SEED, usage_error=True),
    Case("seed-too-large", args=("--seed", str(2**63)), says=SEED, usage_error=True),
    Case("seed-five-thousand-digits", args=("--seed", "9" * 5000), says=SEED,
         usage_error=True),
    Case("seed-a-word", args=("--seed", "seven"), says=SEED, usage_error=True),
    Case("seed-a-fraction", args=("--seed", "1.5"), says=SEED, usage_error=True),
    Case("seed-hex", args=("--seed", "0x10"), says=SEED, usage_error=True),
    Case("seed-empty", args=("--seed", ""), says=SEED, usage_error=True),
    Case("level-bogus", args=("--level", "bogus"), says="argument --level: invalid choice",
         usage_error=True),
    Case("level-empty", args=("--level", ""), says="argument --level: invalid choice",
         usage_error=True),
    # -- OUT is not somewhere a photo can go -------------------------------------------
    Case("out-in-a-missing-folder", out=lambda f: str(f.tmp / "nope" / "out.jpg"),
         says="cannot write"),
    Case("out-a-folder-named-jpg", out=_folder_named_jpg, says="it is a folder"),
    Case("out-a-png", out=lambda f: str(f.tmp / "out.png"), says=".jpg, .jpeg or .webp"),
    Case("out-without-a-suffix", out=lambda f: str(f.tmp / "out"), says=".jpg, .jpeg or .webp"),
    Case("out-under-a-file", out=lambda f: str(f.source / "out.jpg"), says="cannot write"),
    # -- valid, if odd: protected -------------------------------------------------------
    Case("valid-plain", code=0, says="hash match"),
    Case("valid-seed-zero", args=("--seed", "0"), code=0, says="hash match"),
    Case("valid-largest-seed", args=("--seed", str(2**63 - 1)), code=0, says="hash match"),
    Case("valid-replaces-an-existing-out", out=_existing_out, code=0, says="hash match"),
    Case("valid-watermark-with-escapes", args=("--watermark", "@me\x1b[2J\x07"), code=0,
         says="hash match"),
    Case("valid-thousand-character-watermark", args=("--watermark", "@" + "w" * 1000),
         code=0, says="hash match"),
]


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def _lay_out(case: Case, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Files, str]:
    """IN with the case's bytes, its setup run, and the OUT argument it builds."""
    files = Files(tmp, monkeypatch)
    if case.data is not None:
        files.source.write_bytes(case.data)
    if case.setup is not None:
        case.setup(files)
    return files, case.out(files)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_protect_input_exits_cleanly_and_never_touches_in(
    case: Case, tmp_path, monkeypatch, capsys, log_watch
):
    files, out = _lay_out(case, tmp_path, monkeypatch)
    before = _digest(files.source)
    listing = sorted(p.name for p in tmp_path.iterdir())
    argv = ["protect", str(files.source), out, *case.args]
    if case.usage_error:
        with pytest.raises(SystemExit) as info:
            main(argv)
        code = info.value.code
    else:
        code = main(argv)
    captured = capsys.readouterr()
    assert code == case.code, captured.err
    assert "Traceback" not in captured.err + captured.out
    assert _digest(files.source) == before, "IN was changed"
    if case.code == 0:
        assert case.says in captured.out
        assert Image.open(Path(out)).format == "JPEG"
        assert captured.out.count("\n") == 1
    elif case.usage_error:
        [line] = [ln for ln in captured.err.splitlines() if "error:" in ln]
        assert case.says in line
        assert captured.err.splitlines()[-1] == line
    else:
        [line] = captured.err.splitlines()
        assert line.startswith("thottopilot protect: ")
        assert case.says in line
    if case.code != 0:  # nothing was written: no OUT, no temporary file left behind
        assert sorted(p.name for p in tmp_path.iterdir()) == listing
    log_watch.assert_clean()


BAD_JSON = [c for c in CASES if c.code == 2 and not c.usage_error][:12]


@pytest.mark.parametrize("case", BAD_JSON, ids=[c.id for c in BAD_JSON])
def test_hostile_protect_input_with_json_prints_one_error_object(
    case: Case, tmp_path, monkeypatch, capsys, log_watch
):
    files, out = _lay_out(case, tmp_path, monkeypatch)
    before = _digest(files.source)
    assert main(["protect", str(files.source), out, "--json"]) == 2
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] is False
    assert result["error"]
    assert case.says in result["message"]
    assert _digest(files.source) == before
    log_watch.assert_clean()
