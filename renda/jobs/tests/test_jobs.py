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


def test_the_job_list_shows_only_the_users_own_jobs_with_state_progress_and_download(
    users, client, django_assert_max_num_queries
):
    staff = users["county_staff"]
    mine = _job(staff)
    running = Job.objects.create(owner=staff, kind="test", title="正在生成", percent=40, state="running")
    other = Job.objects.create(owner=users["leader"], kind="test", title="别人的任务")
    client.force_login(staff)
    client.get("/jobs/")  # warm the session
    with django_assert_max_num_queries(12):
        body = client.get("/jobs/").content.decode()
    assert f"/jobs/{mine.pk}/download/" in body and "已完成" in body
    assert f"/jobs/{running.pk}/" in body and "40%" in body and "进行中" in body
    assert str(other.pk) not in body and "别人的任务" not in body
    # Staff (or an administrator) see no one else's jobs, and another's job page is "not found".
    client.force_login(users["leader"])
    body = client.get("/jobs/").content.decode()
    assert str(mine.pk) not in body and "别人的任务" in body
    assert client.get(f"/jobs/{mine.pk}/").status_code == 404


def test_the_dossier_batch_page_links_to_the_job_list(users, client):
    client.force_login(users["county_staff"])
    assert 'href="/jobs/"' in client.get("/dossier/batch/").content.decode()
