"""A small on-disk cache of work that depends only on input files and our own code.

Loading and validating thousands of courses takes seconds; the result depends only on the
data files, the schemas and the library's source. It is kept in `.cache/build/` under a hash
of all of those, so an unchanged data set is not validated twice (`mkdocs serve` rebuilds,
repeated builds). Any change to a data file, a schema or a module of `macros/` gives a new
key. Invalid data is never cached: its problems are reported every time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from .validation import ROOT

T = TypeVar("T")
CACHE_DIR = ROOT / ".cache" / "build"
_CODE = sorted((ROOT / "macros").glob("*.py")) + sorted((ROOT / "data" / "schema").glob("*.json"))


def key(name: str, files: Iterable[Path], extra: str = "") -> str:
    digest = hashlib.sha256(f"{name}\0{extra}".encode())
    for path in [*sorted(Path(f) for f in files), *_CODE]:
        digest.update(str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
        digest.update(b"\0")
    return f"{name}-{digest.hexdigest()[:32]}"


def cached(name: str, files: Iterable[Path], compute: Callable[[], T], extra: str = "") -> T:
    """`compute()`, or its stored result when no input has changed since it was stored.

    `extra` is any other input the result depends on (the build's "now", the site URL).

    Set SITE_NO_CACHE=1 to always compute (the benchmark's cold build does).
    """
    if os.environ.get("SITE_NO_CACHE"):
        return compute()
    path = CACHE_DIR / f"{key(name, files, extra)}.pickle"
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError):
        pass
    value = compute()
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=CACHE_DIR, delete=False) as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(fh.name, path)
        for old in CACHE_DIR.glob(f"{name}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only checkout still builds, only slower
    return value
