"""Work on a second core: a forked process whose result is collected when it is needed.

A build with thousands of courses spends most of its time on work MkDocs does not need to
wait for: loading and checking the data files, and writing the calendar files. Where it
is safe, that work runs in a forked child process while the build goes on:

- POSIX `fork` only, with two cores or more;
- one thread only: `mkdocs build` has one, `mkdocs serve` runs a server thread, and forking
  a threaded process can deadlock (its rebuilds are warm from the cache anyway);
- not when SITE_SERIAL=1 is set (for profiling, or to rule this out when debugging).

Otherwise the work runs inline, in this process, when its result is first asked for: the
result is the same either way, and tests build both ways.

The child writes its result (or its problems, or the traceback of a bug) to a temporary
file and exits; `result()` waits for it. Bad data found in the child reaches the build as
the same DataError, with the same lines, as inline.

SITE_TRACE=1 prints when each step starts and ends, in both processes, to standard error
(`make bench` shows it for one large build).
"""

from __future__ import annotations

import gc
import os
import pickle
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from .validation import DataError

T = TypeVar("T")
R = TypeVar("R")
_START = time.perf_counter()
_MAIN = os.getpid()


def trace(step: str) -> None:
    """With SITE_TRACE=1, print the time since the library was loaded and the step."""
    if os.environ.get("SITE_TRACE"):
        who = "main" if os.getpid() == _MAIN else "second core"
        print(f"{time.perf_counter() - _START:7.3f} s  {who}: {step}", file=sys.stderr, flush=True)


def can_fork() -> bool:
    return (hasattr(os, "fork") and threading.active_count() == 1
            and (os.cpu_count() or 1) > 1 and not os.environ.get("SITE_SERIAL"))


# --- the garbage collector -----------------------------------------------------------------
#
# Loading thousands of courses makes hundreds of thousands of objects that live until the
# build ends. Python's cycle collector would walk all of them again and again as they are
# made (a fifth of a large build), and after a fork every walk writes to pages the two
# processes share, which the system must then copy. So: no collection while the data is
# loaded; then the loaded data is frozen (left out of every later collection) and collection
# resumes for what the build makes afterwards; `thaw` (after the build) hands it back, so a
# long `mkdocs serve` frees the data of earlier builds.


def pause_collector() -> None:
    """Before loading the data."""
    gc.unfreeze()  # what an earlier build (mkdocs serve) left frozen
    gc.disable()


def freeze_loaded() -> None:
    """After loading the data (also when loading failed)."""
    gc.freeze()
    gc.enable()


def thaw() -> None:
    """After the build, when another will follow in this process (mkdocs serve)."""
    gc.unfreeze()


class Job(Generic[T]):
    """`fn(*args)`, started now on another core when that is safe, else run by `result()`."""

    def __init__(self, fn: Callable[..., T], *args):
        self._call = (fn, args)
        self._outcome: tuple[str, object] | None = None
        self._pid = 0
        if not can_fork():
            return
        try:
            fd, self._path = tempfile.mkstemp(prefix="ssp-job-", suffix=".pickle")
        except OSError:
            return  # nowhere to leave a result: the work runs inline
        os.close(fd)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: do the work, leave the outcome, exit without cleaning up
            gc.disable()  # short-lived: collecting would only copy the pages it shares
            code = 0
            try:
                with open(self._path, "wb") as fh:
                    pickle.dump(_run(fn, args), fh, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:  # noqa: BLE001 - nothing may escape a forked child
                code = 1
            finally:
                os._exit(code)
        self._pid = pid

    def result(self) -> T:
        """The value, or the DataError (or bug) the work raised, raised here."""
        if self._outcome is None:
            self._outcome = self._collect() if self._pid else _run(*self._call)
        kind, payload = self._outcome
        if kind == "problems":
            raise DataError(payload)
        if kind == "error":
            raise RuntimeError(f"work done in a second process failed:\n{payload}")
        return payload

    def _collect(self) -> tuple[str, object]:
        os.waitpid(self._pid, 0)
        try:
            with open(self._path, "rb") as fh:
                return pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError):
            # The process died without a word (killed, out of memory): do the work here.
            trace("the second core left no result: doing its work here")
            return _run(*self._call)
        finally:
            try:
                os.unlink(self._path)
            except OSError:
                pass


class Gate:
    """A point a job waits at until this process opens it (e.g. until MkDocs has emptied the
    site directory the job writes into). If this process closes it, or ends, first, the
    job's `wait` returns False and the job should stop."""

    def __init__(self):
        self._read, self._write = os.pipe()
        self._pid = os.getpid()
        self.opened = False
        self._open_fds = {self._read, self._write}

    def open(self) -> None:
        if not self.opened and self._write in self._open_fds:
            self.opened = True
            os.write(self._write, b"1")
        self.close()

    def close(self) -> None:
        """Let go of the pipe (a job still waiting is told the gate will not open)."""
        for fd in list(self._open_fds):
            self._open_fds.discard(fd)
            try:
                os.close(fd)
            except OSError:
                pass

    def wait(self) -> bool:
        if self.opened:  # inline, or already passed
            return True
        if self._read not in self._open_fds:
            return False
        if os.getpid() != self._pid and self._write in self._open_fds:
            self._open_fds.discard(self._write)  # in the child: only the parent opens it
            os.close(self._write)
        self.opened = os.read(self._read, 1) == b"1"
        return self.opened


def _run(fn: Callable, args: tuple) -> tuple[str, object]:
    try:
        return "value", fn(*args)
    except DataError as exc:
        return "problems", exc.problems
    except Exception:  # a bug: its traceback goes to the developer, in the build's error
        return "error", traceback.format_exc()


def map_halves(fn: Callable[[T], R], items: Sequence[T], weights: Sequence[int],
               threshold: int) -> list[R]:
    """`[fn(item) for item in items]`, the heavier items shared between this process and a
    forked one so each does about half the total weight. Inline below `threshold` (forking
    and passing the results back cost more than they save on small inputs)."""
    if sum(weights) < threshold or len(items) < 2 or not can_fork():
        return [fn(item) for item in items]
    order = sorted(range(len(items)), key=lambda i: -weights[i])
    mine, theirs, load = [], [], [0, 0]
    for i in order:
        side = 0 if load[0] <= load[1] else 1
        (mine, theirs)[side].append(i)
        load[side] += weights[i]
    if load[1] > load[0]:  # the child also pays for passing its results back: give it less
        mine, theirs = theirs, mine
    def halve(indexes: list[int]) -> list[R]:
        trace(f"{len(indexes)} of {len(items)} items, {sum(weights[i] for i in indexes):,} bytes")
        try:
            return [fn(items[i]) for i in indexes]
        finally:
            trace("those items done")

    job = Job(halve, theirs)
    results: dict[int, R] = dict(zip(mine, halve(mine), strict=True))
    results.update(zip(theirs, job.result(), strict=True))
    trace("results of the second core received")
    return [results[i] for i in range(len(items))]
