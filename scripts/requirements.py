"""Print the pinned dependencies from pyproject.toml, one per line, for pip.

Usage: python scripts/requirements.py [EXTRA ...]
The Makefile pipes this into `pip install -r /dev/stdin`, so pyproject.toml is the
only place versions are written.
"""

import sys
import tomllib
from pathlib import Path


def main(extras: list[str]) -> int:
    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())["project"]
    lines = list(project["dependencies"])
    for extra in extras:
        lines += project["optional-dependencies"][extra]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
