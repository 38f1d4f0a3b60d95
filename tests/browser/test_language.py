"""Chinese first, everywhere a person looks (issue 17): a real browser walks the main pages of the demo shop and
reads every text a person sees (visible text, and the title, placeholder, aria-label and alt attributes).

- In Chinese, no English word may show outside a short allow-list (SKU and listing codes, units, brand names,
  the product's own terms such as SKU, API, CSV): a code (``warning``, ``stock``, ``extreme.first``, ``zto``) or an
  English sentence is a finding.
- In English, no Chinese may show outside shop data.

Shop data (listing text, shop and promotion names, SKU names, user names, codes) is marked on the element that
holds it, with the standard HTML attributes: ``translate="no"`` (a name or a code, never translated) or a
``lang`` other than the page's (``lang="zh"``: Chinese text of the shop). Such text is left out; everything else
is ours and must be in the page's language.

Leftovers that belong to other work (check messages, category codes, templates owned elsewhere) are listed in
``KNOWN_*`` with their reason: anything else found fails, and a known leftover that is gone fails too (so that the
list only shrinks). What is found is listed by page, so a failure says where to look.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from readiness.models import ImportJob, Promotion
from readiness.services import imports
from tests.browser import site
from tests.browser.site import DEMO_PASSWORD, DEMO_USER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]

# Latin words a Chinese page may show, exactly as written (a lower-case "sf" or "ems" is a courier's code, not its
# brand): formats and terms people know by these letters, brand names, units.
ALLOWED_WORDS = {
    # the product's terms and file formats
    "SKU", "SKUs", "API", "CSV", "XLSX", "JSON", "Excel", "ID", "URL", "HHI", "Token", "ETag", "PNG", "JPEG", "WebP",
    "GIF", "MB", "xlsx", "csv", "json",  # file name extensions (.xlsx / .csv)
    # platforms and brands
    "Tmall", "EMS", "SF",
    # units
    "g", "kg", "mg", "ml", "mL", "L", "cm", "mm", "m", "px", "h",
}  # fmt: skip
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-/+]*")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff60]")

# Every text node a person sees, and the attributes they read; text inside an element whose nearest lang is not
# the page's is shop data (marked by the templates) and is left out.
READ_PAGE = """
() => {
  const pageLang = document.documentElement.lang;
  const ours = (el) => {
    if (el.closest('[translate="no"]')) return false;
    const marked = el.closest('[lang]');
    return !marked || marked.lang === pageLang;
  };
  const seen = (el) => el.checkVisibility({checkOpacity: false, checkVisibilityCSS: true});
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || el.closest('script,style,noscript,template')) continue;
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    if (text && seen(el) && ours(el)) out.push(text);
  }
  for (const el of document.querySelectorAll('[title],[placeholder],[aria-label],[alt]')) {
    if (!ours(el)) continue;
    for (const name of ['title', 'placeholder', 'aria-label', 'alt']) {
      const value = el.getAttribute(name);
      if (value && value.trim()) out.push(value.trim());
    }
  }
  return {texts: out, title: document.title};
}
"""


@pytest.fixture
def demo(demo: Promotion) -> Promotion:
    """The scanned demo shop (conftest's fixture) with one finished import job (its summary is shown)."""
    promotion = demo
    user = get_user_model().objects.get(username=DEMO_USER)
    raw = (ROOT / "readiness" / "demo" / "demo-shop.json").read_bytes()
    job = imports.import_job_create(raw=raw, user=user, shop=promotion.shop)
    assert ImportJob.objects.get(pk=job.pk).summary, "the import ran (eager Celery)"
    return promotion


def _pages(live_server: Any) -> dict[str, str]:
    base = site.url(live_server)
    job = ImportJob.objects.latest("created_at")
    return {
        "home": f"{live_server.url}/",
        "dashboard": base,
        "dashboard details": base + "overview/",
        "find and replace": base + "replace/?find=%E6%9C%80%E4%BD%B3",
        "new shop": f"{live_server.url}/shops/new",
        "queue": base + "listings/",
        "listing": base + "listings/L133/",
        "issues": base + "issues/",
        "imports": base + "imports/",
        "import job": base + f"imports/{job.pk}/",
        "after-sales": base + "after-sales/",
    }


def _log_in(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(DEMO_USER)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")


def _texts(page: Any, url: str, *, title: bool = True) -> list[str]:
    """The texts a person reads on the page; with its <title> unless ``title`` is false (a title ends with the
    shop's name, which no attribute can mark inside <title>; the same words stand in the page's heading)."""
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("networkidle")
    read = page.evaluate(READ_PAGE)
    return [*read["texts"], *([read["title"]] if title else [])]


def english_words(text: str) -> list[str]:
    """Latin words of a text outside the allow-list; tokens with a digit are codes (L100-1, 250g, 2026, NO.1)."""
    found = []
    for token in TOKEN.findall(text):
        if any(ch.isdigit() for ch in token):
            continue
        words = [w for w in re.split(r"[._\-/+]", token) if w]
        if any(len(w) > 1 and w not in ALLOWED_WORDS for w in words):  # one letter: 前 N 名, grade F
            found.append(token)
    return found


def test_english_words_are_found_and_codes_are_not() -> None:
    """The reader itself: codes and sentences are found, SKU codes, units and brand names are not."""
    assert english_words("豁免了 extreme.first") == ["extreme.first"]
    assert english_words("imported mingcha-tmall/d11-2026: listings 2 created") == ["imported", "listings", "created"]
    assert english_words("中通快递 zto 的运力") == ["zto"]
    assert english_words("SKU L100-1 库存 1500 件，250g，天猫 Tmall，导出 CSV，中国邮政EMS") == []
    assert english_words("只有 1 家快递覆盖（ems）") == ["ems"]


# English words still on the Chinese pages that other work removes (issue 17), each with its owner: none left.
KNOWN_ENGLISH: dict[str, str] = {}


def test_chinese_pages_show_no_english(page: Any, live_server: Any, demo: Promotion, shot: Any) -> None:
    _log_in(page, live_server)
    found: dict[str, dict[str, str]] = {}
    for name, url in _pages(live_server).items():
        for text in _texts(page, url):
            for word in english_words(text):
                found.setdefault(word, {})[name] = text[:100]
        shot(page, f"lang-zh-{name.replace(' ', '-')}")
    new = {word: where for word, where in found.items() if word not in KNOWN_ENGLISH}
    assert not new, json.dumps(new, ensure_ascii=False, indent=1)
    gone = sorted(set(KNOWN_ENGLISH) - set(found))
    assert not gone, f"fixed, remove from KNOWN_ENGLISH: {gone}"


# Pages of the English interface that still show Chinese of ours, because of other work (issue 17): none left.
KNOWN_CHINESE: dict[str, str] = {}


def test_english_pages_show_no_chinese_outside_shop_data(
    page: Any, live_server: Any, demo: Promotion, shot: Any
) -> None:
    _log_in(page, live_server)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    found: dict[str, list[str]] = {}
    for name, url in _pages(live_server).items():
        texts = _texts(page, url, title=False)
        assert page.evaluate("document.documentElement.lang") == "en"
        shot(page, f"lang-en-{name.replace(' ', '-')}")
        chinese = sorted({text[:100] for text in texts if CJK.search(text)})
        if chinese:
            found[name] = chinese
    new = {name: texts for name, texts in found.items() if name not in KNOWN_CHINESE}
    assert not new, json.dumps(new, ensure_ascii=False, indent=1)
    gone = sorted(set(KNOWN_CHINESE) - set(found))
    assert not gone, f"fixed, remove from KNOWN_CHINESE: {gone}"
