"""Image-shield benchmark: protection and quality per level on real photographs.

Usage: ``python bench/imageshield/run.py [--quick] [--levels light,standard,heavy]
[--workers 2] [--verbose]``. Photos come from ``fetch_photos.sh``.

Everything is measured at full resolution on the decoded output file, independently of
the shield's own report: the four imagehash hashes of output vs original ("still
matched" at Hamming distance <= 10), ORB and SIFT near-duplicate search of the output
against *all* originals, SSIM/PSNR on luma against the original brought into the output's
frame with the shield's known mirror/crop, time per image, output/input size.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    FeatureIndex,
    aligned_original,
    decode_rgb,
    gray,
    photo_paths,
    psnr_full,
    ssim_full,
)

from core.imageshield import ImageShield, pin_blas_threads
from core.imageshield.metrics import hash_distances, perceptual_hashes
from core.imageshield.spec import MATCH_DISTANCE

STATE: dict[str, object] = {}


def _init(paths: list[str]) -> None:
    import cv2

    cv2.setNumThreads(1)
    orb, sift = FeatureIndex("orb"), FeatureIndex("sift")
    for p in paths:
        img = decode_rgb(Path(p).read_bytes())
        orb.add(p, img)
        sift.add(p, img)
    pin_blas_threads()
    STATE.update(orb=orb, sift=sift, shield=ImageShield())


def _one(args: tuple[str, list[str], int]) -> list[dict]:
    path, levels, seed = args
    data = Path(path).read_bytes()
    original = decode_rgb(data)
    orig_hashes = perceptual_hashes(original)
    shield: ImageShield = STATE["shield"]  # type: ignore[assignment]
    rows = []
    for level in levels:
        t0 = time.perf_counter()
        result = shield.protect(data, level, seed=seed)
        elapsed = (time.perf_counter() - t0) * 1000
        rep = result.report
        out = decode_rgb(result.data)
        dist = hash_distances(orig_hashes, perceptual_hashes(out))
        ref = aligned_original(original, rep.mirrored, rep.crop_box)
        ga, gb = gray(ref), gray(out)
        orb = STATE["orb"].inliers(out)  # type: ignore[attr-defined]
        sift = STATE["sift"].inliers(out)  # type: ignore[attr-defined]
        rows.append({
            "photo": Path(path).name, "level": level, "mp": original.width * original.height / 1e6,
            "dist": dist, "all_defeated": all(d > MATCH_DISTANCE for d in dist.values()),
            "orb_inliers": orb[path], "sift_inliers": sift[path],
            "orb_defeated": orb[path] < STATE["orb"].min_inliers,  # type: ignore[attr-defined]
            "sift_defeated": sift[path] < STATE["sift"].min_inliers,  # type: ignore[attr-defined]
            "ssim": ssim_full(ga, gb), "psnr": psnr_full(ga, gb), "ms": elapsed,
            "size_ratio": len(result.data) / len(data), "report_ssim": rep.ssim,
            "report_dist": rep.distances_after,
        })
    return rows


def _pct(xs: list[bool]) -> str:
    return f"{100.0 * sum(xs) / max(len(xs), 1):5.1f}%"


def print_table(rows: list[dict], levels: list[str]) -> None:
    head = (f"{'level':9s} {'n':>3s} {'all-hash':>8s} {'pHash':>6s} {'dHash':>6s} "
            f"{'aHash':>6s} {'wHash':>6s} {'ORB':>6s} {'SIFT':>6s} {'SSIMmed':>7s} "
            f"{'SSIMmin':>7s} {'PSNRmed':>7s} {'PSNRmin':>7s} {'ms/img':>7s} {'size':>5s}")
    print(head)
    print("-" * len(head))
    for level in levels:
        rs = [r for r in rows if r["level"] == level]
        if not rs:
            continue
        per = {h: _pct([r["dist"][h] > MATCH_DISTANCE for r in rs])
               for h in ("phash", "dhash", "ahash", "whash")}
        print(f"{level:9s} {len(rs):3d} {_pct([r['all_defeated'] for r in rs]):>8s} "
              f"{per['phash']:>6s} {per['dhash']:>6s} {per['ahash']:>6s} {per['whash']:>6s} "
              f"{_pct([r['orb_defeated'] for r in rs]):>6s} "
              f"{_pct([r['sift_defeated'] for r in rs]):>6s} "
              f"{statistics.median(r['ssim'] for r in rs):7.4f} "
              f"{min(r['ssim'] for r in rs):7.4f} "
              f"{statistics.median(r['psnr'] for r in rs):7.2f} "
              f"{min(r['psnr'] for r in rs):7.2f} "
              f"{statistics.median(r['ms'] for r in rs):7.0f} "
              f"{statistics.median(r['size_ratio'] for r in rs):5.2f}")
    print("columns: share of photos where ALL four hashes / each hash is defeated "
          f"(distance > {MATCH_DISTANCE}), share no longer found by ORB / SIFT search "
          "(< 15 RANSAC inliers vs its original among all originals), full-res luma "
          "SSIM/PSNR vs aligned original, median ms per protection (1 core), median "
          "output/input bytes.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="first 5 photos only")
    parser.add_argument("--levels", default="light,standard,heavy")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    levels = [lv.strip() for lv in args.levels.split(",") if lv.strip()]
    paths = [str(p) for p in photo_paths(5 if args.quick else None)]
    mp = [decode_rgb(Path(p).read_bytes()).size for p in paths]
    big = sum(w * h >= 8e6 for w, h in mp)
    print(f"{len(paths)} photos ({big} of them >= 8 MP), levels: {', '.join(levels)}")
    jobs = [(p, levels, i) for i, p in enumerate(paths)]
    with ProcessPoolExecutor(args.workers, initializer=_init, initargs=(paths,)) as pool:
        rows = [r for batch in pool.map(_one, jobs) for r in batch]
    if args.verbose:
        for r in rows:
            print(f"{r['photo'][:24]:24s} {r['level']:8s} {r['dist']} orb={r['orb_inliers']} "
                  f"sift={r['sift_inliers']} ssim={r['ssim']:.4f} rep_ssim={r['report_ssim']} "
                  f"psnr={r['psnr']:.1f} ms={r['ms']:.0f} size={r['size_ratio']:.2f}")
    print_table(rows, levels)
    out_dir = Path(__file__).resolve().parent / "out"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "results.json").write_text(json.dumps(rows, indent=1, default=str))


if __name__ == "__main__":
    main()
