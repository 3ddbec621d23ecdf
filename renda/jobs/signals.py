"""Signals of the jobs app: an app above it learns that one of its jobs failed."""

from django.dispatch import Signal

# Sent by job_fail with job=<Job> and reason="refused" | "error" | "stale".
job_failed = Signal()
