"""Job files: only for their owner, only while the owner may see what they hold, not kept for ever."""

import datetime

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from renda.jobs.models import Job
from renda.jobs.services import job_succeed


def _job(owner, **params):
    job = Job.objects.create(owner=owner, kind="test", title="测试", params=params)
    job_succeed(
        job=job, message="完成", result={"filename": "x.xlsx"}, file=ContentFile(b"data", name="x.xlsx")
    )
    return job


def test_download_rechecks_the_permission_the_file_needs(users, client):
    staff = users["county_staff"]
    job = _job(staff, requires_permission="personal_data.reveal")
    client.force_login(staff)
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 200
    leader_job = _job(users["leader"], requires_permission="personal_data.reveal")
    client.force_login(users["leader"])  # leaders may not reveal: the clear file is not theirs to take
    assert client.get(f"/jobs/{leader_job.pk}/download/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404  # someone else's job


def test_old_jobs_and_files_are_pruned(users):
    old, fresh = _job(users["county_staff"]), _job(users["county_staff"])
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - datetime.timedelta(hours=30))
    call_command("job_prune", stdout=__import__("io").StringIO())
    assert list(Job.objects.values_list("pk", flat=True)) == [fresh.pk]
