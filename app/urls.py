from urllib.parse import urlsplit


def safe_next(target: str | None) -> str | None:
    """A same-site path to go back to, or None: never an open redirect."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target
