"""Speed ratio: protection time / plain Pillow decode + re-encode, 12 MP JPEG, one core.

Usage: ``python bench/imageshield/speed.py [photo.jpg] [--repeat 5]``. Defaults to the
12.2 MP ``sunset_by_Aitzol_Berasategi.jpg`` from ``fetch_photos.sh``. Thread pools of
numpy/OpenCV are pinned to one thread so the numbers are single-core. The baseline
re-encodes at the same JPEG quality the shield picks, with the same encoder options.
"""

from __future__ import annotations

import os

for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import argparse  # noqa: E402
import io  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PIL import Image  # noqa: E402

from core.imageshield import ImageShield, pin_blas_threads  # noqa: E402

DEFAULT = Path(__file__).resolve().parent / "photos" / "sunset_by_Aitzol_Berasategi.jpg"


def best_of(fn: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("photo", nargs="?", default=str(DEFAULT))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    data = Path(args.photo).read_bytes()
    pin_blas_threads()
    shield = ImageShield()
    quality = shield.protect(data, "standard", seed=0).report.quality

    def baseline() -> None:
        img = Image.open(io.BytesIO(data))
        img.load()
        img.save(io.BytesIO(), "JPEG", quality=quality, optimize=True, subsampling="4:2:0")

    w, h = Image.open(io.BytesIO(data)).size
    base_best, base_med = best_of(baseline, args.repeat)
    print(f"{Path(args.photo).name}: {w}x{h} = {w * h / 1e6:.1f} MP, {len(data) / 1e6:.2f} MB")
    print(f"plain decode + re-encode (q{quality}): best {base_best * 1000:.0f} ms, "
          f"median {base_med * 1000:.0f} ms")
    for level in ("light", "standard", "heavy"):
        seeds = iter(range(1000))
        best, med = best_of(lambda lv=level, it=seeds: shield.protect(data, lv, seed=next(it)),
                            args.repeat)
        print(f"{level:9s} best {best * 1000:5.0f} ms  median {med * 1000:5.0f} ms  "
              f"ratio (median/median) {med / base_med:4.2f}x  (target <= 3.00x)")


if __name__ == "__main__":
    main()
