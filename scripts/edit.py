"""Try the editor's forms on this computer: `make edit` (README, "Editing through forms").

Starts two servers, both on this computer's own address (127.0.0.1) only:
  - the site, rebuilt as files change (`mkdocs serve`), with the editor at /admin/;
  - decap-server (npm, tools/package.json), which the editor uses instead of GitHub here:
    it reads and writes the files of this working copy directly, so a save through the
    forms is a change to data/*.yaml or a newsletter here, to look at with `git diff`.
Stop both with Ctrl+C.

    python scripts/edit.py [--site 127.0.0.1:8000] [--proxy-port 8081]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = Path("tools") / "node_modules" / "decap-server" / "dist" / "index.js"


def proxy_url(port: int) -> str:
    return f"http://127.0.0.1:{port}/api/v1"


def proxy_command(root: Path = ROOT) -> list[str]:
    """decap-server, as installed from tools/package-lock.json."""
    node = shutil.which("node")
    server = Path(root) / SERVER
    if not node or not server.exists():
        raise SystemExit("edit: decap-server is not installed: run 'make edit' (it installs the "
                         "Node tools in tools/), or 'make tools'")
    return [node, str(server)]


def proxy_env(root: Path, port: int) -> dict[str, str]:
    """decap-server's settings: this computer's address only, the files of `root`, no git."""
    return {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "MODE": "fs",
            "GIT_REPO_DIRECTORY": str(Path(root).resolve()), "LOG_LEVEL": "warn"}


def _stop(*_):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default="127.0.0.1:8000", help="address of the site (127.0.0.1:PORT)")
    parser.add_argument("--proxy-port", type=int, default=8081, help="decap-server's port")
    args = parser.parse_args(argv)
    host, _, port = args.site.rpartition(":")
    if host not in ("127.0.0.1", "localhost"):
        print("edit: the site is served on this computer only: --site 127.0.0.1:PORT", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _stop)  # stopped from outside too: both servers stop
    proxy = subprocess.Popen(proxy_command(ROOT), cwd=ROOT, env=proxy_env(ROOT, args.proxy_port))
    env = {**os.environ, "SITE_CMS_PROXY": proxy_url(args.proxy_port)}
    site = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--no-livereload",
                             "--dev-addr", f"127.0.0.1:{port}"], cwd=ROOT, env=env)
    print(f"\nThe editor: http://127.0.0.1:{port}/admin/ (click 'Login': no password here).\n"
          "Saving changes the files of this working copy; see them with 'git diff'.\n"
          "The site, rebuilt after each save: http://127.0.0.1:" + port + "/\n"
          "Stop with Ctrl+C.\n", flush=True)
    try:
        return site.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for process in (site, proxy):
            process.terminate()
        for process in (site, proxy):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    sys.exit(main())
