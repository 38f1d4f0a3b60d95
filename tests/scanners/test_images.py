"""Image text without a model: tiles, merging lines back, OCR normalisation, findings with boxes."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scanners.findings import Category, Severity
from scanners.images import (
    ImageText,
    even_char_boxes,
    make_line,
    merge_tiles,
    ocr_normalize,
    reading_order,
    scan_image,
    tile_spans,
    unreadable_finding,
)
from scanners.listing import scan_listing


@given(
    height=st.integers(min_value=1, max_value=30000),
    tile=st.integers(min_value=200, max_value=2000),
    overlap=st.integers(min_value=10, max_value=190),
)
def test_tiles_cover_the_image_and_any_short_line_is_whole_in_one(height: int, tile: int, overlap: int) -> None:
    spans = tile_spans(height, tile=tile, overlap=overlap)
    assert spans[0][0] == 0 and spans[-1][1] == height
    assert all(0 <= y0 < y1 <= height and y1 - y0 <= tile for y0, y1 in spans)
    for (_, a1), (b0, _) in itertools.pairwise(spans):
        assert a1 - b0 >= overlap  # neighbours share at least the overlap
    # every line no taller than the overlap lies whole inside some band
    for top in range(0, max(0, height - overlap + 1), max(1, height // 50)):
        assert any(y0 <= top and top + overlap <= y1 for y0, y1 in spans)


def test_tiles_refuse_an_overlap_as_tall_as_the_tile() -> None:
    with pytest.raises(ValueError):
        tile_spans(5000, tile=200, overlap=200)


def test_a_line_across_a_cut_is_kept_once_in_original_pixels() -> None:
    # The line 巅峰之作 spans y 1260..1300 of the image; the first band (0..1280) sees its top part, cut; the
    # second band (1024..2304) sees it whole at y 236..276.
    part = make_line("巅峰之", (40, 1262, 200, 1280), 0.7, cut=True)
    whole = make_line("巅峰之作", (40, 236, 240, 276), 0.99)
    other = make_line("净含量500g", (40, 100, 300, 140), 0.99)
    merged = merge_tiles([(0, [other, part]), (1024, [whole])])
    assert [(ln.text, ln.box) for ln in merged] == [
        ("净含量500g", (40, 100, 300, 140)),
        ("巅峰之作", (40, 1260, 240, 1300)),
    ]
    assert merged[1].chars[0][1] == 1260  # character boxes moved with the line


def test_a_line_read_whole_in_both_bands_is_kept_once() -> None:
    a = make_line("史上最低价", (40, 1100, 240, 1140), 0.95)
    b = make_line("史上最低价", (40, 76, 240, 116), 0.99)
    merged = merge_tiles([(0, [a]), (1024, [b])])
    assert len(merged) == 1 and merged[0].score == 0.99


def test_reading_order_is_rows_top_to_bottom_then_left_to_right() -> None:
    right = make_line("右", (400, 102, 440, 140), 1.0)
    left = make_line("左", (40, 100, 80, 138), 1.0)
    below = make_line("下", (40, 200, 80, 240), 1.0)
    assert [ln.text for ln in reading_order([below, right, left])] == ["左", "右", "下"]


def test_even_char_boxes_give_cjk_twice_the_width_of_latin() -> None:
    boxes = even_char_boxes("1kg装", (0, 0, 100, 20))
    widths = [b[2] - b[0] for b in boxes]
    assert widths == [20, 20, 20, 40]
    assert boxes[0][0] == 0 and boxes[-1][2] == 100


def test_char_boxes_that_do_not_match_the_text_are_replaced_by_even_ones() -> None:
    line = make_line("最佳", (0, 0, 100, 50), 1.0, chars=[(0, 0, 100, 50)])
    assert line.chars == ((0, 0, 50, 50), (50, 0, 100, 50))


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("净含量5O0g", "净含量500g"),
        ("1l0ml", "110ml"),
        ("容量2OO0mAh", "容量2000mAh"),
        ("5Oml", "50ml"),
        ("SOLO品牌", "SOLO品牌"),  # no digits: words are never touched
        ("iPhone 15 Pro", "iPhone 15 Pro"),
        ("最佳", "最佳"),
    ],
)
def test_ocr_normalize_fixes_letters_read_for_digits_only_inside_numbers(raw: str, normal: str) -> None:
    assert ocr_normalize(raw) == normal
    assert len(ocr_normalize(raw)) == len(raw)


def _image(*lines: tuple[str, tuple[int, int, int, int]]) -> ImageText:
    return ImageText(lines=tuple(make_line(t, b, 0.99) for t, b in lines), width=750, height=1000)


def test_image_findings_match_the_text_ones_plus_field_box_and_text() -> None:
    listing = {"id": "L1", "category": "food", "title": "全网最佳的绿茶"}
    image = _image(("新品上市", (40, 40, 200, 80)), ("全网最佳的绿茶", (40, 200, 320, 240)))
    found = scan_image(listing, 2, image, kind="detail")
    title = [f for f in scan_listing(listing) if f.field == "title"]
    assert len(found) == len(title) == 1
    f, t = found[0], title[0]
    assert (f.rule, f.category, f.severity, f.citation, f.suggestion) == (
        t.rule,
        t.category,
        t.severity,
        t.citation,
        t.suggestion,
    )
    assert f.field == "images[2]" and f.listing_id == "L1"
    assert f.image_text == "新品上市\n全网最佳的绿茶"
    assert f.image_text[f.start : f.end] == f.text == "全网最佳"
    assert f.box == (40, 200, 200, 240)  # four of the line's seven characters
    assert "第3张详情图" in f.message
    row = f.to_dict()
    assert row["box"] == [40, 200, 200, 240] and row["image_text"] == f.image_text


def test_quantities_in_an_image_are_compared_with_the_spec_table() -> None:
    listing = {"id": "L1", "category": "food", "specs": {"净含量": "500g"}}
    image = _image(("产品净含量：1kg", (40, 40, 360, 80)))
    [f] = scan_image(listing, 0, image, kind="detail")
    assert f.category == Category.SPEC_MISMATCH and f.text == "1kg"
    assert f.related is not None and f.related.field == "specs.净含量"
    assert "第1张详情图写 1kg" in f.message and "详情描述" not in f.message
    assert f.box is not None and f.box[0] > 200  # the box is around 1kg, at the line's right end


def test_brand_names_from_the_spec_table_are_allowed_in_images_too() -> None:
    listing = {"id": "L1", "category": "food", "specs": {"品牌": "最生活"}}
    assert scan_image(listing, 0, _image(("最生活毛巾", (0, 0, 200, 40)))) == []


def test_an_image_without_text_has_no_findings() -> None:
    assert scan_image({"id": "L1"}, 0, ImageText(lines=(), width=10, height=10)) == []


def test_image_text_round_trips_through_json() -> None:
    image = _image(("全网最佳", (40, 200, 200, 240)), ("5O0g", (40, 300, 120, 340)))
    again = ImageText.from_dict(image.to_dict())
    assert again == image and again.text == "全网最佳\n500g"


def test_the_unreadable_finding_says_which_picture_and_why() -> None:
    f = unreadable_finding("L1", 0, "main", "图片 800×90000 像素过长")
    assert f.field == "images[0]" and f.severity == Severity.WARNING
    assert f.category == Category.IMAGE_UNREADABLE and "第1张主图" in f.message and "过长" in f.message
    assert f.to_dict()["image_text"] == "" and f.to_dict()["box"] is None


@pytest.mark.parametrize("text", ["3D打印", "10oz装", "iPhone15 Pro", "Model 3 Long", "l0g0设计"])
def test_ocr_normalize_leaves_words_alone(text: str) -> None:
    assert ocr_normalize(text) == text


@given(st.text(alphabet="0123456789OolI|gmkLAh最佳 净含量", max_size=30))
def test_ocr_normalize_keeps_every_offset(text: str) -> None:
    assert len(ocr_normalize(text)) == len(text)
