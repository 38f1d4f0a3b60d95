"""Compile the scanning modules with mypyc into build/mypyc (see scanners/_native.py).

    python -m scanners._build            # what `make compile` runs; nothing to do when the build is current
    python -m scanners._build --force    # rebuild anyway

mypyc writes its extension modules next to the sources it is given, so it is run on a copy of the package
in a temporary folder; the results are moved into place only when the whole build succeeded, with the
stamp of the sources they were built from written last. Exit code 0 on success, 1 when mypyc failed (the
previous build, if any, is left as it was).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from scanners._native import BUILD_DIR, COMPILED, PACKAGE_DIR, STAMP_NAME, build_is_current, sources_digest


def build(build_dir: Path = BUILD_DIR, package_dir: Path = PACKAGE_DIR, *, force: bool = False) -> int:
    digest = sources_digest(package_dir)
    if not force and build_is_current(build_dir, package_dir):
        print(f"compiled scanner modules in {build_dir} are up to date")
        return 0
    with tempfile.TemporaryDirectory(prefix="scanners-mypyc-") as tmp:
        work = Path(tmp)
        shutil.copytree(package_dir, work / "scanners", ignore=shutil.ignore_patterns("__pycache__", "*.so"))
        shutil.copy2(package_dir.parent / "pyproject.toml", work / "pyproject.toml")  # mypy's settings
        cmd = [sys.executable, "-m", "mypyc", *(f"scanners/{name}.py" for name in COMPILED)]
        proc = subprocess.run(cmd, cwd=work, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
            sys.stderr.write(f"error: mypyc failed (exit {proc.returncode}); the scanners stay pure Python\n")
            return 1
        staged = build_dir.with_name(build_dir.name + ".new")
        shutil.rmtree(staged, ignore_errors=True)
        (staged / "scanners").mkdir(parents=True)
        for lib in work.glob("*.so"):  # mypyc's shared library of the group
            shutil.copy2(lib, staged / lib.name)
        for name in COMPILED:
            found = list((work / "scanners").glob(f"{name}.*.so"))
            if len(found) != 1:
                sys.stderr.write(f"error: mypyc left no extension module for scanners.{name}\n")
                return 1
            shutil.copy2(found[0], staged / "scanners" / found[0].name)
        (staged / STAMP_NAME).write_text(digest + "\n", encoding="ascii")
    old = build_dir.with_name(build_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if build_dir.exists():
        build_dir.rename(old)
    staged.rename(build_dir)
    shutil.rmtree(old, ignore_errors=True)
    print(f"compiled {len(COMPILED)} scanner modules into {build_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(build(force="--force" in sys.argv[1:]))
