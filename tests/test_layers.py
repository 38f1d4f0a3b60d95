"""The dependency direction of style.md: scanners import nothing of Django or readiness."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_scanners_loads_no_django() -> None:
    code = (
        "import importlib, json, pkgutil, sys, scanners\n"
        "for mod in pkgutil.walk_packages(scanners.__path__, 'scanners.'):\n"
        "    importlib.import_module(mod.name)\n"
        "scanners.scan_listing({'id': 'L1', 'title': '最佳'}) if hasattr(scanners, 'scan_listing') else None\n"
        "banned = {'django', 'readiness', 'rest_framework', 'celery'}\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in banned)))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []
