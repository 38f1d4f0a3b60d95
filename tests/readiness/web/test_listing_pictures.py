"""The listing page's pictures: shown with the offending words boxed in the highlight colours, the finding
list linking to the box, uploads read on the workers (eager here) and pictures served only to the shop."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from readiness.imports.bundle import parse_bundle
from readiness.imports.writing import bundle_import
from readiness.models import ListingImage, Role, ShopMembership
from tests.factories import UserFactory
from tests.readiness.web.conftest import planted_bundle
from tests.scanners.conftest import Reading, readings  # noqa: F401 (the session's pictures, read once)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(tmp_path: Path, readings: dict[str, Reading], start_scan: Any, client: Client) -> Any:  # noqa: F811
    (tmp_path / "slogan.png").write_bytes(readings["slogan"].data)
    data = planted_bundle()
    data["listings"][0]["images"] = [
        {"path": "slogan.png", "kind": "main"},
        {"url": "http://10.0.0.8/detail.png", "kind": "detail"},
    ]
    promotion = bundle_import(parsed=parse_bundle(json.dumps(data, ensure_ascii=False)), image_root=tmp_path).promotion
    start_scan(promotion)
    user = UserFactory(username="editor")
    ShopMembership.objects.create(user=user, shop=promotion.shop, role=Role.OPERATIONS_MANAGER)
    client.force_login(user)
    return promotion


def _page(client: Client, promotion: Any, listing: str = "L100") -> str:
    response = client.get(f"/shops/{promotion.shop.code}/promotions/{promotion.code}/listings/{listing}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_boxes_the_words_in_the_picture_and_the_finding_links_to_the_box(client: Client, shop: Any) -> None:
    html = _page(client, shop)
    boxes = re.findall(r'<a href="#finding-(\d+)" id="box-(\d+)" class="picture-box sev-(\w+)" style="([^"]+)"', html)
    assert len(boxes) == 2 and all(a == b and sev == "error" for a, b, sev, _ in boxes)
    for _, pk, _, style in boxes:
        assert re.fullmatch(r"left:[\d.]+%;top:[\d.]+%;width:[\d.]+%;height:[\d.]+%", style)
        assert f'href="#box-{pk}"' in html  # the finding list links to its box
    assert "图片中的问题" in html and "第 1 张图片「全网最佳」" in re.sub(r"<[^>]+>", "", html)
    assert "内网" in html  # the URL picture that was not fetched says why
    src = re.search(r'<img src="([^"]+)" alt="第 1 张图片"', html)
    assert src is not None
    picture = client.get(src.group(1))
    assert picture.status_code == 200 and picture["Content-Type"] == "image/png"
    assert picture["X-Content-Type-Options"] == "nosniff" and "sandbox" in picture["Content-Security-Policy"]


def test_another_shops_pictures_are_not_served(client: Client, shop: Any) -> None:
    image = ListingImage.objects.exclude(sha256="").get()
    stranger = Client()
    stranger.force_login(UserFactory(username="stranger"))
    url = f"/shops/{shop.shop.code}/promotions/{shop.code}/pictures/{image.pk}"
    assert stranger.get(url).status_code == 404
    assert client.get(url).status_code == 200


def test_an_uploaded_picture_is_read_and_scanned(
    client: Client,
    shop: Any,
    readings: dict[str, Reading],  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    url = f"/shops/{shop.shop.code}/promotions/{shop.code}/listings/L101/pictures"
    upload = SimpleUploadedFile("faint.png", readings["faint"].data, content_type="image/png")
    # The reading is queued when the upload commits (a worker runs it; Celery is eager here).
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(url, {"image": upload, "kind": "detail"})
    assert response.status_code == 302 and len(queued) == 1
    assert "全网最低价" not in _page(client, shop, "L101")  # nothing read during the request
    queued[0]()
    image = ListingImage.objects.get(listing__listing_id="L101", source="upload")
    assert image.kind == "detail" and image.sha256
    html = _page(client, shop, "L101")
    assert "第 1 张图片「全网最低价」" in re.sub(r"<[^>]+>", "", html) and 'class="picture-box sev-error"' in html


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "图片"),
        ("x.png", b"not a picture at all", "图片"),
    ],
)
def test_uploads_that_are_not_pictures_are_refused(
    client: Client, shop: Any, name: str, data: bytes, message: str
) -> None:
    url = f"/shops/{shop.shop.code}/promotions/{shop.code}/listings/L101/pictures"
    response = client.post(url, {"image": SimpleUploadedFile(name, data), "kind": "detail"}, follow=True)
    assert response.status_code == 200
    assert not ListingImage.objects.filter(source="upload").exists()
    assert "无法上传" in response.content.decode()


def test_a_tiff_is_refused_even_though_pillow_reads_it(client: Client, shop: Any) -> None:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buf, format="TIFF")
    url = f"/shops/{shop.shop.code}/promotions/{shop.code}/listings/L101/pictures"
    response = client.post(url, {"image": SimpleUploadedFile("x.tif", buf.getvalue()), "kind": "main"}, follow=True)
    assert "只支持" in response.content.decode()
    assert not ListingImage.objects.filter(source="upload").exists()
