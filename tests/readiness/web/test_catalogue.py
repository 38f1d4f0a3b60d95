"""The English switch is complete: every Chinese message of the templates and of the code has an English entry
in the compiled catalogue (none left fuzzy, which compilemessages drops), so no page falls back to Chinese."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import trans_real

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
CJK = re.compile("[\u4e00-\u9fff]")
TRANSLATE = re.compile(r"""{%\s*translate\s+(["'])(.*?)\1""")
BLOCK = re.compile(r"{%\s*blocktranslate([^%]*)%}(.*?){%\s*(?:plural|endblocktranslate)\s*%}", re.S)
CALL = re.compile(r"""(?<![A-Za-z_.])(?:_|gettext|gettext_lazy|_lazy|ngettext|msg)\(\s*"((?:[^"\\]|\\.)*)\"""")


def _template_messages() -> set[str]:
    found = set()
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        found |= {m.group(2) for m in TRANSLATE.finditer(text)}
        for m in BLOCK.finditer(text):
            body = re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", m.group(2))
            found.add(" ".join(body.split()) if "trimmed" in m.group(1) else body)
    return {m for m in found if CJK.search(m)}


def _code_messages() -> set[str]:
    """Messages of the code, the check messages (``msg``, readiness.checks.results) among them."""
    found = set()
    for path in (ROOT / "readiness").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        found |= {m.group(1).replace('\\"', '"') for m in CALL.finditer(path.read_text(encoding="utf-8"))}
    return {m for m in found if CJK.search(m)}


def _catalogue() -> set[str]:
    with translation.override("en"):
        catalog = trans_real.translation("en")._catalog  # type: ignore[attr-defined]
    return {key if isinstance(key, str) else key[0] for key in catalog.keys()}


def test_no_entry_is_fuzzy() -> None:
    fuzzy = [line for line in PO.read_text(encoding="utf-8").splitlines() if line.startswith("#,") and "fuzzy" in line]
    assert not fuzzy


def test_every_template_message_has_english() -> None:
    messages = _template_messages()
    assert len(messages) > 150
    missing = sorted(messages - _catalogue())
    assert not missing, missing


def test_every_code_message_has_english() -> None:
    messages = _code_messages()
    assert len(messages) > 100
    missing = sorted(messages - _catalogue())
    assert not missing, missing
