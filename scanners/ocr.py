"""Reading the text in a picture: image bytes in, :class:`~scanners.images.ImageText` out.

The model is RapidOCR's ONNX build of PaddleOCR's PP-OCR (detection, direction and recognition), whose
model files ship inside the ``rapidocr-onnxruntime`` wheel: nothing is downloaded, ever, and it runs with
no network (``tests/scanners/test_ocr.py`` proves it with sockets blocked). This module does no I/O of its
own: callers hand it bytes (the CLI reads files next to its input, the workers fetch or load them).

What one image may cost is bounded before any pixel is decoded (:class:`OcrLimits`): bytes, pixels and the
number of tiles; a larger image raises :class:`ImageRejected` with a reason for the editor.

Tall images (a 750×10000 detail page) are cut into overlapping bands (:func:`scanners.images.tile_spans`):
the model scales a whole picture down to ~1000 px on its longer side, which would make a detail page's
text unreadably small. Wide images are scaled down to ``max_width`` first; boxes come back in the original
image's pixels.
"""

from __future__ import annotations

import functools
import hashlib
import io
import threading
import warnings
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scanners.images import ImageLine, ImageText, make_line, merge_tiles, tile_spans

if TYPE_CHECKING:
    from PIL import Image


class ImageRejected(ValueError):
    """An image that is not read: ``reason`` says why, in words for the editor."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True, slots=True)
class OcrLimits:
    """What one image may cost. The defaults fit a 750×20000 detail page and a 4000×4000 photo."""

    max_bytes: int = 20 * 1024 * 1024
    max_pixels: int = 25_000_000
    max_tiles: int = 40
    #: Wider images are scaled down to this width before reading (the text of a picture this wide is large).
    max_width: int = 1600
    #: Height of a band of a tall image, and rows shared by neighbouring bands (taller than any line).
    tile_height: int = 1280
    overlap: int = 256


# The detector scales each band so its longer side is at most this (the package's default scales the
# shorter side *up* to 736, which costs twice the time on a 750×400 banner for no better reading).
_DET_LIMIT = 1280
# A line touching a band's cut edge within this many pixels may be a part of a line.
_EDGE = 3
# Below this confidence a line is not text (decorations, textures).
_MIN_SCORE = 0.6
_MEMO_SIZE = 256


class OcrEngine:
    """One loaded model (about 0.7 s to load; keep one per process). Thread-safe: calls are serialised."""

    def __init__(self, *, threads: int | None = None, limits: OcrLimits | None = None) -> None:
        from rapidocr_onnxruntime import RapidOCR

        kwargs: dict[str, Any] = {"det_limit_type": "max", "det_limit_side_len": _DET_LIMIT}
        if threads:
            kwargs["intra_op_num_threads"] = threads
            kwargs["inter_op_num_threads"] = 1
        self._ocr = RapidOCR(**kwargs)
        self.limits = limits or OcrLimits()
        self._lock = threading.Lock()
        # The last images read, by the SHA-256 of their bytes: a picture shared by listings is read once.
        self._memo: OrderedDict[str, ImageText | ImageRejected] = OrderedDict()
        #: How many images this engine has run the model on (the memo's misses).
        self.reads = 0

    def read(self, data: bytes) -> ImageText:
        """The text of one image (PNG, JPEG, WebP, GIF's first frame …) with every line's box.

        Raises :class:`ImageRejected` when the image is over a limit or is not an image.
        """
        digest = hashlib.sha256(data).hexdigest()
        with self._lock:
            found = self._memo.get(digest)
            if found is not None:
                self._memo.move_to_end(digest)
        if found is None:
            try:
                found = self._read(data)
            except ImageRejected as exc:
                found = exc
            with self._lock:
                self._memo[digest] = found
                while len(self._memo) > _MEMO_SIZE:
                    self._memo.popitem(last=False)
        if isinstance(found, ImageRejected):
            raise found
        return found

    def _read(self, data: bytes) -> ImageText:
        image, spans, factor = prepare(data, self.limits)
        self.reads += 1
        tiles: list[tuple[int, list[ImageLine]]] = []
        height = image.size[1]
        for y0, y1 in spans:
            band = image.crop((0, y0, image.size[0], y1))
            tiles.append((y0, self._read_band(band, top_cut=y0 > 0, bottom_cut=y1 < height)))
        lines = [ln.scaled(factor) for ln in merge_tiles(tiles)]
        return ImageText(lines=tuple(lines), width=round(image.size[0] * factor), height=round(height * factor))

    def _read_band(self, band: Image.Image, *, top_cut: bool, bottom_cut: bool) -> list[ImageLine]:
        with self._lock:
            result, _ = self._ocr(band, return_word_box=True)
        if not result:
            return []
        h = band.size[1]
        lines: list[ImageLine] = []
        for row in result:
            quad, text, score = row[0], str(row[1]), float(row[2])
            if not text.strip() or score < _MIN_SCORE:
                continue
            xs = [float(p[0]) for p in quad]
            ys = [float(p[1]) for p in quad]
            box = (round(min(xs)), round(min(ys)), round(max(xs)), round(max(ys)))
            cut = (top_cut and box[1] <= _EDGE) or (bottom_cut and box[3] >= h - _EDGE)
            lines.append(make_line(text, box, score, _char_boxes(text, row), cut=cut))
        return lines


def _char_boxes(text: str, row: Any) -> list[tuple[int, int, int, int]] | None:
    """One box per code point from the model's word boxes, when its words spell the text exactly."""
    if len(row) < 5 or not row[3] or not row[4]:
        return None
    quads, words = row[3], row[4]
    if len(quads) != len(words):
        return None
    out: list[tuple[int, int, int, int]] = []
    pos = 0
    for quad, word in zip(quads, words, strict=True):
        word = str(word)
        skipped = text[pos:].find(word) if word else -1
        if skipped < 0 or (skipped and not text[pos : pos + skipped].isspace()):
            return None
        xs = [int(p[0]) for p in quad]
        ys = [int(p[1]) for p in quad]
        x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
        if skipped:  # spaces between words: a thin box at the next word's left edge
            out.extend((x0, y0, x0, y1) for _ in range(skipped))
        n = len(word)
        for k in range(n):  # a word of several letters: its box divided evenly
            out.append((x0 + (x1 - x0) * k // n, y0, x0 + (x1 - x0) * (k + 1) // n, y1))
        pos += skipped + n
    if pos != len(text):
        return None
    return out


def prepare(data: bytes, limits: OcrLimits) -> tuple[Image.Image, list[tuple[int, int]], float]:
    """Check an image against the limits and decode it: the RGB picture to read (scaled down to
    ``max_width``), its bands, and the factor back to the original pixels.

    Raises :class:`ImageRejected` before decoding any pixel when the bytes, the pixels or the bands are
    over the limits, or when the data is not an image.
    """
    if len(data) > limits.max_bytes:
        raise ImageRejected(
            "too_many_bytes",
            f"图片文件 {len(data) / 1048576:.1f} MB，超过上限 {limits.max_bytes / 1048576:.0f} MB",
        )
    image = _open(data, limits)
    width, height = image.size
    factor = 1.0
    if width > limits.max_width:
        factor = width / limits.max_width
        image = image.resize((limits.max_width, max(1, round(height / factor))))
    spans = tile_spans(image.size[1], tile=limits.tile_height, overlap=limits.overlap)
    if len(spans) > limits.max_tiles:
        raise ImageRejected(
            "too_many_tiles",
            f"图片 {width}×{height} 像素过长（需切成 {len(spans)} 段，上限 {limits.max_tiles} 段）",
        )
    return image, spans, factor


def _open(data: bytes, limits: OcrLimits) -> Image.Image:
    """Decode an image after checking its size from the header (a small file can hold a huge image)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > limits.max_pixels:
                raise ImageRejected(
                    "too_many_pixels",
                    f"图片 {width}×{height} 像素，超过上限 {limits.max_pixels // 1_000_000} 百万像素",
                )
            image.seek(0)
            image.load()
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own guard, for sizes far over any limit here: refused from the header as well.
        raise ImageRejected(
            "too_many_pixels", f"图片像素过多，超过上限 {limits.max_pixels // 1_000_000} 百万像素"
        ) from exc
    except UnidentifiedImageError as exc:
        raise ImageRejected("not_an_image", "文件不是可识别的图片") from exc
    except (OSError, ValueError, SyntaxError) as exc:  # truncated or corrupt data
        raise ImageRejected("not_an_image", f"图片文件已损坏（{exc}）") from exc
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # Text on a transparent background: put it on white, as a page shows it.
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")


_ENGINES: dict[tuple[int | None, OcrLimits], OcrEngine] = {}
_ENGINES_LOCK = threading.Lock()


def engine(*, threads: int | None = None, limits: OcrLimits | None = None) -> OcrEngine:
    """The process's engine for these settings, loaded on first use."""
    key = (threads or None, limits or OcrLimits())  # equal settings share one engine and its readings
    with _ENGINES_LOCK:
        found = _ENGINES.get(key)
        if found is None:
            found = _ENGINES[key] = OcrEngine(threads=threads, limits=limits)
        return found


@functools.lru_cache(maxsize=1)
def model_files() -> tuple[str, ...]:
    """The model files the engine loads, inside the installed package (for the docs and a test)."""
    from pathlib import Path

    import rapidocr_onnxruntime

    root = Path(rapidocr_onnxruntime.__file__).parent / "models"
    return tuple(sorted(p.name for p in root.glob("*.onnx")))
