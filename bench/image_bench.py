"""Listing-picture benchmark: quality of the image findings on generated pictures, and pictures per second.

    .venv/bin/python bench/image_bench.py                   # 120 pictures for quality, 20 + 4 for speed
    .venv/bin/python bench/image_bench.py --quality 40 --speed 6 --tall 2   # a quick run

Quality: pictures drawn with Pillow and Debian's WenQuanYi Micro Hei (``tests/scanners/imagegen.py``), seeded:
slogans that carry one violation (a term the text scanner flags in the same sentence as plain text), and clean
ones (sentences the text scanner passes, and pictures without text), at several sizes, colours, small
rotations and low contrast. Each is read by OCR (``scanners.ocr``) and scanned (``scanners.images.scan_image``):

- recall: violations found in the picture **with the right box** (a finding on the words the text scanner
  flags in the same sentence as plain text, whose box and the drawn words' box overlap by at least half:
  intersection over union >= 0.5; for a turned line, inside the turned line's box) / violations planted;
- clean rate: clean pictures with no finding / clean pictures.
Misses are listed with what OCR read.

Speed: pictures per second of one process with one onnxruntime thread (what one worker process of a
``--concurrency`` = cores worker gets), for main pictures (750×750) and tall detail pictures (750×6000, five
bands), each picture read once (no cache). A benchmark, not a test: it prints figures and fails on nothing.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scanners.images import scan_image  # noqa: E402
from scanners.listing import scan_listing  # noqa: E402
from scanners.ocr import OcrEngine  # noqa: E402
from tests.scanners import imagegen  # noqa: E402

LISTING = {"id": "B1", "category": "food", "specs": {"净含量": "500g"}}

# (words the text scanner flags, a sentence around them)
VIOLATIONS = [
    ("全网最佳", "全网最佳的高山绿茶"),
    ("国家级", "国家级品质 放心好茶"),
    ("第一品牌", "茶叶第一品牌 值得信赖"),
    ("销量第一", "全店销量第一的口粮茶"),
    ("史上最低价", "史上最低价 限时抢购"),
    ("全网最低价", "全网最低价 买到就是赚到"),
    ("顶级", "顶级明前龙井 春茶上市"),
    ("最好", "最好的茶送给最好的你"),
    ("治疗失眠", "每天一杯 治疗失眠"),
    ("降血压", "常喝此茶 降血压"),
    ("好评返现", "好评返现5元 晒图再送"),
    ("极品", "极品大红袍 岩韵悠长"),
    ("独一无二", "独一无二的高山风味"),
    ("100%", "100%有机认证 安心之选"),
    ("万能", "万能养生茶 一杯多效"),
]
CLEAN = [
    "明前龙井 清香回甘",
    "新茶上市 欢迎选购",
    "产地直发 新鲜到家",
    "一芽一叶 手工采摘",
    "冲泡方法 85度水温",
    "小罐装 方便携带",
    "送礼自饮两相宜",
    "高山云雾 自然生长",
    "茶汤清澈 滋味鲜爽",
    "密封保存 避光防潮",
]


def _flagged(sentence: str) -> list[str]:
    return [f.text for f in scan_listing({**LISTING, "title": sentence}) if f.field == "title"]


def _styled(rng: random.Random, text: str) -> tuple[imagegen.Picture, bool]:
    """A picture of ``text`` in a random style, and whether the line is turned."""
    style = rng.choice(["plain", "plain", "big", "small", "rotated", "faint", "dark"])
    size = (750, 750) if rng.random() < 0.5 else (800, 450)
    if style == "rotated":
        return imagegen.rotated(text, rng.uniform(-8, 8), size=size, font_size=rng.choice([36, 44])), True
    if style == "faint":
        return imagegen.low_contrast(text, size=size), False
    fs = {"big": 56, "small": 30}.get(style, rng.choice([36, 40, 48]))
    y = rng.randrange(40, size[1] - fs - 40)
    fg, bg = ((245, 245, 245), (40, 60, 50)) if style == "dark" else ((20, 20, 20), (255, 255, 255))
    return imagegen.draw_lines([(text, rng.randrange(20, 60), y)], size, font_size=fs, fg=fg, bg=bg), False


def _right_box(pic: imagegen.Picture, turned: bool, words: str, box: tuple[int, int, int, int]) -> bool:
    """Whether a finding's box is on the planted words: IoU >= 0.5 with the drawn words, or for a turned line
    (whose words' box is not measured) inside the turned line's box."""
    if not turned:
        return imagegen.iou(box, pic.box_of(words)) >= 0.5
    line = pic.lines[0][1]
    return line[0] - 6 <= box[0] < box[2] <= line[2] + 6 and line[1] - 6 <= box[1] < box[3] <= line[3] + 6


def quality(engine: OcrEngine, n: int, seed: int) -> None:
    rng = random.Random(seed)
    violations = [(w, s) for w, s in VIOLATIONS if _flagged(s)]
    clean = [s for s in CLEAN if not _flagged(s)]
    left_out = [s for _, s in VIOLATIONS if (_, s) not in violations]
    planted = found = clean_total = clean_ok = 0
    misses: list[str] = []
    started = time.perf_counter()
    for i in range(n):
        kind = i % 5  # 3 of 5 with a violation, 1 clean sentence, 1 without text
        if kind < 3:
            _words, sentence = violations[rng.randrange(len(violations))]
            pic, turned = _styled(rng, sentence)
            text = engine.read(pic.png())
            findings = scan_image(LISTING, 0, text, kind="main")
            # The planted words are what the text scanner flags in the same sentence as plain text (治疗 in
            # 治疗失眠): a finding on them must have their box.
            expected = set(_flagged(sentence))
            ok = any(
                f.box is not None and f.text in expected and _right_box(pic, turned, f.text, f.box) for f in findings
            )
            planted += 1
            found += ok
            if not ok:
                misses.append(
                    f"missed {sorted(expected)!r} ({'turned' if turned else 'level'}) in {sentence!r}: read {text.text!r}, "
                    f"found {[(f.text, f.box) for f in findings]}"
                )
        else:
            if kind == 3:
                pic, _ = _styled(rng, clean[rng.randrange(len(clean))])
            else:
                pic = imagegen.blank()
            text = engine.read(pic.png())
            findings = scan_image(LISTING, 0, text, kind="main")
            clean_total += 1
            clean_ok += not findings
            if findings:
                misses.append(f"false finding {[f.text for f in findings]} in a clean picture read as {text.text!r}")
    elapsed = time.perf_counter() - started
    print(f"quality: {n} pictures ({planted} with a violation, {clean_total} clean) in {elapsed:.0f} s")
    if left_out:
        print(f"  left out (not flagged as plain text either): {left_out}")
    print(f"  recall with the right box: {found}/{planted} = {found / planted:.1%}")
    print(f"  clean rate: {clean_ok}/{clean_total} = {clean_ok / clean_total:.1%}")
    for line in misses:
        print("  " + line)


def speed(n_main: int, n_tall: int, threads: int | None) -> None:
    engine = OcrEngine(threads=threads)
    engine.read(imagegen.slogan("预热").png())  # load and warm the model
    rng = random.Random(7)
    mains = [_styled(rng, rng.choice(CLEAN))[0].png() for _ in range(n_main)]
    talls = [
        imagegen.tall_detail([(rng.choice(CLEAN), y) for y in range(200, 6000, 700)], height=6000).png()
        for _ in range(n_tall)
    ]
    for label, batch in (("main 750×750/800×450", mains), ("tall detail 750×6000", talls)):
        if not batch:
            continue
        started = time.perf_counter()
        cpu = time.process_time()
        for data in batch:
            engine.read(data)
        wall = time.perf_counter() - started
        cpu = time.process_time() - cpu
        print(
            f"speed ({'default threads' if not threads else f'{threads} thread'}): {label}: {len(batch)} pictures "
            f"in {wall:.1f} s = {len(batch) / wall:.2f} pictures/s ({wall / len(batch):.2f} s each, "
            f"CPU {cpu / len(batch):.2f} s each)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", type=int, default=120, help="pictures for the quality measurement")
    parser.add_argument("--speed", type=int, default=20, help="main pictures for the speed measurement")
    parser.add_argument("--tall", type=int, default=4, help="tall detail pictures for the speed measurement")
    parser.add_argument("--threads", type=int, default=1, help="onnxruntime threads (0: its default)")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    if imagegen.font_path() is None:
        sys.exit("no CJK font: install fonts-wqy-microhei (make browser)")
    if args.quality:
        quality(OcrEngine(threads=args.threads or None), args.quality, args.seed)
    if args.speed or args.tall:
        speed(args.speed, args.tall, args.threads or None)


if __name__ == "__main__":
    main()
