"""The mypyc build of the scanners: used only when current, and the same findings as the pure modules."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import scanners
from scanners import _native

ROOT = Path(__file__).resolve().parents[2]


def _fake_build(tmp_path: Path, package: Path, stamp: str | None) -> Path:
    build = tmp_path / "build"
    (build / "scanners").mkdir(parents=True)
    if stamp is not None:
        (build / _native.STAMP_NAME).write_text(stamp + "\n", encoding="ascii")
    return build


@pytest.fixture
def package(tmp_path: Path) -> Path:
    pkg = tmp_path / "src" / "scanners"
    pkg.mkdir(parents=True)
    for name in _native.DIGESTED:
        (pkg / f"{name}.py").write_text(f"# {name}\n", encoding="utf-8")
    return pkg


def test_a_current_build_goes_first_on_the_package_path(
    tmp_path: Path, package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SCANNERS_PURE", raising=False)
    monkeypatch.setattr(sys, "path", list(sys.path))
    build = _fake_build(tmp_path, package, _native.sources_digest(package))
    path = [str(package)]
    assert _native.activate(path, build, package) is True
    assert path == [str(build / "scanners"), str(package)]
    assert str(build) in sys.path
    assert _native.activate(path, build, package) is True  # twice: nothing added twice
    assert path == [str(build / "scanners"), str(package)]


@pytest.mark.parametrize("case", ["edited", "type edited", "no stamp", "pure", "source missing"])
def test_a_stale_build_is_never_used(case: str, tmp_path: Path, package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "path", list(sys.path))
    build = _fake_build(tmp_path, package, None if case == "no stamp" else _native.sources_digest(package))
    if case == "edited":
        (package / "wording.py").write_text("# wording, edited after the build\n", encoding="utf-8")
    elif case == "type edited":  # not compiled, but compiled against
        (package / "findings.py").write_text("# findings, edited after the build\n", encoding="utf-8")
    elif case == "source missing":
        (package / "specs.py").unlink()
    if case == "pure":
        monkeypatch.setenv("SCANNERS_PURE", "1")
    else:
        monkeypatch.delenv("SCANNERS_PURE", raising=False)
    path = [str(package)]
    assert _native.activate(path, build, package) is False
    assert path == [str(package)]
    assert str(build) not in sys.path


def _corpus() -> list[str]:
    """Listings that reach every part of the scanners: the demo shop, benchmark listings, labelled texts."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import scan_bench
    finally:
        sys.path.remove(str(ROOT / "bench"))
    rows: list[dict[str, object]] = []
    for name in ("demo-shop.json", "clean-shop.json"):
        rows += json.loads((ROOT / "readiness" / "demo" / name).read_text(encoding="utf-8"))["listings"]
    rng = random.Random(7)
    rows += [scan_bench._listing(rng, i) for i in range(1500)]
    cases = ROOT / "tests" / "scanners" / "cases"
    for n, case in enumerate(tomllib.loads((cases / "wording.toml").read_text(encoding="utf-8"))["case"]):
        rows.append(
            {
                "id": f"W{n}",
                "category": case.get("cat"),
                "title": case["t"],
                "presale": {"enabled": bool(case.get("presale"))},
            }
        )
    for n, case in enumerate(tomllib.loads((cases / "specs.toml").read_text(encoding="utf-8"))["case"]):
        row = {"id": f"S{n}", **{k: v for k, v in case.items() if k in ("title", "description", "specs")}}
        row["skus"] = [{"name": name} for name in case.get("skus", [])]  # the cases list SKU names
        rows.append(row)
    return [json.dumps(r, ensure_ascii=False) for r in rows]


@pytest.mark.skipif(
    not scanners.COMPILED, reason="no current mypyc build (`make compile`); the pure modules are what run"
)
@pytest.mark.parametrize("fmt", ["jsonl", "table"])
def test_compiled_and_pure_scanners_write_the_same_bytes(fmt: str, tmp_path: Path) -> None:
    data = tmp_path / "listings.jsonl"
    data.write_text("\n".join(_corpus()) + "\n", encoding="utf-8")
    outputs = []
    for pure in ("0", "1"):
        env = {**os.environ, "SCANNERS_PURE": pure}
        check = "import scanners, sys; sys.exit(0 if scanners.COMPILED == (sys.argv[1] == '0') else 3)"
        subprocess.run([sys.executable, "-c", check, pure], env=env, cwd=ROOT, check=True)
        proc = subprocess.run(
            [sys.executable, "-m", "scanners", "scan", str(data), "--format", fmt],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 1, proc.stderr
        outputs.append((proc.stdout, proc.stderr))
    assert outputs[0] == outputs[1]
    assert outputs[0][0].count("\n") > 1000
