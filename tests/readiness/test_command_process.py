"""import_bundle as a user runs it: a real process, exit codes, stderr, and an untouched database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import bundle_dict

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, db: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, input=stdin, capture_output=True, check=False
    )


@pytest.mark.skipif(
    "DATABASE_URL" in os.environ and "sqlite" not in os.environ["DATABASE_URL"],
    reason="runs its own SQLite file in a subprocess; the PostgreSQL path is covered in-process",
)
def test_wrong_type_exits_2_naming_path_and_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    assert _manage("migrate", "--noinput", db=db).returncode == 0
    good = bundle_dict(listings=3)
    ok = _manage("import_bundle", "-", db=db, stdin=json.dumps(good).encode())
    assert ok.returncode == 0, ok.stderr
    assert "商品 新建 3" in ok.stdout.decode()
    before = db.read_bytes()

    bad = bundle_dict(listings=3)
    bad["listings"][0]["title"] = "changed"
    bad["listings"][2]["skus"][0]["stock"] = "12箱"
    result = _manage("import_bundle", "-", db=db, stdin=json.dumps(bad, ensure_ascii=False).encode())
    assert result.returncode == 2
    assert '的 SKU L102-0：库存应为整数，收到 "12箱"（listings[2].skus[0].stock）' in result.stderr.decode()
    assert result.stdout == b""
    dump = _manage("dumpdata", "readiness.listing", db=db)
    assert b'"title": "changed"' not in dump.stdout and dump.returncode == 0
    assert db.read_bytes() == before

    again = _manage("import_bundle", "-", db=db, stdin=json.dumps(good).encode())
    assert "商品 新建 0、更新 0、归档 0、未变 3" in again.stdout.decode()
