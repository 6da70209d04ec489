from datetime import datetime, timezone

import pytest

# Wednesday 18 November 2026, noon.
NOW = datetime(2026, 11, 18, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def fixed_clock(app):
    app.config["FIXED_NOW"] = NOW
