"""OCR of listing pictures drawn in the tests: what is read, where, and what it costs."""

from __future__ import annotations

import io
import json
import socket
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from scanners.images import scan_image
from scanners.ocr import ImageRejected, OcrEngine, OcrLimits, engine, model_files, prepare
from tests.scanners import imagegen
from tests.scanners.conftest import Reading

ROOT = Path(__file__).resolve().parents[2]
LISTING = {"id": "L1", "category": "food", "specs": {"净含量": "500g"}}


def _found(reading: Reading, kind: str = "detail") -> dict[str, Any]:
    return {f.text: f for f in scan_image(LISTING, 0, reading.text, kind=kind)}


def _assert_boxed(reading: Reading, words: str, found: dict[str, Any]) -> None:
    drawn = reading.picture.box_of(words)
    box = found[words].box
    assert box is not None and imagegen.iou(box, drawn) >= 0.5, (words, box, drawn)


def test_a_slogan_with_extreme_words_is_read_and_boxed(readings: dict[str, Reading]) -> None:
    r = readings["slogan"]
    assert r.text.text == "全网最佳的绿茶，第一品牌"
    found = _found(r, "main")
    assert {f.rule for f in found.values()} == {"extreme.superlative", "extreme.first"}
    _assert_boxed(r, "全网最佳", found)
    _assert_boxed(r, "第一品牌", found)
    assert "第1张主图" in found["全网最佳"].message


def test_a_clean_slogan_and_a_picture_without_text_have_no_findings(readings: dict[str, Reading]) -> None:
    assert readings["clean"].text.text.replace(" ", "") == "明前龙井清香回甘每一口都是春天"
    assert _found(readings["clean"]) == {}
    assert readings["blank"].text.lines == () and _found(readings["blank"]) == {}


def test_a_tall_detail_picture_is_read_in_bands_and_lines_across_cuts_come_back_once(
    readings: dict[str, Reading],
) -> None:
    r = readings["tall"]
    texts = [ln.text.replace(" ", "") for ln in r.text.lines]
    assert texts == ["产品参数净含量：1kg", "国家级品质治疗失眠", "冲泡方法85度水温", "史上最低价限时抢购"]
    found = _found(r)
    assert {"国家级", "治疗", "史上最低价", "1kg"} <= set(found)
    for words in ("国家级", "治疗", "史上最低价"):
        _assert_boxed(r, words, found)
    assert found["1kg"].related is not None and found["1kg"].related.field == "specs.净含量"
    assert r.text.height == 3000 and r.text.width == 750


def test_turned_and_faint_text_is_read(readings: dict[str, Reading]) -> None:
    turned = _found(readings["rotated"])
    assert {"销量第一", "国家级"} <= set(turned)
    box = turned["国家级"].box
    line = readings["rotated"].picture.lines[0][1]
    assert (
        box is not None
        and line[0] - 5 <= box[0] < box[2] <= line[2] + 5
        and line[1] - 5 <= box[1] < box[3] <= line[3] + 5
    )
    faint = _found(readings["faint"])
    assert "全网最低价" in faint
    _assert_boxed(readings["faint"], "全网最低价", faint)


def test_an_image_read_once_is_not_read_again(readings: dict[str, Reading]) -> None:
    ocr = engine()
    before = ocr.reads
    again = ocr.read(readings["slogan"].data)
    assert again == readings["slogan"].text and ocr.reads == before


