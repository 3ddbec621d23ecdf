"""The audit log: append-only, kept for at least 184 days, searchable and exportable by the auditor."""

import datetime
import io

import pytest
from django.test import override_settings
from django.utils import timezone
from openpyxl import load_workbook

from renda.audit.models import AppendOnlyError, AuditEntry
from renda.audit.services import audit_prune, audit_record
from renda.deputies.services import deputy_update
from renda.jobs.models import Job


def test_entries_cannot_be_changed_or_deleted(db):
    entry = audit_record(action="test.event")
    entry.detail = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.update(detail="x")


@override_settings(RENDA_AUDIT_RETENTION_DAYS=30)
def test_retention_never_goes_below_184_days(db):
    now = timezone.now()
    # In time order, as entries are written (the chain prunes a prefix of ids).
    for days in (400, 185, 183, 100, 10):
        AuditEntry.objects.create(occurred_at=now - datetime.timedelta(days=days), action=f"old.{days}")
    assert audit_prune(now=now) == 2
    left = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"old.10", "old.100", "old.183"} <= left and not {"old.185", "old.400"} & left
    assert "audit.prune" in left


def test_changed_fields_are_recorded_and_personal_data_masked(deputies, users):
    wang = deputies["wang"]
    deputy_update(
        actor=users["county_staff"], deputy=wang, data={"phone": "13900001111", "workplace": "黄泥塘镇卫生院"}
    )
    entry = AuditEntry.objects.filter(action="deputy.update").latest("occurred_at")
    assert entry.actor_username == "county_staff"
    assert entry.changes["workplace"] == ["", "黄泥塘镇卫生院"]
    assert entry.changes["phone"] == ["138****5678", "139****1111"]
    assert "13900001111" not in str(AuditEntry.objects.values_list("changes", flat=True)[::1])


def test_auditor_searches_by_user_action_and_date(users, client):
    client.force_login(users["county_staff"])
    client.get("/audit/")  # a denial for county_staff
    client.force_login(users["auditor"])
    response = client.get("/audit/", {"actor": "county_staff", "action": "access.denied"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "access.denied" in body and "county_staff" in body
    today = timezone.localdate().isoformat()
    assert client.get("/audit/", {"date_from": today, "date_to": today}).status_code == 200
    bad = client.get("/audit/", {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert "截止日期不能早于起始日期" in bad.content.decode()


def test_audit_list_query_count_is_constant(users, client, django_assert_max_num_queries):
    for i in range(60):
        audit_record(action=f"bulk.{i}")
    client.force_login(users["auditor"])
    client.get("/audit/")
    with django_assert_max_num_queries(6):
        assert client.get("/audit/").status_code == 200


def test_auditor_exports_through_a_background_job(users, client, django_capture_on_commit_callbacks):
    for i in range(5):
        audit_record(action="export.sample", detail=f"row {i}")
    client.force_login(users["auditor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/audit/export/", {"action": "export.sample"})
    job = Job.objects.get(kind="audit_export")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.state == "succeeded" and job.percent == 100 and job.result["count"] == 5
    progress = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"})
    assert progress.status_code == 200 and "100" in progress.content.decode()
    download = client.get(f"/jobs/{job.pk}/download/")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("时间", "用户", "事件")
    assert len(rows) == 6 and all(r[2] == "export.sample" for r in rows[1:])
    assert "+08:00" in rows[1][0]
    assert AuditEntry.objects.filter(action="audit.export", actor_username="auditor").exists()
    # Nobody else can see the job or its file.
    client.force_login(users["county_staff"])
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404


def test_prune_command(db):
    from django.core.management import call_command

    AuditEntry.objects.create(occurred_at=timezone.now() - datetime.timedelta(days=900), action="ancient")
    call_command("audit_prune", verbosity=0)
    assert not AuditEntry.objects.filter(action="ancient").exists()


def test_audit_page_shows_every_shape_of_change(users, client):
    audit_record(
        action="shape.test", changes={"user": None, "state": ["pending", "approved"], "tags": [1, 2, 3]}
    )
    client.force_login(users["auditor"])
    body = client.get("/audit/", {"action": "shape.test"}).content.decode()
    assert "pending → approved" in body and "1、2、3" in body and "<dd>—</dd>" in body


def test_a_formula_typed_as_a_username_stays_text_in_the_export(
    users, client, django_capture_on_commit_callbacks
):
    # Anyone can type anything as a username at the login page; the auditor's Excel must not run it.
    client.post("/accounts/login/", {"username": '=HYPERLINK("http://evil.example")', "password": "x"})
    client.force_login(users["auditor"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/audit/export/", {"action": "auth.login_failed"})
    job = Job.objects.get(kind="audit_export")
    sheet = load_workbook(
        io.BytesIO(b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content))
    ).active
    cell = sheet.cell(row=2, column=2)
    assert cell.data_type == "s" and cell.quotePrefix and cell.value == '=HYPERLINK("http://evil.example")'


def test_a_control_character_typed_as_a_username_never_breaks_the_export(
    users, client, django_capture_on_commit_callbacks
):
    """Issue 13 §2: U+0007 typed at the login page made every export fail while the row was kept."""
    client.post("/accounts/login/", {"username": "ad\x07min", "password": "x"})
    assert AuditEntry.objects.filter(actor_username="ad\x07min").exists()  # the record keeps it
    client.force_login(users["auditor"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/audit/export/", {"action": "auth.login_failed"})
    job = Job.objects.get(kind="audit_export")
    assert job.state == Job.State.SUCCEEDED
    sheet = load_workbook(
        io.BytesIO(b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content))
    ).active
    assert sheet.cell(row=2, column=2).value == "ad␇min"


def test_audit_page_shows_control_and_format_characters_visibly(users, client):
    """'ad' BEL 'min' at a failed login reads ad␇min on the page (as in the export), never admin; a
    zero-width space in a detail or a change reads [U+200B]."""
    AuditEntry.objects.create(
        occurred_at=timezone.now(),
        action="visible.test",
        outcome="denied",
        actor_username="ad\x07min",
        object_type="deputies.deputy",
        object_repr="王\u200b芳",
        detail="密码\x0b错误\u200d",
        changes={"name": ["张\u200b三", "张三\x1b"]},
    )
    client.force_login(users["auditor"])
    body = client.get("/audit/", {"action": "visible.test"}).content.decode()
    assert "ad␇min" in body and "王[U+200B]芳" in body and "密码␋错误[U+200D]" in body
    assert "张[U+200B]三 → 张三␛" in body
    assert not any(c in body for c in "\x07\x0b\x1b\u200b\u200d")


def test_every_audit_template_shows_stored_text_through_the_visible_filter():
    """Each {{ e.<text field> }} of the audit views goes through |visible (a new column must too)."""
    import re
    from pathlib import Path

    templates = Path(__file__).resolve().parents[1] / "templates"
    raw = []
    for path in templates.rglob("*.html"):
        for match in re.finditer(
            r"{{\s*(e\.(?:actor_username|object_repr|detail|ip)|key|value)\b([^}]*)}}", path.read_text()
        ):
            if "|visible" not in match.group(2) and "|change_display" not in match.group(2):
                raw.append(f"{path.name}: {match.group(0)}")
    assert not raw, raw
