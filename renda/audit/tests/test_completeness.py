"""Issue 13 §2: every record names its account (or "anonymous" with the address), jobs carry who
started them and from where, failures are recorded, and a flood folds into counted rows."""

import datetime

import time_machine
from django.db.models import Sum
from django.test import Client, override_settings

from renda.audit.models import AuditEntry
from renda.audit.services import audit_record
from renda.conftest import PASSWORD
from renda.core import context
from renda.jobs.models import Job
from renda.jobs.services import job_run, job_start


def test_api_object_denial_names_the_token_holder(users, deputies):
    client = Client(REMOTE_ADDR="10.4.4.4")
    token = client.post(
        "/api/v1/auth/token",
        {"username": "township_staff", "password": PASSWORD},
        content_type="application/json",
    ).json()["token"]
    li = deputies["li"]  # 九驿街道: outside 黄泥塘镇
    response = client.get(f"/api/v1/deputies/{li.pk}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404
    entry = AuditEntry.objects.filter(action="access.denied").latest("id")
    assert entry.actor_username == "township_staff" and entry.ip == "10.4.4.4"
    assert entry.actor_id == users["township_staff"].pk


def test_anonymous_events_say_anonymous_with_the_address(db):
    client = Client(REMOTE_ADDR="10.5.5.5")
    client.post("/accounts/login/", {"username": "", "password": "x"})
    client.get("/deputies/")  # redirected to login; a public page denies nothing
    token = context.set_current(context.RequestContext(ip="10.5.5.5"))
    try:
        entry = audit_record(action="test.anonymous", outcome="denied")
    finally:
        context.reset(token)
    assert entry.actor_username == "anonymous" and entry.ip == "10.5.5.5"
    # Outside any request (a command): the system, not "anonymous".
    assert audit_record(action="test.system").actor_username == "system"


def test_job_records_who_started_it_and_from_where(users, deputies):
    from renda.deputies.services import deputy_update

    token = context.set_current(
        context.RequestContext(user_id=users["county_staff"].pk, username="county_staff", ip="10.6.6.6")
    )

    class FakeTask:
        @staticmethod
        def enqueue(job_id):
            pass

    try:
        job = job_start(owner=users["county_staff"], kind="test", title="测试", task=FakeTask)
    finally:
        context.reset(token)
    assert job.started_ip == "10.6.6.6"

    # The worker runs with no request: writes inside the job still name the owner and address.
    def work(job, report):
        deputy_update(deputy=deputies["wang"], data={"workplace": "县医院"})

    job_run(str(job.pk), work)
    entry = AuditEntry.objects.filter(action="deputy.update").latest("id")
    assert entry.actor_username == "county_staff" and entry.ip == "10.6.6.6"
    assert f"job={job.pk}" in entry.detail or entry.changes


def test_failed_job_is_recorded(users):
    from renda.core.errors import DomainError

    class FakeTask:
        @staticmethod
        def enqueue(job_id):
            pass

    job = job_start(owner=users["county_staff"], kind="test", title="测试", task=FakeTask)

    def work(job, report):
        raise DomainError("文件格式不对")

    job_run(str(job.pk), work)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    entry = AuditEntry.objects.get(action="job.fail")
    assert entry.outcome == "failure" and "文件格式不对" in entry.detail
    assert entry.actor_username == "county_staff"


@override_settings(RENDA_AUDIT_FOLD_SECONDS=60)
def test_identical_events_from_one_source_fold_into_a_counted_row(db):
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(60):
            audit_record_denial("10.8.8.8", "/x/1")
        other = audit_record_denial("10.8.8.9", "/x/1")
        assert AuditEntry.objects.filter(action="access.denied", ip="10.8.8.8").count() == 1
        traveller.shift(datetime.timedelta(seconds=61))
        audit_record_denial("10.8.8.8", "/x/1")  # a new interval: the last one is summed up first
    rows = AuditEntry.objects.filter(action="access.denied", ip="10.8.8.8").order_by("id")
    assert [r.count for r in rows] == [1, 59, 1]
    assert rows.aggregate(n=Sum("count"))["n"] == 61
    assert "/x/1" in rows[1].detail and rows[1].actor_username == "anonymous"
    assert other.ip == "10.8.8.9" and other.count == 1


@override_settings(RENDA_AUDIT_FOLD_SECONDS=60, RENDA_AUDIT_FOLD_BURST=10)
def test_a_varied_flood_from_one_source_is_capped_per_interval(db):
    """A scanner probing a different address each time: at most BURST rows, then one counted row."""
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        for i in range(200):
            audit_record_denial("10.8.8.8", f"/x/{i}")
        traveller.shift(datetime.timedelta(seconds=61))
        audit_record(action="test.other")  # any later write sums up the closed interval
    rows = AuditEntry.objects.filter(action="access.denied", ip="10.8.8.8").order_by("id")
    assert rows.count() == 11
    assert rows.aggregate(n=Sum("count"))["n"] == 200
    assert rows.last().count == 190 and "/x/10 " in rows.last().detail


def audit_record_denial(ip, path):
    token = context.set_current(context.RequestContext(ip=ip))
    try:
        return audit_record(action="access.denied", outcome="denied", detail=f"{path} permission=x")
    finally:
        context.reset(token)


def test_successes_never_fold(db):
    for _ in range(5):
        audit_record(action="test.ok")
    assert AuditEntry.objects.filter(action="test.ok").count() == 5
