"""Roles on the web pages, as a table: every web write × every role, like the API's table
(tests/readiness/api/test_permissions.py), and the pages hide what a role cannot use.

Expected, from the issue: operations managers may do everything; listing editors may edit listing text and waive
or lift waivers; API clients may import (upload a bundle or a spreadsheet, which also sets the shop's column
mapping) and read. A re-scan from the dashboard is for operations managers. A role that may not do something
gets 403 and nothing changes; the API refuses the same actions (one capability table for both).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from readiness.capabilities import ROLE_CAPABILITIES, Capability
from readiness.models import ImportJob, ImportMapping, ListingImage, ListingRevision, Role, ShopMembership, Waiver
from readiness.services.listings import text_digest
from tests.factories import UserFactory
from tests.readiness.web.conftest import ShopSetup, planted_bundle

pytestmark = pytest.mark.django_db

OPS, EDITOR, CLIENT = Role.OPERATIONS_MANAGER, Role.LISTING_EDITOR, Role.API_CLIENT
ROLES = (OPS, EDITOR, CLIENT)


def _csv() -> SimpleUploadedFile:
    return SimpleUploadedFile("catalogue.csv", "商品ID,标题\nL100,明前龙井 新款\n".encode(), "text/csv")


def _picture() -> SimpleUploadedFile:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buf, format="PNG")
    return SimpleUploadedFile("picture.png", buf.getvalue(), "image/png")


def _bundle(setup: ShopSetup) -> SimpleUploadedFile:
    raw = json.dumps(planted_bundle(), ensure_ascii=False).encode()
    return SimpleUploadedFile("bundle.json", raw, "application/json")


@dataclass(frozen=True)
class Write:
    name: str
    suffix: Callable[[ShopSetup], str]
    data: Callable[[ShopSetup], dict[str, Any]]
    allowed: frozenset[str]
    # What the write changes, read before and after: unchanged after a 403.
    state: Callable[[ShopSetup], Any]

    def __str__(self) -> str:
        return self.name


def _waived(setup: ShopSetup) -> Waiver:
    finding = setup.run.findings.filter(field="title", listing__listing_id="L100").order_by("pk").last()
    assert finding is not None
    return Waiver.objects.create(
        shop=setup.shop, listing_id=finding.listing_id, fingerprint=finding.fingerprint, rule=finding.rule,
        reason="先放着", created_by=setup.user,
    )  # fmt: skip


def _apply_finding(setup: ShopSetup) -> int:
    finding = setup.run.findings.filter(field="title", listing__listing_id="L100").exclude(suggestion="").first()
    assert finding is not None
    return finding.pk


def _replace_change(setup: ShopSetup) -> str:
    listing = setup.shop.listings.get(listing_id="L100")
    return f"{listing.pk}:{text_digest(listing.title)}:title"


WRITES = [
    Write("rescan", lambda s: "scan", lambda s: {}, frozenset({OPS}), lambda s: s.promotion.scan_runs.count()),
    Write(
        "listing_edit",
        lambda s: "listings/L100/edit",
        lambda s: {"field": "title", "value": "明前龙井 250g 新款"},
        frozenset({OPS, EDITOR}),
        lambda s: (s.shop.listings.get(listing_id="L100").title, ListingRevision.objects.count()),
    ),
    Write(
        "listing_apply",
        lambda s: "listings/L100/apply",
        lambda s: {"finding": _apply_finding(s), "choice": 0},
        frozenset({OPS, EDITOR}),
        lambda s: (s.shop.listings.get(listing_id="L100").title, ListingRevision.objects.count()),
    ),
    Write(
        "replace_apply",
        lambda s: "replace/apply",
        lambda s: {"find": "顶级", "replace": "精选", "change": _replace_change(s)},
        frozenset({OPS, EDITOR}),
        lambda s: (s.shop.listings.get(listing_id="L100").title, ListingRevision.objects.count()),
    ),
    Write(
        "listing_picture_upload",
        lambda s: "listings/L100/pictures",
        lambda s: {"image": _picture(), "kind": "detail"},
        frozenset({OPS, EDITOR}),
        lambda s: ListingImage.objects.filter(source="upload").count(),
    ),
    Write(
        "finding_waive",
        lambda s: f"findings/{s.run.findings.filter(listing__listing_id='L100').first().pk}/waive",
        lambda s: {"reason": "活动页另有说明"},
        frozenset({OPS, EDITOR}),
        lambda s: Waiver.objects.filter(reason="活动页另有说明").count(),
    ),
    Write(
        "waiver_lift",
        lambda s: f"waivers/{_waived(s).pk}/lift",
        lambda s: {},
        frozenset({OPS, EDITOR}),
        lambda s: Waiver.objects.filter(lifted_at__isnull=False).count(),
    ),
    Write(
        "import_bundle",
        lambda s: "imports/",
        lambda s: {"file": _bundle(s)},
        frozenset({OPS, CLIENT}),
        lambda s: ImportJob.objects.count(),
    ),
    Write(
        "import_spreadsheet",
        lambda s: "imports/",
        lambda s: {"file": _csv(), "map-0": "listing_id", "map-1": "title"},
        frozenset({OPS, CLIENT}),
        lambda s: (ImportJob.objects.count(), list(ImportMapping.objects.values_list("mapping", flat=True))),
    ),
    Write(
        "import_columns",
        lambda s: "imports/columns",
        lambda s: {"file": _csv()},
        frozenset({OPS, CLIENT}),
        lambda s: 0,
    ),
]


def _as(setup: ShopSetup, role: str) -> Client:
    user = UserFactory(username=f"user-{role}")
    ShopMembership.objects.create(user=user, shop=setup.shop, role=role)
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("write", WRITES, ids=str)
def test_every_web_write_checks_the_role(setup: ShopSetup, write: Write, role: str) -> None:
    client = _as(setup, role)
    suffix, data = write.suffix(setup), write.data(setup)
    before = write.state(setup)
    response = client.post(setup.url(suffix), data)
    if role in write.allowed:
        assert response.status_code in (200, 302), (write.name, role, response.status_code)
        assert write.name == "import_columns" or write.state(setup) != before, (write.name, role)
    else:
        assert response.status_code == 403, (write.name, role, response.status_code)
        assert write.state(setup) == before, (write.name, role)


def test_the_table_is_the_apis_table() -> None:
    """One definition for both: the web's expectations above are what the API's capability table says."""
    need = {
        "rescan": Capability.SCAN,
        "listing_edit": Capability.EDIT_LISTING,
        "listing_apply": Capability.EDIT_LISTING,
        "replace_apply": Capability.EDIT_LISTING,
        "listing_picture_upload": Capability.EDIT_LISTING,
        "finding_waive": Capability.WAIVE,
        "waiver_lift": Capability.WAIVE,
        "import_bundle": Capability.IMPORT,
        "import_spreadsheet": Capability.IMPORT,
        "import_columns": Capability.IMPORT,
    }
    assert sorted(need) == sorted(w.name for w in WRITES)
    for write in WRITES:
        assert write.allowed == {role for role in ROLES if need[write.name] in ROLE_CAPABILITIES[role]}, write.name
    from readiness.api import permissions

    assert permissions.ROLE_CAPABILITIES is ROLE_CAPABILITIES


@pytest.mark.parametrize("role", ROLES)
def test_pages_hide_what_the_role_cannot_use(setup: ShopSetup, role: str) -> None:
    client = _as(setup, role)
    waiver = _waived(setup)
    dashboard = client.get(setup.url()).content.decode()
    listing = client.get(setup.url("listings/L100/")).content.decode()
    imports = client.get(setup.url("imports/")).content.decode()
    shows = {
        "rescan": f'action="{setup.url("scan")}"' in dashboard,
        "edit": 'action="' + setup.url("listings/L100/edit") + '"' in listing,
        "apply": 'action="' + setup.url("listings/L100/apply") + '"' in listing,
        "picture": 'action="' + setup.url("listings/L100/pictures") + '"' in listing,
        "waive": "/waive" in listing or "/waive" in dashboard,
        "lift": setup.url(f"waivers/{waiver.pk}/lift") in listing,
        "upload": 'enctype="multipart/form-data"' in imports,
    }
    expected = {
        OPS: dict.fromkeys(shows, True),
        EDITOR: {
            "rescan": False,
            "edit": True,
            "apply": True,
            "picture": True,
            "waive": True,
            "lift": True,
            "upload": False,
        },
        CLIENT: {
            "rescan": False,
            "edit": False,
            "apply": False,
            "picture": False,
            "waive": False,
            "lift": False,
            "upload": True,
        },
    }[role]
    assert shows == expected, role


def test_the_api_refuses_what_the_pages_refuse(setup: ShopSetup) -> None:
    """The same role, the same action, both ways: 403 on the page and 403 from the API."""
    from rest_framework.test import APIClient

    user = UserFactory(username="client-both")
    ShopMembership.objects.create(user=user, shop=setup.shop, role=CLIENT)
    web = Client()
    web.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    assert web.post(setup.url("listings/L100/edit"), {"field": "title", "value": "x"}).status_code == 403
    assert api.patch(f"/api/v1/shops/{setup.shop.code}/listings/L100", {"title": "x"}, format="json").status_code == 403
    finding = setup.run.findings.first()
    assert web.post(setup.url(f"findings/{finding.pk}/waive"), {"reason": "x"}).status_code == 403
    assert api.post(f"/api/v1/findings/{finding.pk}/waiver", {"reason": "x"}, format="json").status_code == 403
