"""Write ``scanners/lexicon/readings.toml``: the toneless reading of every GB2312 character, from pypinyin.

    python -m scanners._readings        # regenerate (needs pypinyin, a development dependency)

The scanners compare readings to find sound-alike spellings of a term (醉佳 for 最佳, 养旰 for 养肝; see
``scanners.terms.homophone_keys``). pypinyin's dictionary takes about a second to import, too long for every
scanning process, so its readings of the 6,763 GB2312 characters are written out once, grouped by reading;
``tests/scanners/test_lexicon.py`` checks that the file still agrees with pypinyin. A character with several
readings is filed under its first (most common) one.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

from scanners.normalize import LEXICON_DIR

READINGS_FILE = LEXICON_DIR / "readings.toml"


def readings_from_pypinyin() -> dict[str, str]:
    """``{toneless reading: the GB2312 characters read so, in code point order}``."""
    from pypinyin.pinyin_dict import pinyin_dict

    by: dict[str, list[str]] = {}
    for code in range(0x4E00, 0xA000):
        value = pinyin_dict.get(code)
        if not value:
            continue
        ch = chr(code)
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            continue
        first = value.split(",")[0]
        bare = "".join(c for c in unicodedata.normalize("NFKD", first) if c.isascii())
        by.setdefault(bare, []).append(ch)
    return {k: "".join(v) for k, v in sorted(by.items())}


def render(readings: dict[str, str]) -> str:
    lines = [
        "# Toneless readings of the GB2312 characters, generated from pypinyin by `python -m scanners._readings`",
        "# (do not edit by hand; tests/scanners/test_lexicon.py checks it against pypinyin).",
        "[readings]",
    ]
    lines += [f'{k} = "{v}"' for k, v in readings.items()]
    return "\n".join(lines) + "\n"


def main(path: Path = READINGS_FILE) -> int:
    path.write_text(render(readings_from_pypinyin()), encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
