"""The batch of dossiers: one background job per township or congress, progress after each PDF,
a zip on disk (one PDF in memory at a time) stored as the job's encrypted result file."""

import io
import zipfile
from unittest import mock

from django.urls import reverse
from pypdf import PdfReader

from renda.dossier import documents
from renda.jobs.models import Job
from renda.jobs.services import job_file_bytes, job_progress


def test_a_congress_batch_runs_as_a_job_with_progress_and_gives_a_zip(
    full_record, congress, users, client, django_capture_on_commit_callbacks
):
    client.force_login(users["county_staff"])
    assert client.get(reverse("dossier:batch")).status_code == 200
    with (
        mock.patch("renda.jobs.services.job_progress", wraps=job_progress) as progress,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("dossier:batch"), {"congress": congress.pk})
    job = Job.objects.get(kind="dossier.batch")
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert job.state == Job.State.SUCCEEDED and job.result["count"] == 2, job.message
    messages = [call.kwargs["message"] for call in progress.call_args_list]
    assert "已生成 1/2 份" in messages and "已生成 2/2 份" in messages
    archive = zipfile.ZipFile(io.BytesIO(job_file_bytes(job)))
    names = archive.namelist()
    assert len(names) == 2 and all(n.endswith(".pdf") for n in names)
    texts = {
        n: "".join(p.extract_text() for p in PdfReader(io.BytesIO(archive.read(n))).pages) for n in names
    }
    wang = next(n for n in names if "王芳" in n)
    assert "视察全县农村公路建设" in texts[wang].replace("\n", "")
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200


def test_a_township_batch_holds_only_the_township_and_the_users_jurisdiction(
    serving, regions, users, client, django_capture_on_commit_callbacks
):
    client.force_login(users["township_staff"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dossier:batch"), {"region": regions["huangnitang"].code})
    job = Job.objects.get(kind="dossier.batch")
    assert job.result["count"] == 1
    client.force_login(users["jiuyi_staff"])  # 黄泥塘镇 is not among 九驿街道's choices
    assert client.post(reverse("dossier:batch"), {"region": regions["huangnitang"].code}).status_code == 400


def test_the_zip_is_written_one_pdf_at_a_time(tmp_path, serving):
    built = []

    def build(deputy):
        built.append(deputy.pk)
        return b"%PDF-" + b"x" * 1000

    path = str(tmp_path / "a.zip")
    seen = []
    count = documents.batch_zip(
        iter([serving["wang"], serving["li"]]),
        build=build,
        path=path,
        report=lambda d, t: seen.append(d),
        total=2,
    )
    assert count == 2 and seen == [1, 2]
    with zipfile.ZipFile(path) as archive:
        assert [i.file_size for i in archive.infolist()] == [1005, 1005]


def test_the_zip_entries_carry_the_local_time_of_generation(tmp_path, serving):
    # A zip stores local wall-clock time without a zone: the entries must say when (in Beijing time)
    # the PDFs were made, not the format's 1980-01-01 default.
    import datetime
    from zoneinfo import ZoneInfo

    moment = datetime.datetime(2026, 11, 29, 18, 30, 42, tzinfo=datetime.UTC)  # 02:30:42 next day there
    path = str(tmp_path / "a.zip")
    with mock.patch("renda.dossier.documents.timezone.now", return_value=moment):
        documents.batch_zip(iter([serving["wang"]]), build=lambda d: b"%PDF-1", path=path)
    local = moment.astimezone(ZoneInfo("Asia/Shanghai"))
    with zipfile.ZipFile(path) as archive:
        stamp = archive.infolist()[0].date_time
    # Zip times have a two-second resolution.
    assert stamp == (2026, 11, 30, 2, 30, local.second - local.second % 2)
