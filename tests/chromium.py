"""Debian's Chromium as every browser test launches it (tests/browser, tests/browser_i18n).

Its headless shell (Debian's ``chromium-headless-shell``: the same Chromium 156 build, without
the windowed browser around it), as Playwright itself launches Chromium for headless tests:
the 84 browser tests took 162 s of CPU with it against 213 s with the full browser, and all
passed with both (2026-12-03, `-n 2`). ``benchmarks/lighthouse.py`` uses the full browser,
as a phone's Chrome is one.
"""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium-headless-shell")
ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
    # Chromium 156 preloads its address bar's suggestion popup (a chrome:// page in a renderer of
    # its own) into every new window, headless too: each test's browser context paid about 0.7 s
    # of CPU for it, a quarter of what a short browser test costs.
    "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup",
]
