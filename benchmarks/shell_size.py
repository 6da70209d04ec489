"""The phone app's size: everything the service worker precaches, raw and gzipped.

Run by hand (not a test):

    .venv/bin/python benchmarks/shell_size.py

It asks the app itself (Flask's test client, no server, no database) for every URL in the
service worker's precache list, so the figures are exactly what a phone downloads once
to work offline in both languages. "The shell" is what one language needs to start:
its page, its catalogue and manifest, the stylesheet and every script; the icons and the
other language are listed apart.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def main() -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "benchmark-only-" + "x" * 32, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    client = app.test_client()
    service_worker = client.get("/sw.js").get_data()
    build = json.loads(re.search(rb"^const BUILD = (\{.*\});$", service_worker, re.M).group(1))
    rows = [("/sw.js", len(service_worker), gzipped(service_worker))]
    for url in build["precache"]:
        with client.get(url) as response:
            body = response.get_data()
        rows.append((url, len(body), gzipped(body)))

    def group(url: str) -> str:
        if url.startswith("/static/icons/"):
            return "icons"
        if url.endswith(("/cy", "/cy.json", "/cy.webmanifest")):
            return "second language (cy)"
        return "shell (one language: en)"

    print(f"Build {build['version']}: {len(build['precache'])} precached URLs\n")
    print(f"{'URL':<40} {'bytes':>9} {'gzipped':>9}")
    totals: dict[str, list[int]] = {}
    for url, raw, packed in rows:
        print(f"{url:<40} {raw:>9,} {packed:>9,}")
        total = totals.setdefault(group(url), [0, 0])
        total[0] += raw
        total[1] += packed
    print()
    for name, (raw, packed) in totals.items():
        print(f"{name:<40} {raw:>9,} {packed:>9,}")
    print(f"{'everything precached':<40} {sum(r for _, r, _ in rows):>9,} {sum(p for _, _, p in rows):>9,}")


if __name__ == "__main__":
    main()
