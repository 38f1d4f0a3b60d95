"""Text read from a listing's pictures: lines and boxes in, findings with boxes out (pure Python).

OCR itself (decoding, tiling, the model) lives in :mod:`scanners.ocr`; this module only handles what OCR
returned, so it is tested without a model:

- :func:`tile_spans` cuts a tall image into overlapping horizontal bands, so a line of text that one cut
  crosses is whole in the next band;
- :func:`merge_tiles` puts the lines read from each band back into the original image's pixels and keeps
  one copy of each line seen twice in an overlap;
- :class:`ImageText` is what an image says: its text (lines in reading order, one per text line) and the
  box of every character, so any span of the text has a box;
- :func:`ocr_normalize` undoes what OCR does to text (letters read for digits inside numbers), one code
  point for one, so offsets into the normalised text are offsets into the image text;
- :func:`scan_image` runs the same wording and spec scanners as the text fields over an image's text and
  returns findings on ``images[i]`` with ``box`` and ``image_text`` (interfaces.md §1).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from scanners.findings import Category, Finding, Severity
from scanners.listing import scan_listing_wording
from scanners.options import ScanOptions

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in the image's pixels

#: Image kinds of interfaces.md §2 and how an editor calls them.
KIND_NAMES: Mapping[str, str] = {"main": "主图", "detail": "详情图", "sku": "SKU图"}

#: Rule of the finding for an image that could not be read (too large, not an image, not fetched).
UNREADABLE_RULE = "image.unreadable"


@dataclass(frozen=True, slots=True)
class ImageLine:
    """One line of text read from an image.

    ``chars`` holds one box per code point of ``text`` (the model's per-character boxes, or the line's box
    divided evenly when the model gave none that match).
    """

    text: str
    box: Box
    score: float
    chars: tuple[Box, ...]
    #: Whether the line touches a tile's cut edge (it may be a part of a line; see :func:`merge_tiles`).
    cut: bool = False

    def shifted(self, dy: int) -> ImageLine:
        return replace(
            self,
            box=(self.box[0], self.box[1] + dy, self.box[2], self.box[3] + dy),
            chars=tuple((b[0], b[1] + dy, b[2], b[3] + dy) for b in self.chars),
        )

    def scaled(self, factor: float) -> ImageLine:
        if factor == 1.0:
            return self
        return replace(self, box=_scale(self.box, factor), chars=tuple(_scale(b, factor) for b in self.chars))


def _scale(b: Box, f: float) -> Box:
    return (round(b[0] * f), round(b[1] * f), round(b[2] * f), round(b[3] * f))


def even_char_boxes(text: str, box: Box) -> tuple[Box, ...]:
    """The line's box divided among its code points, a CJK character counting twice a narrow one."""
    weights = [1.0 if ord(ch) < 0x2E80 else 2.0 for ch in text]
    total = sum(weights) or 1.0
    x0, y0, x1, y1 = box
    out: list[Box] = []
    acc = 0.0
    for w in weights:
        a = x0 + (x1 - x0) * acc / total
        acc += w
        b = x0 + (x1 - x0) * acc / total
        out.append((round(a), y0, round(b), y1))
    return tuple(out)


def make_line(text: str, box: Box, score: float, chars: Sequence[Box] | None = None, cut: bool = False) -> ImageLine:
    """A line with one box per code point: ``chars`` when it has exactly one per code point, else even ones."""
    if chars is None or len(chars) != len(text):
        char_boxes = even_char_boxes(text, box)
    else:
        char_boxes = tuple(chars)
    return ImageLine(text=text, box=box, score=score, chars=char_boxes, cut=cut)


# ---------------------------------------------------------------------------------------------- tiles


def tile_spans(height: int, *, tile: int, overlap: int) -> list[tuple[int, int]]:
    """Horizontal bands ``(y0, y1)`` covering ``0..height``, each at most ``tile`` tall, neighbours
    sharing ``overlap`` rows. A line of text no taller than ``overlap`` is whole in at least one band."""
    if height <= 0:
        return []
    if tile <= overlap:
        raise ValueError("tile must be taller than the overlap")
    if height <= tile:
        return [(0, height)]
    step = tile - overlap
    spans: list[tuple[int, int]] = []
    y = 0
    while True:
        end = min(y + tile, height)
        spans.append((y, end))
        if end >= height:
            break
        y += step
    # The last band is stretched upwards to a full tile: it reads more context and no thin strip is left.
    if len(spans) > 1:
        spans[-1] = (max(0, height - tile), height)
    return spans


