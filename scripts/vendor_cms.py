"""Vendor the editor's browser code from npm into overrides/admin/vendor/ (README, "Editing
through forms"). Run it only to upgrade; the build itself needs neither npm nor the network.

Decap CMS is pinned in overrides/admin/vendor/vendor.json: its version, the integrity (sha512)
the npm registry gives for that version's package, and the sha256 of each file taken from it.
The package is fetched with `npm pack`, refused unless its integrity is the pinned one, and its
browser build (dist/decap-cms.js, the chunks it loads and their licence notice) is unpacked
here. (Installing decap-cms with npm would bring some 700 packages for the one built file.)
js-yaml is pinned by tools/package-lock.json and copied from tools/node_modules.

    python scripts/vendor_cms.py             re-vendor the pinned version, checking it
    python scripts/vendor_cms.py --upgrade   pin the newest version (its registry integrity)
    python scripts/vendor_cms.py --check     only check the vendored files against the pin
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "overrides" / "admin" / "vendor"
MANIFEST = VENDOR / "vendor.json"
TAKEN = re.compile(r"^package/dist/((\d+\.)?decap-cms\.js|[0-9a-f]+\.wasm|decap-cms\.js\.LICENSE\.txt)$")
JS_YAML = ROOT / "tools" / "node_modules" / "js-yaml" / "dist" / "js-yaml.min.js"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def vendored_problems(manifest: dict | None = None) -> list[str]:
    """What differs between overrides/admin/vendor/decap/ and the pin (nothing: [])."""
    manifest = manifest or json.loads(MANIFEST.read_text(encoding="utf-8"))
    files = manifest["decap-cms"]["files"]
    here = {p.name for p in (VENDOR / "decap").iterdir() if p.name != "LICENSE"}
    out = [f"{name}: not in the pinned package" for name in sorted(here - set(files))]
    out += [f"{name}: missing" for name in sorted(set(files) - here)]
    out += [f"{name}: changed since it was vendored" for name in sorted(set(files) & here)
            if sha256(VENDOR / "decap" / name) != files[name]]
    return out


def fetch(version: str, integrity: str) -> dict[str, str]:
    """Unpack decap-cms@version's browser build into vendor/decap/; {file: sha256}."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", f"decap-cms@{version}", "--pack-destination", tmp,
                        "--silent"], check=True, stdout=subprocess.DEVNULL)
        tarball = next(Path(tmp).glob("decap-cms-*.tgz"))
        got = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
        if got != integrity:
            raise SystemExit(f"vendor_cms: decap-cms@{version} is not the pinned package "
                             f"(integrity {got}, pinned {integrity}); nothing was changed")
        target = VENDOR / "decap"
        for old in target.iterdir():
            if old.name != "LICENSE":
                old.unlink()
        files = {}
        with tarfile.open(tarball) as archive:
            for member in archive.getmembers():
                match = TAKEN.match(member.name)
                if match and member.isfile():
                    data = archive.extractfile(member).read()
                    (target / match.group(1)).write_bytes(data)
                    files[match.group(1)] = hashlib.sha256(data).hexdigest()
        return dict(sorted(files.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upgrade", action="store_true", help="pin the newest decap-cms")
    parser.add_argument("--check", action="store_true", help="only check the vendored files")
    args = parser.parse_args(argv)
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    if args.check:
        problems = vendored_problems(manifest)
        print("\n".join(problems) or "The vendored editor is the pinned one.")
        return 1 if problems else 0
    pin = manifest["decap-cms"]
    if args.upgrade:
        view = subprocess.run(["npm", "view", "decap-cms", "version", "dist.integrity", "--json"],
                              check=True, capture_output=True, text=True)
        latest = json.loads(view.stdout)
        pin.update(version=latest["version"], integrity=latest["dist.integrity"])
    pin["files"] = fetch(pin["version"], pin["integrity"])
    if JS_YAML.exists():
        shutil.copyfile(JS_YAML, VENDOR / "js-yaml.min.js")
    MANIFEST.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"Vendored decap-cms {pin['version']} ({len(pin['files'])} files).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
