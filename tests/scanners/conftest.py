"""Pictures drawn for the OCR tests and what the model read in them, once per test session.

OCR costs about 1.5 s a picture on this machine, so every test that needs a reading takes it from
``readings`` (each picture is read once per session by one engine, which also keeps readings by content
hash) instead of reading again.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from scanners.images import ImageText
from tests.scanners import imagegen


@dataclass(frozen=True)
class Reading:
    picture: imagegen.Picture
    data: bytes
    text: ImageText


# The tall picture's bands with the engine's default limits are (0, 1280), (1024, 2304), (1720, 3000):
# 国家级 straddles the first cut (y 1262..1302) and 史上最低价 the second (y 2290..2330).
TALL_LINES = [
    ("产品参数 净含量：1kg", 300),
    ("国家级品质 治疗失眠", 1262),
    ("冲泡方法 85度水温", 1800),
    ("史上最低价 限时抢购", 2290),
]


def pictures() -> dict[str, imagegen.Picture]:
    return {
        "slogan": imagegen.slogan("全网最佳的绿茶，第一品牌"),
        "clean": imagegen.slogan("明前龙井 清香回甘 每一口都是春天"),
        "tall": imagegen.tall_detail(TALL_LINES, height=3000),
        "rotated": imagegen.rotated("销量第一的国家级好茶", 10),
        "faint": imagegen.low_contrast("全网最低价 买到就是赚到"),
        "blank": imagegen.blank(),
    }


@pytest.fixture(scope="session")
def readings() -> dict[str, Reading]:
    if imagegen.font_path() is None:
        pytest.skip("no CJK font to draw test pictures: install fonts-wqy-microhei (make browser)")
    from scanners.ocr import engine

    ocr = engine()
    out: dict[str, Reading] = {}
    for name, pic in pictures().items():
        data = pic.png()
        out[name] = Reading(pic, data, ocr.read(data))
    return out
