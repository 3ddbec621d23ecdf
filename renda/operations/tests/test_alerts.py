"""Alerts reach a person (log, e-mail, a webhook tested against a local receiver) for lockouts, bursts of
denials, 500s, a dead worker and failed exports; /healthz reports worker, queue, disk and calendar and
answers 503 when something is critical."""

import datetime
import hashlib
import hmac
import http.server
import json
import threading

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from renda.core.alerts import alert_raise
from renda.jobs.models import Job, WorkerBeat
from renda.jobs.services import job_fail
from renda.operations import health
from renda.operations.checks import ops_check


@pytest.fixture(autouse=True)
def _fresh_alerts(settings):
    cache.clear()
    settings.RENDA_ALERT_CHANNELS = "log"
    yield
    cache.clear()


@pytest.fixture
def receiver(settings):
    """A webhook receiver on 127.0.0.1; yields the list of (headers, JSON body) it got."""
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.RENDA_ALERT_CHANNELS = "log,webhook"
    settings.RENDA_ALERT_WEBHOOK_URL = f"http://127.0.0.1:{server.server_address[1]}/hook"
    settings.RENDA_ALERT_WEBHOOK_SECRET = "s3cret"
    yield received
    server.shutdown()
    server.server_close()


def kinds(received) -> list[str]:
    return [json.loads(body)["kind"] for _headers, body in received]


def test_a_webhook_gets_signed_json_once_per_repeat_window(receiver):
    assert alert_raise(kind="test", key="a", title="测试告警", detail="细节")
    assert not alert_raise(kind="test", key="a", title="测试告警")  # the same, again: folded
    assert alert_raise(kind="test", key="b", title="另一条")
    assert kinds(receiver) == ["test", "test"]
    headers, body = receiver[0]
    assert json.loads(body)["title"] == "测试告警"
    expected = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers["X-Renda-Signature"] == expected


def test_a_broken_channel_never_breaks_the_caller(settings, caplog):
    settings.RENDA_ALERT_CHANNELS = "webhook,log"
    settings.RENDA_ALERT_WEBHOOK_URL = "http://127.0.0.1:9/nothing-listens"
    settings.RENDA_ALERT_WEBHOOK_TIMEOUT = 1
    assert alert_raise(kind="test", title="仍然记录到日志")
    assert "仍然记录到日志" in caplog.text and "alert channel WebhookChannel failed" in caplog.text


def test_email_channel(settings):
    settings.RENDA_ALERT_CHANNELS = "email"
    settings.RENDA_ALERT_EMAILS = "ops@example.gov.cn, duty@example.gov.cn"
    alert_raise(kind="test", title="磁盘剩余空间不足", severity="critical")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ops@example.gov.cn", "duty@example.gov.cn"]
    assert "[严重] 磁盘剩余空间不足" in mail.outbox[0].subject


def test_a_lockout_is_alerted(receiver, users, client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(3):
        client.post("/accounts/login/", {"username": "county_staff", "password": "wrong-password-1"})
    assert "lockout" in kinds(receiver)
    alert = json.loads(receiver[kinds(receiver).index("lockout")][1])
    assert "county_staff" in alert["title"]


def test_a_server_error_is_alerted(receiver, client, db, monkeypatch):
    from renda.operations import views

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "health_report", broken)
    client.raise_request_exception = False
    assert client.get("/healthz").status_code == 500
    assert kinds(receiver) == ["server_error"]
    assert json.loads(receiver[0][1])["severity"] == "critical"


def test_a_failed_export_is_alerted_but_a_refused_input_is_not(receiver, users):
    job = Job.objects.create(owner=users["county_staff"], kind="roster_export", title="导出代表名册")
    job_fail(job=job, message="任务执行出错")
    other = Job.objects.create(owner=users["county_staff"], kind="roster_export", title="导出代表名册")
    job_fail(job=other, message="没有可导出的代表", reason="refused")
    assert kinds(receiver) == ["export_failed"]


def test_a_burst_of_denials_is_alerted(receiver, users, client, settings):
    settings.RENDA_ALERT_DENIALS = 5
    client.force_login(users["deputy"])
    for _ in range(6):
        client.get("/audit/")  # a deputy may not read the audit log: denied and recorded
    result = ops_check()
    assert result["denials"] >= 5 and "denials" in result["alerted"]
    assert "denials" in kinds(receiver)


def test_a_dead_worker_is_alerted_and_makes_healthz_critical(receiver, client, db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    WorkerBeat.objects.create(worker_id="w1", last_seen=timezone.now() - datetime.timedelta(minutes=10))
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "critical" and body["checks"]["worker"]["age_seconds"] >= 600
    assert "health_worker" in kinds(receiver) or "worker" in ops_check()["alerted"]
    assert "health_worker" in kinds(receiver)
    WorkerBeat.objects.update(last_seen=timezone.now())
    assert client.get("/healthz").status_code == 200


def test_healthz_reports_queue_disk_and_calendar(client, users, settings, monkeypatch):
    body = json.loads(client.get("/healthz").content)
    assert body["database"] == "ok" and set(body["checks"]) == {
        "database", "worker", "queue", "disk", "holiday_calendar"
    }  # fmt: skip
    assert body["checks"]["disk"]["free_mb"] > 0
    assert body["checks"]["holiday_calendar"]["year"] == timezone.localdate().year + 1
    job = Job.objects.create(owner=users["county_staff"], kind="x", title="x")
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=30))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["queue"]["oldest_queued_seconds"] >= 1800
    settings.RENDA_DISK_CRITICAL_MB = 10**9
    assert health.check_disk()["status"] == "critical"


def test_the_calendar_check_reads_the_calendar_when_there_is_one(monkeypatch):
    monkeypatch.setattr(health, "calendar_covers", lambda year: None)
    assert health.check_calendar()["status"] == "unknown"
    monkeypatch.setattr(health, "calendar_covers", lambda year: False)
    assert health.check_calendar()["status"] == "warning"
    monkeypatch.setattr(health, "calendar_covers", lambda year: True)
    assert health.check_calendar()["status"] == "ok"
