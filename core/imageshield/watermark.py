"""Optional visible watermark with the creator's handle."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont


def add_watermark(img: Image.Image, text: str) -> Image.Image:
    """Semi-transparent handle in the bottom-right corner, sized to the picture.

    Only the corner is composited, so the cost does not grow with the megapixels.
    """
    text = text.strip()[:64]
    if not text:
        return img
    size = max(12, min(img.size) // 28)
    font = ImageFont.load_default(size=size)
    probe = ImageDraw.Draw(Image.new("L", (1, 1)))
    left, top, right, bottom = probe.textbbox((0, 0), text, font=font)
    pad = size // 2
    box_w, box_h = right - left + 2 * pad, bottom - top + 2 * pad
    x0, y0 = int(max(0, img.width - box_w - pad)), int(max(0, img.height - box_h - pad))
    region = img.crop((x0, y0, x0 + box_w, y0 + box_h)).convert("RGBA")
    overlay = Image.new("RGBA", region.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    origin = (pad - left, pad - top)
    draw.text((origin[0] + 1, origin[1] + 1), text, font=font, fill=(0, 0, 0, 110))
    draw.text(origin, text, font=font, fill=(255, 255, 255, 150))
    out = img.copy()
    out.paste(Image.alpha_composite(region, overlay).convert("RGB"), (x0, y0))
    return out
