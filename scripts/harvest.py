"""Gather free training from the providers of data/providers.yaml: `make harvest`.

Appends new courses to data/training.yaml (with `source:` set) for the business unit to
review in a pull request; entries written by hand are never changed. "Now" is the real
clock in Europe/London, or SITE_TODAY when set: ended events are dropped. `--dry-run`
prints what would be added and writes nothing; `--summary FILE` also writes the run's
summary as Markdown (for the pull-request body). Exit code 0 when the configuration is
valid, even if some providers failed; 1 for an invalid data file.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros.core.problems import run_tool  # noqa: E402
from macros.core.settings import site_now  # noqa: E402
from macros.harvest import summary  # noqa: E402
from macros.harvest.run import harvest  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="print what would be added; write nothing")
    parser.add_argument("--summary", metavar="FILE", type=Path,
                        help="also write the summary as Markdown to FILE")
    args = parser.parse_args(argv)

    def work():
        now = site_now()
        return now, harvest(now, dry_run=args.dry_run)

    done, code = run_tool("harvest", work, "nothing was added; fix the problems above first.")
    if code:
        return code
    now, result = done
    print(summary.text(result.outcomes, args.dry_run) or "No provider is enabled in data/providers.yaml.")
    verb = "would be added (dry run: nothing written)" if args.dry_run else "added to data/training.yaml"
    print(f"{len(result.added)} course(s) {verb}.")
    if args.summary:
        try:
            args.summary.write_text(summary.markdown(result.outcomes, args.dry_run,
                                                     now.strftime("%Y-%m-%d %H:%M")), encoding="utf-8")
        except OSError as exc:
            print(f"harvest: could not write the summary to {args.summary} ({exc.strerror})",
                  file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
