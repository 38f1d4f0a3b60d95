"""The scanners compiled with mypyc, used only when they were built from exactly the sources in the tree.

``python -m scanners._build`` compiles the modules named in :data:`COMPILED` with mypyc (the compiler of
mypy, which ships mypy and black compiled the same way) into ``build/mypyc/`` next to the package folder,
never into the source tree, and writes there a stamp: the SHA-256 of those modules' sources and the
interpreter's cache tag. On import, :func:`activate` compares the stamp with the sources as they are now:

- equal: the build folder is put first on ``scanners.__path__`` (and on ``sys.path`` for mypyc's shared
  library), so ``scanners.wording`` and the others load as extension modules (15-20% less CPU per
  listing, see docs/benchmarks.md);
- different (a module was edited since the build), missing, or ``SCANNERS_PURE=1`` in the environment:
  nothing changes and every module loads from its ``.py`` file.

So an edit takes effect at once, compiled or not; ``make compile`` (run by ``make install``) rebuilds.
The compiled and the pure modules give the same findings byte for byte (tests/scanners/test_native.py).
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import MutableSequence
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
BUILD_DIR = PACKAGE_DIR.parent / "build" / "mypyc"
STAMP_NAME = "SOURCES.sha256"
# The modules on the scanning path. Not compiled: the public value types (findings, options: they are
# pickled and compared by callers) and the entry points (__init__, __main__, _build, _native).
COMPILED = (
    "memo",
    "normalize",
    "terms",
    "words",
    "context",
    "extreme",
    "claims",
    "wording",
    "numerals",
    "units",
    "extraction",
    "quantities",
    "specs",
    "listing",
)

# What a build depends on: the compiled modules and the value types they were compiled against.
DIGESTED = (*COMPILED, "findings", "options")


def sources_digest(package_dir: Path = PACKAGE_DIR) -> str:
    """What a build is valid for: the sources it was built from and this interpreter's cache tag."""
    h = hashlib.sha256(str(sys.implementation.cache_tag).encode())
    for name in DIGESTED:
        h.update(b"\0" + name.encode() + b"\0")
        h.update((package_dir / f"{name}.py").read_bytes())
    return h.hexdigest()


def build_is_current(build_dir: Path = BUILD_DIR, package_dir: Path = PACKAGE_DIR) -> bool:
    try:
        stamp = (build_dir / STAMP_NAME).read_text(encoding="ascii").strip()
    except OSError:
        return False
    try:
        return stamp == sources_digest(package_dir)
    except OSError:  # a source file is missing (an installed copy without them)
        return False


def activate(package_path: MutableSequence[str], build_dir: Path = BUILD_DIR, package_dir: Path = PACKAGE_DIR) -> bool:
    """Put a current build first on the package's ``__path__``; return whether the build is in use."""
    if os.environ.get("SCANNERS_PURE", "") not in ("", "0"):
        return False
    if not build_is_current(build_dir, package_dir):
        return False
    compiled = str(build_dir / "scanners")
    if compiled not in package_path:
        package_path.insert(0, compiled)
    if str(build_dir) not in sys.path:
        sys.path.append(str(build_dir))  # mypyc's shared library is a top-level module
    return True
