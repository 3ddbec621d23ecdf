"""Reads of jobs: a user sees only their own."""

from django.http import Http404

from .models import Job


def job_get(*, user, job_id) -> Job:
    job = Job.objects.filter(pk=job_id, owner=user).first()
    if job is None:
        raise Http404
    return job
