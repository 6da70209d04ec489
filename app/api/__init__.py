"""The sync API, version 1: JSON under /api/v1/, described by ``openapi.yaml``."""
