"""Move ended courses from data/training.yaml to their archive files: `make prune`.

A course whose every session has ended (or whose available_until has passed) goes to
data/archive/training-YYYY-YY.yaml, the financial year of its last session. "Now" is the
real clock in Europe/London, or SITE_TODAY when set. Refuses, changing nothing, while any
training file has a problem. `--dry-run` only prints what it would move. A prune stopped
(killed) part way loses nothing: the next run finishes its moves and says so.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros.core.problems import run_tool  # noqa: E402
from macros.core.settings import site_now  # noqa: E402
from macros.tools.prune import prune  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="print what would move; change nothing")
    args = parser.parse_args(argv)

    def work():
        now = site_now()
        return now, prune(now, dry_run=args.dry_run)

    done, code = run_tool("prune", work, "nothing was moved; fix the problems above first.")
    if code:
        return code
    now, moves = done
    verb = "would move" if args.dry_run else "moved"
    for move in moves:
        if move.finished:  # a prune stopped after copying it to the archive
            left = "would be removed" if args.dry_run else "is removed"
            print(f"{'would finish' if args.dry_run else 'finished'} moving {move.id} ({move.title}) "
                  f"to {move.archive} (a prune was stopped after copying it there; the copy left in "
                  f"data/training.yaml {left})")
        else:
            print(f"{verb} {move.id} ({move.title}; ended {move.ended.isoformat()}) to {move.archive}")
    when = now.strftime("%Y-%m-%d %H:%M")
    if not moves:
        print(f"Nothing to prune on {when}: every course in data/training.yaml is current or upcoming.")
    else:
        done = "would be moved (dry run: nothing changed)" if args.dry_run else "moved"
        print(f"{len(moves)} ended course(s) {done} on {when}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
