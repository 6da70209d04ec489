"""The phone app's size on the wire: the first load, and everything the service worker precaches.

Run by hand (not a test):

    .venv/bin/python benchmarks/shell_size.py

It asks the app itself (Flask's test client through the same WSGI stack gunicorn runs:
WhiteNoise for static files, Flask-Compress for the shell pages, no server, no database)
for each URL with ``Accept-Encoding: br, gzip`` (what every current phone browser sends)
and counts the bytes of the body as sent, with its Content-Encoding. "First load" is what
``/app`` needs before it can show anything, in one language: the page, the stylesheet, the
scripts ``app.js`` imports (followed through every ``import``), the catalogue, the manifest,
the service worker and its own imports. The caseload and session answers (JSON from the
API, sized by the caseload) are not counted. The icons and the other language are listed apart.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402

# `import … from "x"`, `import "x"`, `export … from "x"`, also minified (`import{a as b}from"./x.js"`,
# several on one line): after a line's start, a `;` or a `}`. Never `import("x")`.
IMPORT = re.compile(rb"""(?:^|[;}])\s*(?:import|export)\s*(?:[\w$\s{},*]*?\bfrom\s*)?["']([^"']+)["']""", re.M)
ENCODINGS = {"Accept-Encoding": "br, gzip"}


def fetch(client, url: str) -> tuple[int, int, str]:
    """(bytes uncompressed, bytes on the wire, content encoding) of one URL."""
    with client.get(url) as plain:
        raw = len(plain.get_data())
    with client.get(url, headers=ENCODINGS) as response:
        assert response.status_code == 200, (url, response.status_code)
        return raw, len(response.get_data()), response.headers.get("Content-Encoding", "identity")


def module_graph(client, entry: str) -> list[str]:
    """Every module URL ``entry`` imports, directly or not, and itself."""
    seen, waiting = [], [entry]
    while waiting:
        url = waiting.pop()
        if url in seen:
            continue
        seen.append(url)
        with client.get(url) as response:
            source = response.get_data()
        base = url.rsplit("/", 1)[0]
        for target in IMPORT.findall(source):
            target = target.decode()
            waiting.append(target if target.startswith("/") else f"{base}/{target.removeprefix('./')}")
    return seen


def main() -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "benchmark-only-" + "x" * 32, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    client = app.test_client()
    service_worker = client.get("/sw.js").get_data()
    build = json.loads(re.search(rb"\bconst BUILD ?= ?(\{.*?\});", service_worker).group(1))
    prefix = f"/static/{build['version']}"
    first = ["/app/shell/en", f"{prefix}/css/app.css", "/i18n/en.json", "/manifest/en.webmanifest"]
    first += module_graph(client, f"{prefix}/js/app.js") + module_graph(client, f"{prefix}/js/language-switch.js")
    first += ["/sw.js"] + module_graph(client, f"{prefix}/js/sync.js")
    first = list(dict.fromkeys(first))
    rest = [url for url in build["precache"] if url not in first]

    print(f"Build {build['version']}: {len(build['precache'])} precached URLs\n")
    print(f"{'URL':<44} {'bytes':>9} {'on wire':>9}  encoding")
    totals: dict[str, list[int]] = {}
    for group, urls in (("first load (en)", first), ("rest of the precache", rest)):
        for url in urls:
            raw, wire, encoding = fetch(client, url)
            print(f"{url:<44} {raw:>9,} {wire:>9,}  {encoding}")
            if group == "first load (en)":
                name = group
            elif "/icons/" in url:
                name = "icons"
            elif url.endswith(("/cy", "/cy.json", "/cy.webmanifest")):
                name = "second language (cy)"
            else:
                name = "the other screens (loaded once the app has started)"
            total = totals.setdefault(name, [0, 0])
            total[0] += raw
            total[1] += wire
    print()
    for name, (raw, wire) in totals.items():
        print(f"{name:<44} {raw:>9,} {wire:>9,}")
    print(f"{'everything precached':<44} {sum(r for r, _ in totals.values()):>9,} "
          f"{sum(w for _, w in totals.values()):>9,}")
    wire = totals["first load (en)"][1]
    print(f"\nFirst load on the wire: {wire / 1000:.1f} KB (goal <= 30 KB): {'met' if wire <= 30_000 else 'NOT met'}")


if __name__ == "__main__":
    main()
