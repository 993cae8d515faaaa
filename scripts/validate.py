"""Validate every data file: `make validate`.

Prints one line per problem (file:line: what is wrong and how to fix it) and, inside
GitHub Actions, the same as annotations on the pull request. Exit code 1 if any.
`--production` also applies the checks of the published site (no unverified contacts).
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros.core.problems import report  # noqa: E402
from macros.data.datafiles import validate_all  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--production", action="store_true",
                        default=os.environ.get("SITE_ENV") == "production",
                        help="also fail on what the published site may not contain")
    args = parser.parse_args(argv)
    try:
        problems = validate_all(production=args.production)
    except Exception as exc:  # a bug of ours, not the editor's: still one clear line
        print(f"validate: internal error ({type(exc).__name__}: {exc}); please report it",
              file=sys.stderr)
        return 2
    count = report(problems)
    if count:
        print(f"{count} problem(s) found; nothing can be published until they are fixed.",
              file=sys.stderr)
        return 1
    print("All data files are valid.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
