"""The domain rules are plain Python with no database: every test here is marked
``database_independent`` (.ci/run runs them in its SQLite run only), as tests/browser/conftest.py
marks its own tests ``browser``."""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.database_independent)