def test_the_model_ships_in_the_package_and_reads_with_no_network(
    readings: dict[str, Reading], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert model_files() == (
        "ch_PP-OCRv4_det_infer.onnx",
        "ch_PP-OCRv4_rec_infer.onnx",
        "ch_ppocr_mobile_v2.0_cls_infer.onnx",
    )
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise OSError("network is blocked in this test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    fresh = OcrEngine()  # loads the model files, as a new worker would
    assert fresh.read(readings["slogan"].data).text == "全网最佳的绿茶，第一品牌"
    assert attempts == []


def _png(size: tuple[int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("L", size, 255).save(buf, format="PNG")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "limits", "code"),
    [
        (_png((100, 100)), OcrLimits(max_bytes=100), "too_many_bytes"),
        (_png((2000, 2000)), OcrLimits(max_pixels=1_000_000), "too_many_pixels"),
        (_png((750, 9000)), OcrLimits(max_tiles=4), "too_many_tiles"),
        (b"GIF89a not really", OcrLimits(), "not_an_image"),
        (_png((100, 100))[:60], OcrLimits(), "not_an_image"),
    ],
)
def test_images_over_the_limits_are_refused_before_reading(data: bytes, limits: OcrLimits, code: str) -> None:
    with pytest.raises(ImageRejected) as exc:
        prepare(data, limits)
    assert exc.value.code == code and exc.value.reason


def _png_header(width: int, height: int) -> bytes:
    """A PNG that says it is ``width``×``height`` and holds a few bytes of pixels (a decompression bomb's shape)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


@pytest.mark.parametrize("size", [(6000, 6000), (30000, 30000)])
def test_a_huge_image_in_a_small_file_is_refused_from_its_header(size: tuple[int, int]) -> None:
    data = _png_header(*size)
    assert len(data) < 200
    with pytest.raises(ImageRejected) as exc:
        prepare(data, OcrLimits())
    assert exc.value.code == "too_many_pixels"


def test_wide_images_are_scaled_down_and_tall_ones_cut_into_bands() -> None:
    image, spans, factor = prepare(_png((3200, 800)), OcrLimits(max_width=1600))
    assert image.size == (1600, 400) and factor == 2.0 and spans == [(0, 400)]
    image, spans, factor = prepare(_png((750, 10000)), OcrLimits())
    assert factor == 1.0 and len(spans) == 10 and spans[-1] == (10000 - 1280, 10000)


def test_transparent_pictures_are_read_on_white() -> None:
    buf = io.BytesIO()
    Image.new("RGBA", (50, 20), (0, 0, 0, 0)).save(buf, format="PNG")
    image, _, _ = prepare(buf.getvalue(), OcrLimits())
    assert image.mode == "RGB" and image.getpixel((0, 0)) == (255, 255, 255)


def test_cli_reads_path_images_next_to_the_input(tmp_path: Path, readings: dict[str, Reading]) -> None:
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "main.png").write_bytes(readings["slogan"].data)
    listing = {
        "id": "L1",
        "title": "明前龙井",
        "images": [
            {"path": "img/main.png", "kind": "main"},
            {"path": "../outside.png", "kind": "detail"},
            {"url": "https://example.com/1.jpg", "kind": "detail"},
        ],
    }
    src = tmp_path / "listings.jsonl"
    src.write_text(json.dumps(listing, ensure_ascii=False) + "\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "scanners", "scan", str(src)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    rows = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [(r["field"], r["rule"]) for r in rows] == [
        ("images[0]", "extreme.superlative"),
        ("images[0]", "extreme.first"),
        ("images[1]", "image.unreadable"),
    ]
    first = rows[0]
    assert first["image_text"][first["start"] : first["end"]] == first["text"] == "全网最佳"
    assert len(first["box"]) == 4
    assert "不在输入文件所在的目录内" in rows[2]["message"]
    assert "url are not fetched" in proc.stderr

    skipped = subprocess.run([*cmd, "--no-images"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert skipped.returncode == 0 and skipped.stdout == ""


@pytest.mark.parametrize(
    ("images", "message"),
    [
        ({"path": "a.png"}, "images: expected an array"),
        (["a.png"], "images[0]: expected an object"),
        ([{"kind": "main"}], "images[0]: expected exactly one of url and path"),
        ([{"url": "https://x/1.jpg", "path": "a.png"}], "images[0]: expected exactly one of url and path"),
        ([{"path": 3}], "images[0].path: expected a non-empty string"),
        ([{"path": "a.png", "kind": "banner"}], "images[0].kind: expected one of main, detail, sku"),
    ],
)
def test_cli_names_the_path_of_a_bad_image_entry(tmp_path: Path, images: Any, message: str) -> None:
    from scanners.__main__ import run_scan

    out, err = io.StringIO(), io.StringIO()
    line = json.dumps({"id": "L1", "images": images}) + "\n"
    code = run_scan(io.StringIO(line), out, err, fmt="jsonl", options=None, color=False)
    assert code == 2 and f"line 1: {message}" in err.getvalue()
