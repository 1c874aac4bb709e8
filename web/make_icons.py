"""Draw the PWA icons (`python -m web.make_icons`): a paper plane on the theme colour.

Generated, not designed in a tool, so anyone can change the colour or shape and rebuild
them. `any` icons are a rounded square; `maskable` ones fill the whole canvas and keep
the plane inside the central 60% (launchers crop up to the inner 80% circle).
Pillow is imported here only: this never runs on the serve path.
"""

from __future__ import annotations

from pathlib import Path

OUT = Path(__file__).with_name("static") / "icons"
THEME = (123, 44, 191, 255)
WHITE = (255, 255, 255, 255)
SHADE = (220, 205, 240, 255)


def _plane(size: int, scale: float) -> list[list[tuple[float, float]]]:
    """Two triangles of a paper plane, centred, spanning `scale` of the canvas."""
    c, r = size / 2, size * scale / 2

    def at(x: float, y: float) -> tuple[float, float]:
        return (c + x * r, c + y * r)

    wing = [at(-1.0, -0.05), at(1.0, -0.75), at(-0.1, 0.25)]
    body = [at(-0.1, 0.25), at(1.0, -0.75), at(0.25, 0.9)]
    return [wing, body]


def draw(size: int, *, maskable: bool) -> object:
    from PIL import Image, ImageDraw

    big = size * 4  # draw large, scale down: smooth edges without anti-aliasing support
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        pen.rectangle((0, 0, big, big), fill=THEME)
    else:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=THEME)
    wing, body = _plane(big, 0.6 if maskable else 0.72)
    pen.polygon(wing, fill=WHITE)
    pen.polygon(body, fill=SHADE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        for maskable in (False, True):
            name = f"{'maskable' if maskable else 'icon'}-{size}.png"
            draw(size, maskable=maskable).save(OUT / name, optimize=True)  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
