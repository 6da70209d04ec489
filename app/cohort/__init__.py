"""The cohort: admitting, allocating, transferring, de-selecting, re-admitting, importing."""
