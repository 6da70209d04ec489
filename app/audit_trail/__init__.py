"""Exporting the audit trail (administrators only)."""
