"""Phones: each phone's latest report, what supervisors and officers see of it, revoking one."""
