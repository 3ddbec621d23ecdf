"""A roster import adds mandates in bulk (no post_save per row): the published scheme of their
congress still counts the new deputies at once (deputies.signals.mandates_written)."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from renda.deputies.models import Deputy
from renda.deputies.tasks import roster_import_confirm, roster_import_start
from renda.deputies.tests.conftest import make_id, workbook_bytes
from renda.points.models import Standing
from renda.points.services import scheme_import, scheme_publish

from .conftest import SHAPE_B


def test_deputies_imported_into_a_congress_get_its_published_base(
    congress, members, users, django_capture_on_commit_callbacks
):
    scheme = scheme_publish(actor=None, scheme=scheme_import(actor=None, congress=congress, document=SHAPE_B))
    rows = [
        ["序号", "姓名", "性别", "公民身份号码", "所在乡镇（街道）"],
        [1, "张三", "男", make_id("19800101", 11), "黄泥塘镇"],
        [2, "李四", "男", make_id("19810101", 13), "九驿街道"],
    ]
    staff = users["county_staff"]
    with django_capture_on_commit_callbacks(execute=True):
        batch = roster_import_start(
            actor=staff, congress=congress, upload=SimpleUploadedFile("名册.xlsx", workbook_bytes(rows))
        )
    batch.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        roster_import_confirm(actor=staff, batch=batch)
    batch.refresh_from_db()
    assert batch.state == "imported", batch.message
    for name in ("张三", "李四"):
        deputy = Deputy.objects.get(name=name)
        year = Standing.objects.get(scheme=scheme, deputy=deputy, period="year", index=1)
        assert year.total == Decimal("60.00")
