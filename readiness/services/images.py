"""Writes of listing pictures: store their bytes, fetch their URLs and read their text with OCR (on the workers).

OCR is CPU-heavy (about 1.5 s for a 750×400 banner, 10-20 s for a 750×10000 detail page on one core): it runs
only in Celery tasks (:func:`images_read`, batches of ``IMAGE_READ_BATCH`` pictures, before a run's scan
chunks), never in a web request. What a picture says is stored by the SHA-256 of its bytes
(:class:`~readiness.models.ImageReading`), shared by every listing, scan and shop: an unchanged picture is never
read twice. A URL is fetched once (``ListingImage.sha256`` keeps what it held; a new URL in a later bundle is a
new row) under the guards of :mod:`readiness.fetching`.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

from readiness import fetching
from readiness.models import ImageBlob, ImageReading, ImageSource, Listing, ListingImage

if TYPE_CHECKING:  # scanners.ocr loads onnxruntime: imported where a picture is read, not at start-up
    from scanners.ocr import OcrLimits

logger = logging.getLogger(__name__)

ENGINE = "rapidocr-onnxruntime 1.4.4"


def ocr_limits() -> OcrLimits:
    """The per-picture limits of the settings (bytes, pixels, bands)."""
    from scanners.ocr import OcrLimits

    return OcrLimits(
        max_bytes=settings.IMAGE_MAX_BYTES, max_pixels=settings.IMAGE_MAX_PIXELS, max_tiles=settings.IMAGE_MAX_TILES
    )


def image_blob_store(*, data: bytes) -> str:
    """Store a picture's bytes once by content hash; returns the hash."""
    digest = hashlib.sha256(data).hexdigest()
    if not ImageBlob.objects.filter(sha256=digest).exists():
        ImageBlob.objects.bulk_create([ImageBlob(sha256=digest, data=data, size=len(data))], ignore_conflicts=True)
    return digest


def images_read(*, image_pks: Sequence[int]) -> int:
    """Fetch (URLs not fetched yet) and read (contents not read yet) these pictures; returns how many were read.

    Every failure is stored as the picture's reason (``fetch_error`` or an ``ImageReading`` with ``error``), so a
    batch never fails on a bad picture and the scan after it always runs.
    """
    from scanners.ocr import ImageRejected, engine

    images = list(ListingImage.objects.filter(pk__in=list(image_pks)).order_by("pk"))
    read = 0
    for image in images:
        data: bytes | None = None
        if not image.sha256 and image.url:
            try:
                fetched = fetching.fetch(
                    image.url, max_bytes=settings.IMAGE_MAX_BYTES, timeout=settings.IMAGE_FETCH_TIMEOUT
                )
            except fetching.FetchError as exc:
                image.fetch_error = exc.reason[:300]
                image.save(update_fields=["fetch_error"])
                continue
            data = fetched.data
            image.sha256 = image_blob_store(data=data)
            image.fetch_error = ""
            image.save(update_fields=["sha256", "fetch_error"])
        if not image.sha256 or ImageReading.objects.filter(sha256=image.sha256).exists():
            continue
        if data is None:
            stored = ImageBlob.objects.filter(sha256=image.sha256).values_list("data", flat=True).first()
            data = bytes(stored) if stored is not None else None
        if data is None:
            continue  # the bytes are gone (cannot happen while blobs are never deleted); reported as unread
        started = time.perf_counter()
        reading = ImageReading(sha256=image.sha256, engine=ENGINE)
        try:
            reading.text = engine(threads=settings.OCR_THREADS or None, limits=ocr_limits()).read(data).to_dict()
        except ImageRejected as exc:
            reading.error_code, reading.error = exc.code, exc.reason[:300]
        except Exception as exc:  # a picture the decoder or model chokes on must not stop the scan
            logger.exception("OCR failed on image %s", image.sha256)
            reading.error_code, reading.error = "ocr_failed", f"文字识别失败（{type(exc).__name__}）"
        reading.seconds = time.perf_counter() - started
        ImageReading.objects.bulk_create([reading], ignore_conflicts=True)
        read += 1
    return read


@transaction.atomic
def listing_image_upload(*, listing: Listing, data: bytes, kind: str) -> ListingImage:
    """Add an uploaded picture to a listing (its text is read on the workers: ``tasks.read_listing_images``)."""
    digest = image_blob_store(data=data)
    last = ListingImage.objects.filter(listing=listing, source=ImageSource.UPLOAD).order_by("-position").first()
    image = ListingImage(
        listing=listing,
        source=ImageSource.UPLOAD,
        position=(last.position + 1) if last else 0,
        kind=kind,
        sha256=digest,
    )
    image.full_clean()
    image.save()
    from readiness import tasks  # lazy: tasks call services, services enqueue tasks

    transaction.on_commit(lambda: tasks.read_listing_images.delay(listing.pk))
    return image
