"""Each person's offender management plan: pathways and actions."""
