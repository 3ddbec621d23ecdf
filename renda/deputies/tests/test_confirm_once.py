"""确认导入 twice (a double click, or two clerks): the state changes under a row lock, exactly one import
job runs, and the second confirm is told "已在导入中" or "已导入" instead of failing the import."""

import threading
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from renda.core.errors import DomainError
from renda.deputies.models import Deputy, RosterImport
from renda.deputies.tasks import roster_import_confirm, roster_import_start
from renda.jobs.models import Job

from .conftest import make_id, workbook_bytes

ROWS = [
    ["序号", "姓名", "性别", "公民身份号码", "选区"],
    [1, "张三", "男", make_id("19800101", 11), "第41选区"],
]


def _checked(congresses, users, capture) -> RosterImport:
    with capture(execute=True):
        batch = roster_import_start(
            actor=users["county_staff"],
            congress=congresses["county"],
            upload=SimpleUploadedFile("名册.xlsx", workbook_bytes(ROWS)),
        )
    batch.refresh_from_db()
    assert batch.state == RosterImport.State.CHECKED
    return batch


def test_a_second_confirm_is_told_the_import_is_under_way_then_done(
    congresses, users, django_capture_on_commit_callbacks
):
    batch = _checked(congresses, users, django_capture_on_commit_callbacks)
    stale = RosterImport.objects.get(pk=batch.pk)  # the second clerk's page, loaded before the click
    with django_capture_on_commit_callbacks(execute=False) as pending:
        roster_import_confirm(actor=users["county_staff"], batch=batch)
    with pytest.raises(DomainError, match="已在导入中"):
        roster_import_confirm(actor=users["county_staff"], batch=stale)
    for callback in pending:
        callback()
    batch.refresh_from_db()
    assert batch.state == RosterImport.State.IMPORTED and Deputy.objects.filter(name="张三").count() == 1
    with pytest.raises(DomainError, match="已导入"):
        roster_import_confirm(actor=users["county_staff"], batch=stale)
    assert Job.objects.filter(kind="roster_import").count() == 1


def test_a_repeated_delivery_of_the_import_job_changes_nothing(
    congresses, users, django_capture_on_commit_callbacks
):
    from renda.deputies.imports import roster_import_run

    batch = _checked(congresses, users, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        roster_import_confirm(actor=users["county_staff"], batch=batch)
    batch.refresh_from_db()
    roster_import_run(str(batch.import_job_id))  # delivered again after it finished
    batch.refresh_from_db()
    assert batch.state == RosterImport.State.IMPORTED and "已导入" in batch.message


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between threads need PostgreSQL")
def test_two_clerks_confirming_at_once_start_one_import(congresses, users):
    batch = RosterImport.objects.create(
        owner=users["county_staff"],
        congress=congresses["county"],
        filename="x.xlsx",
        content="",
        summary={"error": 0},
    )
    RosterImport.objects.filter(pk=batch.pk).update(state=RosterImport.State.CHECKED)
    outcomes, barrier = [], threading.Barrier(2)

    def click():
        from django.db import connection as thread_connection

        barrier.wait()
        try:
            from unittest import mock

            with mock.patch("renda.deputies.tasks.job_start", return_value=None):
                roster_import_confirm(
                    actor=users["county_staff"], batch=RosterImport.objects.get(pk=batch.pk)
                )
            outcomes.append("started")
        except DomainError as exc:
            outcomes.append(exc.message)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    with mock.patch("renda.deputies.tasks.job_start", return_value=None):  # the lock is what is tested
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(outcomes) == sorted(["started", "该名册已在导入中，请稍候查看结果"])
