"""Listing pictures drawn for the tests and the benchmark: Chinese text with Pillow and a CJK font.

The font is Debian's ``fonts-wqy-microhei`` (installed by ``make browser``, which ``make test`` runs).
Every picture knows where its text is, so a test can check a finding's box against the drawn one.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_PATHS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)

Box = tuple[int, int, int, int]


def font_path() -> Path | None:
    return next((p for p in FONT_PATHS if p.exists()), None)


def font(size: int) -> ImageFont.FreeTypeFont:
    path = font_path()
    if path is None:
        raise RuntimeError("no CJK font: install fonts-wqy-microhei (make browser)")
    return ImageFont.truetype(str(path), size)


@dataclass
class Picture:
    """A drawn picture and the box of every line drawn on it (in its pixels)."""

    image: Image.Image
    lines: list[tuple[str, Box]] = field(default_factory=list)

    def png(self) -> bytes:
        buf = io.BytesIO()
        self.image.save(buf, format="PNG")
        return buf.getvalue()

    def jpeg(self, quality: int = 90) -> bytes:
        buf = io.BytesIO()
        self.image.convert("RGB").save(buf, format="JPEG", quality=quality)
        return buf.getvalue()

    def box_of(self, words: str) -> Box:
        """The drawn box of ``words`` inside one of the lines (measured with the font's advances)."""
        for text, box in self.lines:
            i = text.find(words)
            if i >= 0:
                x0, y0, _x1, y1 = box
                size = y1 - y0
                f = font(size)
                left = x0 + round(f.getlength(text[:i]))
                right = x0 + round(f.getlength(text[: i + len(words)]))
                return (left, y0, right, y1)
        raise KeyError(words)


def draw_lines(
    lines: list[tuple[str, int, int]],
    size: tuple[int, int],
    *,
    font_size: int = 40,
    fg: tuple[int, int, int] = (20, 20, 20),
    bg: tuple[int, int, int] = (255, 255, 255),
) -> Picture:
    """Text lines ``(text, x, y)`` on a plain background."""
    image = Image.new("RGB", size, bg)
    draw = ImageDraw.Draw(image)
    f = font(font_size)
    pic = Picture(image)
    for text, x, y in lines:
        draw.text((x, y), text, font=f, fill=fg)
        width = round(f.getlength(text))
        pic.lines.append((text, (x, y, x + width, y + font_size)))
    return pic


def slogan(text: str, *, size: tuple[int, int] = (750, 400), font_size: int = 44) -> Picture:
    """A main picture: one slogan line in the middle, a decorative band above it."""
    pic = draw_lines([(text, 40, size[1] // 2 - font_size // 2)], size, font_size=font_size)
    ImageDraw.Draw(pic.image).rectangle((0, 0, size[0], 30), fill=(200, 40, 40))
    return pic


def tall_detail(lines: list[tuple[str, int]], *, height: int, width: int = 750, font_size: int = 40) -> Picture:
    """A detail-page picture: lines ``(text, y)`` down a tall column."""
    return draw_lines([(t, 40, y) for t, y in lines], (width, height), font_size=font_size)


def rotated(text: str, degrees: float, *, size: tuple[int, int] = (750, 500), font_size: int = 44) -> Picture:
    """A slogan turned by ``degrees`` (counter-clockwise) about the picture's centre; the box is the turned
    line's bounding box."""
    pic = slogan(text, size=size, font_size=font_size)
    cx, cy = size[0] / 2, size[1] / 2
    turned = pic.image.rotate(degrees, center=(cx, cy), fillcolor=(255, 255, 255), resample=Image.Resampling.BICUBIC)
    a = math.radians(degrees)
    x0, y0, x1, y1 = pic.lines[0][1]
    pts = []
    for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1)):
        dx, dy = x - cx, y - cy
        pts.append((cx + dx * math.cos(a) + dy * math.sin(a), cy - dx * math.sin(a) + dy * math.cos(a)))
    box = (
        round(min(p[0] for p in pts)),
        round(min(p[1] for p in pts)),
        round(max(p[0] for p in pts)),
        round(max(p[1] for p in pts)),
    )
    return Picture(turned, [(text, box)])


def low_contrast(text: str, *, size: tuple[int, int] = (750, 400)) -> Picture:
    """Light grey text on an off-white background (a faded banner)."""
    return draw_lines([(text, 40, size[1] // 2 - 22)], size, font_size=44, fg=(185, 185, 185), bg=(236, 236, 236))


def blank(size: tuple[int, int] = (750, 750)) -> Picture:
    """A picture with no text: a gradient and shapes, as a product photo's background."""
    image = Image.new("RGB", size, (240, 230, 210))
    draw = ImageDraw.Draw(image)
    for i in range(0, size[1], 6):
        draw.line((0, i, size[0], i), fill=(240 - i // 10 % 40, 230 - i // 12 % 40, 210))
    draw.ellipse((200, 200, 550, 550), fill=(120, 160, 90))
    draw.rectangle((320, 120, 430, 220), fill=(90, 60, 40))
    return Picture(image)


def iou(a: Box, b: Box) -> float:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union else 0.0
