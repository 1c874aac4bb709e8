"""Shared helpers for the image-shield benchmarks (full-resolution ground truth)."""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps

HERE = Path(__file__).resolve().parent
PHOTOS = HERE / "photos"
EXTS = {".jpg", ".jpeg", ".png", ".webp"}


def photo_paths(limit: int | None = None) -> list[Path]:
    paths = sorted(p for p in PHOTOS.iterdir() if p.suffix.lower() in EXTS)
    if len(paths) == 0:
        raise SystemExit(f"no photos in {PHOTOS}: run bench/imageshield/fetch_photos.sh")
    return paths[:limit] if limit else paths


def decode_rgb(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img = ImageOps.exif_transpose(img) or img
    return img.convert("RGB")


def gray(img: Image.Image) -> np.ndarray:
    return np.asarray(img.convert("L"), dtype=np.float32)


def ssim_full(a: np.ndarray, b: np.ndarray) -> float:
    """Wang et al. SSIM (Gaussian sigma 1.5, 11x11), full resolution, via OpenCV blurs."""
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2

    def blur(x: np.ndarray) -> np.ndarray:
        return cv2.GaussianBlur(x, (11, 11), 1.5)

    mx, my = blur(a), blur(b)
    vx, vy, cxy = blur(a * a) - mx * mx, blur(b * b) - my * my, blur(a * b) - mx * my
    m = ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2))
    return float(m[5:-5, 5:-5].mean())


def psnr_full(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a - b) ** 2))
    return 99.0 if mse == 0 else 10 * float(np.log10(255.0**2 / mse))


def aligned_original(original: Image.Image, mirrored: bool,
                     box: tuple[int, int, int, int]) -> Image.Image:
    """The original brought into the output's frame with the shield's known geometry."""
    img = ImageOps.mirror(original) if mirrored else original
    return img.crop(tuple(box))


class FeatureIndex:
    """Near-duplicate search as engines do it: keypoints, ratio test, RANSAC homography.

    Images are searched at <= 1024 px on the long side (what such engines index). A query
    "matches" an original when the homography has at least ``min_inliers`` inliers.
    """

    def __init__(self, kind: str, min_inliers: int = 15, features: int = 1500) -> None:
        self.kind = kind
        self.min_inliers = min_inliers
        if kind == "orb":
            self.detector = cv2.ORB_create(nfeatures=features)
            self.norm = cv2.NORM_HAMMING
        else:
            self.detector = cv2.SIFT_create(nfeatures=features)
            self.norm = cv2.NORM_L2
        self.entries: list[tuple[str, list, np.ndarray | None]] = []

    def _describe(self, img: Image.Image) -> tuple[list, np.ndarray | None]:
        small = img.copy()
        small.thumbnail((1024, 1024), Image.Resampling.LANCZOS)
        kps, desc = self.detector.detectAndCompute(np.asarray(small.convert("L")), None)
        return list(kps), desc

    def add(self, name: str, img: Image.Image) -> None:
        self.entries.append((name, *self._describe(img)))

    def inliers(self, img: Image.Image) -> dict[str, int]:
        kq, dq = self._describe(img)
        matcher = cv2.BFMatcher(self.norm)
        out: dict[str, int] = {}
        for name, kt, dt in self.entries:
            out[name] = 0
            if dq is None or dt is None or len(dq) < 2 or len(dt) < 2:
                continue
            good = [m for m, n in (p for p in matcher.knnMatch(dq, dt, k=2) if len(p) == 2)
                    if m.distance < 0.75 * n.distance]
            if len(good) < 4:
                continue
            src = np.float32([kq[m.queryIdx].pt for m in good]).reshape(-1, 1, 2)
            dst = np.float32([kt[m.trainIdx].pt for m in good]).reshape(-1, 1, 2)
            _, mask = cv2.findHomography(src, dst, cv2.RANSAC, 5.0)
            out[name] = int(mask.sum()) if mask is not None else 0
        return out