def _overlap_1d(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def _same_line(a: ImageLine, b: ImageLine) -> bool:
    """Whether two lines from neighbouring tiles are (parts of) the same line of the image."""
    ax0, ay0, ax1, ay1 = a.box
    bx0, by0, bx1, by1 = b.box
    oy = _overlap_1d(ay0, ay1, by0, by1)
    ox = _overlap_1d(ax0, ax1, bx0, bx1)
    if oy == 0 or ox == 0:
        return False
    shorter_h = min(ay1 - ay0, by1 - by0) or 1
    narrower_w = min(ax1 - ax0, bx1 - bx0) or 1
    return oy >= 0.5 * shorter_h and ox >= 0.5 * narrower_w


def merge_tiles(tiles: Sequence[tuple[int, Sequence[ImageLine]]]) -> list[ImageLine]:
    """Lines of every tile ``(y0 of the tile, lines in tile pixels)`` as lines of the whole image.

    A line read in two overlapping tiles is kept once: the copy that no cut touched, else the larger one
    (a cut line may be only the part of it inside the tile). The result is in reading order.
    """
    placed: list[ImageLine] = []
    for y0, lines in tiles:
        for line in lines:
            placed.append(line.shifted(y0) if y0 else line)
    # Best copies first: uncut, then larger, then surer.
    ranked = sorted(
        placed,
        key=lambda ln: (ln.cut, -((ln.box[2] - ln.box[0]) * (ln.box[3] - ln.box[1])), -ln.score),
    )
    kept: list[ImageLine] = []
    for line in ranked:
        if not any(_same_line(line, k) for k in kept):
            kept.append(line)
    return reading_order(kept)


def reading_order(lines: Sequence[ImageLine]) -> list[ImageLine]:
    """Top to bottom; lines whose vertical centres are within half a line height are read left to right."""
    ordered = sorted(lines, key=lambda ln: (ln.box[1] + ln.box[3], ln.box[0]))
    rows: list[list[ImageLine]] = []
    for line in ordered:
        centre = (line.box[1] + line.box[3]) / 2
        if rows:
            last = rows[-1][0]
            last_centre = (last.box[1] + last.box[3]) / 2
            if abs(centre - last_centre) <= 0.5 * min(last.box[3] - last.box[1], line.box[3] - line.box[1]):
                rows[-1].append(line)
                continue
        rows.append([line])
    return [ln for row in rows for ln in sorted(row, key=lambda ln: ln.box[0])]


# ---------------------------------------------------------------------------------------------- text

# Letters that OCR reads for digits inside a number ("5O0g", "1l0ml"). A run starts with a digit that no
# letter precedes; the letters inside it are digits, and those after its last digit only when a unit follows
# ("5Oml"), so words (SOLO, 3D, 10oz) are never touched.
_DIGIT_LOOKALIKE = {"O": "0", "o": "0", "l": "1", "I": "1", "|": "1"}
_RUN = re.compile(r"(?<![A-Za-z])[0-9][0-9OolI|]*")
_UNIT_AFTER = re.compile(r"(?:kg|g|mg|ml|mL|L|l|mAh|Wh|W|V|cm|mm|m|斤|克|千克|公斤|毫升|升|片|袋|包|盒|瓶)(?![A-Za-z])")


def _fix_run(m: re.Match[str]) -> str:
    run = m.group(0)
    last = max(i for i, ch in enumerate(run) if ch.isdigit())
    head = "".join(_DIGIT_LOOKALIKE.get(ch, ch) for ch in run[: last + 1])
    tail = run[last + 1 :]
    if tail and _UNIT_AFTER.match(m.string, m.end()):
        tail = "".join(_DIGIT_LOOKALIKE[ch] for ch in tail)
    return head + tail


def ocr_normalize(text: str) -> str:
    """Undo OCR's slips that the scanners would otherwise miss, one code point for one.

    Full-width forms, dropped spaces and line breaks are already what the scanners' own normalisation
    handles (they fold full-width forms and never need spaces between Chinese words); what is left are
    letters read for digits inside numbers (``5O0g`` -> ``500g``).
    """
    if not any(ch in _DIGIT_LOOKALIKE for ch in text):
        return text
    return _RUN.sub(_fix_run, text)


@dataclass(frozen=True, slots=True)
class ImageText:
    """What one image says: its lines in reading order, and their text joined by line breaks."""

    lines: tuple[ImageLine, ...]
    width: int
    height: int

    @property
    def text(self) -> str:
        return "\n".join(ocr_normalize(line.text) for line in self.lines)

    def char_boxes(self) -> list[Box | None]:
        """One box per code point of :attr:`text` (None for the line breaks)."""
        out: list[Box | None] = []
        for i, line in enumerate(self.lines):
            if i:
                out.append(None)
            out.extend(line.chars)
        return out

    def box(self, start: int, end: int) -> Box | None:
        """The box around ``text[start:end]`` (the union of its characters' boxes)."""
        boxes = [b for b in self.char_boxes()[start:end] if b is not None]
        if not boxes:
            return None
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data (what the workers cache by the image's content hash)."""
        return {
            "width": self.width,
            "height": self.height,
            "lines": [
                {
                    "text": ln.text,
                    "box": list(ln.box),
                    "score": round(ln.score, 4),
                    "chars": [list(b) for b in ln.chars],
                }
                for ln in self.lines
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ImageText:
        lines = tuple(
            make_line(
                str(ln["text"]),
                _box(ln["box"]),
                float(ln.get("score", 1.0)),
                [_box(b) for b in ln.get("chars", [])],
            )
            for ln in data.get("lines", [])
        )
        return cls(lines=lines, width=int(data.get("width", 0)), height=int(data.get("height", 0)))


def _box(value: Any) -> Box:
    x0, y0, x1, y1 = (int(v) for v in value)
    return (x0, y0, x1, y1)


# ---------------------------------------------------------------------------------------------- scanning

# The field the image's text is given to the scanners as: description is the selling copy, and the spec
# scanner names it in its messages with this label, which is replaced by the picture's name.
_AS_FIELD = "description"
_AS_LABEL = "详情描述"


def image_field(index: int) -> str:
    """The finding field of the listing's ``index``-th image (interfaces.md §1)."""
    return f"images[{index}]"


def picture_name(index: int, kind: str | None) -> str:
    """How an editor finds the picture: 第2张详情图."""
    return f"第{index + 1}张{KIND_NAMES.get(kind or '', '图片')}"


def _text_listing(listing: Mapping[str, Any], text: str) -> dict[str, Any]:
    """The listing as the scanners see it when the image's text is its only selling copy.

    Category, presale state, price basis and the spec table are kept (they change what the rules decide,
    and the brand/model specs are allowed names); the other text fields are left out so their findings are
    not repeated.
    """
    skus = listing.get("skus")
    sku_basis = []
    if isinstance(skus, list):
        sku_basis = [
            {"list_price_basis": s.get("list_price_basis")}
            for s in skus
            if isinstance(s, Mapping) and s.get("list_price_basis")
        ]
    return {
        "id": listing.get("id"),
        "category": listing.get("category"),
        "presale": listing.get("presale"),
        "specs": listing.get("specs"),
        "skus": sku_basis,
        _AS_FIELD: text,
    }


def scan_image(
    listing: Mapping[str, Any],
    index: int,
    image: ImageText,
    *,
    kind: str | None = None,
    options: ScanOptions | None = None,
) -> list[Finding]:
    """The wording and spec findings of the text read from the listing's ``index``-th image.

    Each finding has the rule, category, severity, citation and suggestion the same words would get in the
    description, ``field`` ``images[index]``, ``start``/``end`` into ``image_text`` and the ``box`` around
    the words in the image's pixels; the message names the picture to redo.
    """
    text = image.text
    if not text.strip():
        return []
    from scanners.specs import scan_specs

    data = _text_listing(listing, text)
    found = [f for f in scan_listing_wording(data, options) if f.field == _AS_FIELD]
    found += [f for f in scan_specs(data) if f.field == _AS_FIELD]
    lid = listing.get("id")
    listing_id = str(lid) if lid is not None else None
    name = picture_name(index, kind)
    out: list[Finding] = []
    for f in found:
        box = image.box(f.start, f.end)
        message = f.message.replace(f"，{_AS_LABEL}写", f"，{name}写")
        out.append(
            replace(
                f,
                field=image_field(index),
                listing_id=listing_id,
                message=f"{message}（图片文字，请重做{name}）",
                box=box,
                image_text=text,
            )
        )
    out.sort(key=Finding.sort_key)
    return out


def unreadable_finding(listing_id: str | None, index: int, kind: str | None, reason: str) -> Finding:
    """The finding for an image that was not read (too large, not an image, could not be fetched).

    A warning under ``extreme_wording`` would be wrong: nothing was found in it, so it is an ``info`` of
    its own category that says why, and the editor knows the picture was not checked.
    """
    name = picture_name(index, kind)
    return Finding(
        rule=UNREADABLE_RULE,
        category=Category.IMAGE_UNREADABLE,
        severity=Severity.WARNING,
        field=image_field(index),
        start=0,
        end=0,
        text="",
        message=f"{name}未能识别文字：{reason}。该图中的文案未经检查，请人工核对或换一张较小的图片。",
        listing_id=listing_id,
        image_text="",
    )
