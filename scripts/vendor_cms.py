"""Vendor the editor's browser code from npm into overrides/admin/vendor/ (README, "Editing
through forms"). Run it only to upgrade; the build itself needs neither npm nor the network.

Decap CMS is built from npm packages, not taken whole: tools/decap/editor.js registers Decap's
core with only the backends and widgets the site's editor uses, tools/decap/package-lock.json
pins every package (the versions decap-cms-app pins for Decap's own packages), and esbuild
(tools/decap/build.mjs) bundles them into one file, vendor/decap/decap-cms.js (2.1 MB; Decap's
full build is 5.2 MB and a first visit took twice as long), without Decap's check of its
configuration, which needs 'unsafe-eval' (tools/decap/config-unchecked.js says why). Beside
it, decap-cms.js.LICENSES.txt gives the licence of each package bundled. vendor/vendor.json
records the sha256 of the build's inputs and of each file made, so that a change to either
without the other is caught (`--check`, and a test).
js-yaml is pinned by tools/package-lock.json and copied from tools/node_modules.

    python scripts/vendor_cms.py             rebuild from the pinned packages (npm ci)
    python scripts/vendor_cms.py --upgrade   pin the versions of the newest decap-cms-app, rebuild
    python scripts/vendor_cms.py --check     only check the vendored files against the record
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "overrides" / "admin" / "vendor"
MANIFEST = VENDOR / "vendor.json"
SOURCE = ROOT / "tools" / "decap"
INPUTS = ("editor.js", "build.mjs", "config-unchecked.js", "package.json", "package-lock.json")
OUTPUT = "decap-cms.js"
LICENSES = "decap-cms.js.LICENSES.txt"
JS_YAML = ROOT / "tools" / "node_modules" / "js-yaml" / "dist" / "js-yaml.min.js"
PACKAGE = re.compile(r"node_modules/((?:@[^/]+/)?[^/]+)/")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def inputs() -> dict[str, str]:
    return {f"tools/decap/{name}": sha256(SOURCE / name) for name in INPUTS}


def vendored_problems(manifest: dict | None = None) -> list[str]:
    """What differs between the vendored editor, its build's inputs and the record ([]: nothing)."""
    manifest = manifest or json.loads(MANIFEST.read_text(encoding="utf-8"))
    pin = manifest["decap-cms"]
    files = pin["files"]
    here = {p.name for p in (VENDOR / "decap").iterdir() if p.name != "LICENSE"}
    out = [f"{name}: not made by the build" for name in sorted(here - set(files))]
    out += [f"{name}: missing" for name in sorted(set(files) - here)]
    out += [f"{name}: changed since it was built" for name in sorted(set(files) & here)
            if sha256(VENDOR / "decap" / name) != files[name]]
    out += [f"{path}: changed since the editor was built (run python scripts/vendor_cms.py)"
            for path, digest in sorted(inputs().items()) if pin["inputs"].get(path) != digest]
    return out


def licences(meta: dict) -> str:
    """Each bundled package's name, version and licence, with its licence file where it has one."""
    folders = sorted({path[:found[-1].end()] for path in meta["inputs"]
                      for found in [list(PACKAGE.finditer(path))] if found}, key=str.lower)
    parts = ["Decap CMS as built for this site's editor (tools/decap/editor.js) bundles these "
             "packages from npm, each under its own licence:\n"]
    for folder in folders:
        package = json.loads((SOURCE / folder / "package.json").read_text(encoding="utf-8"))
        text = next((p.read_text(encoding="utf-8", errors="replace").strip()
                     for p in sorted((SOURCE / folder).iterdir())
                     if p.is_file() and p.name.upper().startswith(("LICENSE", "LICENCE"))), "")
        parts.append(f"{'=' * 72}\n{package['name']} {package['version']}: "
                     f"{_licence(package)}\n" + (f"\n{text}\n" if text else ""))
    return "\n".join(parts)


def _licence(package: dict) -> str:
    old = package.get("licenses")  # the older form: [{"type": ...}]
    named = package.get("license") or (old and ", ".join(str(x.get("type", x)) for x in old))
    return str(named or "licence not stated in its package.json")


def build() -> dict[str, str]:
    """Install the pinned packages and bundle editor.js into vendor/decap/; {file: sha256}."""
    subprocess.run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
                   cwd=SOURCE, check=True)
    target = VENDOR / "decap"
    with tempfile.TemporaryDirectory() as tmp:
        meta_path = Path(tmp) / "meta.json"
        subprocess.run(["node", "build.mjs", str(Path(tmp) / OUTPUT), str(meta_path)],
                       cwd=SOURCE, check=True)
        for old in target.iterdir():
            if old.name != "LICENSE":
                old.unlink()
        shutil.copyfile(Path(tmp) / OUTPUT, target / OUTPUT)
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    (target / LICENSES).write_text(licences(meta), encoding="utf-8")
    return {name: sha256(target / name) for name in (OUTPUT, LICENSES)}


def upgrade() -> str:
    """Pin, in tools/decap/package.json, the versions the newest decap-cms-app pins for Decap's
    own packages (react and esbuild stay as they are); its version."""
    view = subprocess.run(["npm", "view", "decap-cms-app", "version", "dependencies", "--json"],
                          check=True, capture_output=True, text=True)
    latest = json.loads(view.stdout)
    package = json.loads((SOURCE / "package.json").read_text(encoding="utf-8"))
    for name in package["dependencies"]:
        if name.startswith("decap-cms-"):
            package["dependencies"][name] = latest["dependencies"][name]
    (SOURCE / "package.json").write_text(json.dumps(package, indent=2) + "\n", encoding="utf-8")
    subprocess.run(["npm", "install", "--ignore-scripts", "--no-audit", "--no-fund",
                    "--loglevel=error"], cwd=SOURCE, check=True)
    return latest["version"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upgrade", action="store_true", help="pin the newest decap-cms-app's versions")
    parser.add_argument("--check", action="store_true", help="only check the vendored files")
    args = parser.parse_args(argv)
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    if args.check:
        problems = vendored_problems(manifest)
        print("\n".join(problems) or "The vendored editor is the one its inputs build.")
        return 1 if problems else 0
    pin = manifest["decap-cms"]
    if args.upgrade:
        pin["version"] = upgrade()
    pin["files"] = build()
    pin["inputs"] = inputs()
    if JS_YAML.exists():
        shutil.copyfile(JS_YAML, VENDOR / "js-yaml.min.js")
    MANIFEST.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"Built the editor from decap-cms-app {pin['version']}'s packages: "
          f"{OUTPUT} {(VENDOR / 'decap' / OUTPUT).stat().st_size / 1e6:.1f} MB.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
