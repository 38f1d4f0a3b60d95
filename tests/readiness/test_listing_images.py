"""Listing pictures end to end: the bundle's images, import (path files), reading on the workers (Celery eager
here), the cache by content hash across scans and shops, findings with boxes in the report, limits and URLs
that must not be fetched.

OCR is slow: the pictures are the session's (tests/scanners/conftest.py), read once; the workers' engine is the
same process-wide engine, which keeps readings by content hash, so these tests add no model runs of their own.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from readiness import selectors
from readiness.imports.bundle import BundleError, parse_bundle
from readiness.imports.writing import bundle_import
from readiness.models import Finding, ImageBlob, ImageReading, ListingImage, Promotion
from readiness.services import imports as import_services
from tests.factories import bundle_dict
from tests.scanners.conftest import Reading, readings  # noqa: F401 (the session's pictures, read once)

pytestmark = pytest.mark.django_db


def _bundle_with_images(images: list[dict[str, Any]], shop_code: str = "acme-tmall") -> dict[str, Any]:
    data = bundle_dict(listings=2)
    data["shop"]["code"] = shop_code
    data["listings"][0]["specs"] = {"净含量": "500g"}
    data["listings"][0]["images"] = images
    return data


def _import(data: dict[str, Any], root: Path | None) -> Any:
    return bundle_import(parsed=parse_bundle(json.dumps(data, ensure_ascii=False)), image_root=root)


def _write_pictures(tmp_path: Path, readings: dict[str, Reading]) -> None:  # noqa: F811
    (tmp_path / "img").mkdir(exist_ok=True)
    for name in ("slogan", "tall", "blank"):
        (tmp_path / "img" / f"{name}.png").write_bytes(readings[name].data)


PICTURES = [
    {"path": "img/slogan.png", "kind": "main"},
    {"path": "img/tall.png", "kind": "detail"},
    {"path": "img/blank.png", "kind": "detail"},
    {"url": "http://169.254.169.254/latest/meta-data/iam.png", "kind": "detail"},
]


@pytest.mark.parametrize(
    ("image", "path", "message"),
    [
        ({"kind": "main"}, "listings[0].images[0]", "图片应给出 url 或 path 之一"),
        ({"url": "https://x/1.jpg", "path": "a.png"}, "listings[0].images[0]", "图片应给出 url 或 path 之一"),
        ({"url": "ftp://x/1.jpg"}, "listings[0].images[0].url", "图片地址应为 http 或 https 网址"),
        ({"path": "../../etc/passwd"}, "listings[0].images[0].path", "图片路径应在导入包所在的文件夹内"),
        ({"path": "/etc/passwd"}, "listings[0].images[0].path", "图片路径应在导入包所在的文件夹内"),
        ({"path": "a.png", "kind": "banner"}, "listings[0].images[0].kind", ""),
        ({"path": 3}, "listings[0].images[0].path", "图片路径应为文字"),
    ],
)
def test_bad_image_entries_are_errors_naming_their_path(image: dict[str, Any], path: str, message: str) -> None:
    data = _bundle_with_images([image])
    with pytest.raises(BundleError) as exc:
        parse_bundle(json.dumps(data))
    assert any(i.path == path and message in i.message for i in exc.value.errors), exc.value.errors


def test_path_pictures_are_stored_at_import_once_and_a_reimport_writes_nothing(
    tmp_path: Path,
    readings: dict[str, Reading],  # noqa: F811
) -> None:
    _write_pictures(tmp_path, readings)
    _import(_bundle_with_images(PICTURES), tmp_path)
    rows = list(ListingImage.objects.order_by("position").values_list("position", "kind", "path", "url", "sha256"))
    assert [r[:2] for r in rows] == [(0, "main"), (1, "detail"), (2, "detail"), (3, "detail")]
    assert all(len(r[4]) == 64 for r in rows[:3]) and rows[3][4] == ""
    assert ImageBlob.objects.count() == 3
    pks = set(ListingImage.objects.values_list("pk", flat=True))
    _import(_bundle_with_images(PICTURES), tmp_path)
    assert set(ListingImage.objects.values_list("pk", flat=True)) == pks  # unchanged: not rewritten


def test_path_pictures_need_the_bundle_folder_and_are_refused_over_the_api(django_user_model: Any) -> None:
    data = _bundle_with_images([{"path": "img/slogan.png"}])
    with pytest.raises(BundleError) as exc:
        _import(data, None)
    assert exc.value.errors[0].path == "listings[0].images[0].path"
    with pytest.raises(BundleError) as exc:
        import_services.import_job_create(raw=json.dumps(data).encode(), user=django_user_model.objects.create())
    assert exc.value.errors[0].path == "listings[0].images[0].path" and "url" in exc.value.errors[0].message
    with pytest.raises(BundleError) as exc:
        _import(_bundle_with_images([{"path": "missing.png"}]), Path("/nonexistent-folder"))
    assert "cannot read" in exc.value.errors[0].message


def test_a_scan_reads_the_pictures_and_reports_their_findings_with_boxes(
    tmp_path: Path,
    readings: dict[str, Reading],  # noqa: F811
    start_scan: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import socket

    connects: list[Any] = []
    monkeypatch.setattr(socket.socket, "connect", lambda *a, **k: connects.append(a))
    _write_pictures(tmp_path, readings)
    summary = _import(_bundle_with_images(PICTURES), tmp_path)
    run = start_scan(summary.promotion)
    assert run.status == "complete"
    rows = list(Finding.objects.filter(run=run, field__startswith="images[").order_by("field", "start"))
    by_text = {(f.field, f.text): f for f in rows}
    main = by_text[("images[0]", "全网最佳")]
    assert main.check_name == "listing_text" and main.rule == "extreme.superlative"
    assert main.evidence["image_text"][main.start : main.end] == "全网最佳"
    assert len(main.evidence["box"]) == 4 and "第1张主图" in main.message and "重做" in main.remediation
    assert by_text[("images[1]", "国家级")].check_name == "listing_text"
    spec = by_text[("images[1]", "1kg")]
    assert spec.check_name == "spec_consistency" and spec.related["field"] == "specs.净含量"
    assert not [f for f in rows if f.field == "images[2]"]  # the picture without text has nothing
    meta = by_text[("images[3]", "")]
    assert meta.rule == "image.unreadable" and "内网" in meta.message
    assert connects == []  # the private address was never connected to
    assert ListingImage.objects.get(position=3).fetch_error

    report = selectors.readiness_report(run=run)
    text_check = next(c for c in report["checks"] if c["check"] == "listing_text")
    boxed = [i for i in text_check["issues"] if i.get("evidence", {}).get("field") == "images[0]"]
    assert boxed and all(len(i["evidence"]["box"]) == 4 for i in boxed)
    spec_check = next(c for c in report["checks"] if c["check"] == "spec_consistency")
    assert any(i["evidence"].get("field") == "images[1]" for i in spec_check["issues"])


def test_a_picture_is_read_once_across_scans_and_shops(
    tmp_path: Path,
    readings: dict[str, Reading],  # noqa: F811
    start_scan: Any,
) -> None:
    from scanners.ocr import engine

    _write_pictures(tmp_path, readings)
    first = _import(_bundle_with_images(PICTURES[:2]), tmp_path)
    start_scan(first.promotion)
    assert ImageReading.objects.count() == 2
    assert selectors.images_to_read(shop=first.shop) == []
    ocr = engine()
    before = ocr.reads
    other = _import(_bundle_with_images(PICTURES[:2], shop_code="other-jd"), tmp_path)
    run = start_scan(other.promotion)
    start_scan(Promotion.objects.get(pk=first.promotion.pk))
    assert ImageReading.objects.count() == 2 and ocr.reads == before  # nothing read again
    assert Finding.objects.filter(run=run, field="images[0]", text="全网最佳").exists()


def test_a_picture_over_the_limits_is_a_finding_not_a_crash(
    tmp_path: Path,
    readings: dict[str, Reading],  # noqa: F811
    start_scan: Any,
    settings: Any,
) -> None:
    settings.IMAGE_MAX_TILES = 2  # the 3000 px tall picture needs 3 bands
    _write_pictures(tmp_path, readings)
    summary = _import(_bundle_with_images([PICTURES[1]]), tmp_path)
    run = start_scan(summary.promotion)
    [f] = Finding.objects.filter(run=run, field="images[0]")
    assert f.rule == "image.unreadable" and "过长" in f.message and f.severity == "warning"
    reading = ImageReading.objects.get()
    assert reading.error_code == "too_many_tiles" and reading.text is None


def test_bundle_images_are_replaced_when_they_change_and_uploads_are_kept(
    tmp_path: Path,
    readings: dict[str, Reading],  # noqa: F811
) -> None:
    from readiness.models import Listing
    from readiness.services.images import listing_image_upload

    _write_pictures(tmp_path, readings)
    summary = _import(_bundle_with_images(PICTURES[:2]), tmp_path)
    listing = Listing.objects.get(shop=summary.shop, listing_id="L100")
    upload = listing_image_upload(listing=listing, data=readings["blank"].data, kind="sku")
    changed = copy.deepcopy(PICTURES[:1])
    _import(_bundle_with_images(changed), tmp_path)
    assert list(ListingImage.objects.order_by("source", "position").values_list("source", "path")) == [
        ("bundle", "img/slogan.png"),
        ("upload", ""),
    ]
    assert ListingImage.objects.filter(pk=upload.pk).exists()
    pictures = selectors.listing_pictures(listing_pks=[listing.pk])["L100"]
    assert [(p["index"], p["kind"]) for p in pictures] == [(0, "main"), (1, "sku")]


def test_the_api_lists_picture_findings_with_their_box(
    tmp_path: Path,
    readings: dict[str, Reading],  # noqa: F811
    start_scan: Any,
) -> None:
    from rest_framework.test import APIClient

    from readiness.api.tokens import api_token_issue

    _write_pictures(tmp_path, readings)
    summary = _import(_bundle_with_images(PICTURES[:1]), tmp_path)
    start_scan(summary.promotion)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(username='api', shop=summary.shop).key}")
    response = client.get(f"/api/v1/shops/{summary.shop.code}/promotions/{summary.promotion.code}/findings")
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    boxed = [r for r in rows if r["field"] == "images[0]"]
    assert {r["text"] for r in boxed} == {"全网最佳", "第一品牌"}
    for r in boxed:
        assert len(r["evidence"]["box"]) == 4
        assert r["evidence"]["image_text"][r["start"] : r["end"]] == r["text"]


def test_a_change_of_pictures_alone_bumps_the_catalogue_version() -> None:
    """A scan that ran while a listing's pictures changed must not be recorded as complete (issue 15's catalogue
    version): the pictures are written by COPY, which the import's write watch does not see, so they count."""
    from readiness.models import Shop

    data = _bundle_with_images([{"url": "https://img.example.com/a.png", "kind": "main"}])
    _import(data, None)
    version = Shop.objects.get(code="acme-tmall").catalogue_version
    _import(data, None)  # the same bundle again: nothing changed
    assert Shop.objects.get(code="acme-tmall").catalogue_version == version
    data["listings"][1]["images"] = [{"url": "https://img.example.com/b.png", "kind": "detail"}]
    _import(data, None)
    assert Shop.objects.get(code="acme-tmall").catalogue_version == version + 1
    assert list(ListingImage.objects.order_by("url").values_list("url", flat=True)) == [
        "https://img.example.com/a.png",
        "https://img.example.com/b.png",
    ]
