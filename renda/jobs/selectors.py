"""Reads of jobs: a user sees only their own."""

from django.http import Http404

from .models import Job


def job_get(*, user, job_id) -> Job:
    job = Job.objects.filter(pk=job_id, owner=user).first()
    if job is None:
        raise Http404
    return job


def job_list(*, user):
    """The user's own jobs, newest first (index job_owner_created). No one sees another's, staff
    included: a job's result file may hold personal data fetched under its owner's rights."""
    return Job.objects.filter(owner=user).order_by("-created_at", "-pk")
