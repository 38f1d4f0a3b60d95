"""The CLI's listing pictures: ``images[].path`` files next to the input, read and scanned.

``path`` is relative to the folder of the JSON Lines file (the working folder for standard input) and must
stay inside it. ``url`` images are for the workers, which fetch them with their guards; the CLI never goes
to the network and says so once on standard error. An image read once is never read again in the same run
(the engine keeps the text by the SHA-256 of its bytes), so a picture shared by listings is read once.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from scanners.findings import Finding
from scanners.images import ImageText, scan_image, unreadable_finding
from scanners.ocr import ImageRejected, OcrLimits, engine
from scanners.options import ScanOptions

IMAGE_KINDS = ("main", "detail", "sku")


def check_images(value: Any) -> None:
    """Validate a listing's ``images`` (interfaces.md §2); raises ValueError naming the JSON path."""
    if value is None:
        return
    if not isinstance(value, list):
        raise ValueError(f"images: expected an array, got {type(value).__name__}")
    for i, item in enumerate(value):
        where = f"images[{i}]"
        if not isinstance(item, dict):
            raise ValueError(f"{where}: expected an object, got {type(item).__name__}")
        url, path = item.get("url"), item.get("path")
        if (url is None) == (path is None):
            raise ValueError(f"{where}: expected exactly one of url and path")
        for name, v in (("url", url), ("path", path)):
            if v is not None and (not isinstance(v, str) or not v):
                raise ValueError(f"{where}.{name}: expected a non-empty string")
        kind = item.get("kind")
        if kind is not None and kind not in IMAGE_KINDS:
            raise ValueError(f"{where}.kind: expected one of {', '.join(IMAGE_KINDS)}, got {kind!r}")


class ImageFiles:
    """Reads and scans the ``path`` images of listings, relative to ``base``."""

    def __init__(self, base: Path, *, limits: OcrLimits | None = None, warn: IO[str] | None = None) -> None:
        self.base = base.resolve()
        self.limits = limits or OcrLimits()
        self.warn = warn
        self._warned_url = False

    def findings(self, listing: Mapping[str, Any], options: ScanOptions | None) -> list[Finding]:
        images = listing.get("images")
        if not isinstance(images, list):
            return []
        lid = listing.get("id")
        listing_id = str(lid) if lid is not None else None
        out: list[Finding] = []
        for i, item in enumerate(images):
            if not isinstance(item, Mapping):
                continue
            kind = item.get("kind") if isinstance(item.get("kind"), str) else None
            path = item.get("path")
            if not isinstance(path, str):
                if not self._warned_url and self.warn is not None:
                    self.warn.write("warning: images with a url are not fetched by the CLI (the workers fetch them)\n")
                    self._warned_url = True
                continue
            text = self._read(path)
            if isinstance(text, ImageRejected):
                out.append(unreadable_finding(listing_id, i, kind, text.reason))
            else:
                out.extend(scan_image(listing, i, text, kind=kind, options=options))
        return out

    def _read(self, path: str) -> ImageText | ImageRejected:
        file = (self.base / path).resolve()
        if not file.is_relative_to(self.base):
            return ImageRejected("outside", f"路径 {path} 不在输入文件所在的目录内")
        try:
            size = file.stat().st_size
            if size > self.limits.max_bytes:
                return ImageRejected(
                    "too_many_bytes",
                    f"图片文件 {size / 1048576:.1f} MB，超过上限 {self.limits.max_bytes / 1048576:.0f} MB",
                )
            data = file.read_bytes()
        except OSError as exc:
            return ImageRejected("unreadable", f"无法读取 {path}（{exc.strerror}）")
        try:
            return engine(limits=self.limits).read(data)  # kept by content hash: a shared picture is read once
        except ImageRejected as exc:
            return exc
