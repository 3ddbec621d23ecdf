"""Every service that writes leaves an audit record: walk them all."""

import datetime
import io

from renda.accounts.services import user_create, user_set_password, user_update
from renda.audit.models import AuditEntry
from renda.deputies.services import deputy_create, deputy_reveal, deputy_update
from renda.duty_records.models import DutyRecord
from renda.duty_records.services import duty_record_add, duty_record_review
from renda.organizations.services import organization_create
from renda.regions.services import regions_load_csv


def _writes(action):
    return AuditEntry.objects.filter(action=action).count()


def test_each_service_write_leaves_a_record(regions, users, deputies):
    staff = users["county_staff"]
    checks = [
        ("user.create", lambda: user_create(username="n1", password="Abcdef#12345", role="deputy")),
        ("user.update", lambda: user_update(actor=staff, user=users["leader"], data={"full_name": "张国华"})),
        ("user.password_change", lambda: user_set_password(user=users["leader"], password="Other#Pass2026")),
        (
            "organization.create",
            lambda: organization_create(name="县教育局", kind="handling_unit", region=regions["county"]),
        ),
        (
            "deputy.create",
            lambda: deputy_create(actor=staff, name="赵六", gender="male", region=regions["jiuyi"]),
        ),
        (
            "deputy.update",
            lambda: deputy_update(actor=staff, deputy=deputies["li"], data={"ethnicity": "彝族"}),
        ),
        (
            "personal_data.reveal",
            lambda: deputy_reveal(actor=staff, deputy=deputies["li"], field="id_number"),
        ),
        (
            "regions.load",
            lambda: regions_load_csv(
                stream=io.StringIO("code,name,level,parent_code\n520521105003,新村,village,520521105\n")
            ),
        ),
        (
            "duty_record.create",
            lambda: duty_record_add(
                deputy=deputies["li"],
                kind="meeting",
                title="列席常委会会议",
                occurred_on=datetime.date(2026, 1, 5),
            ),
        ),
    ]
    for action, write in checks:
        before = _writes(action)
        write()
        assert _writes(action) == before + 1, action
    declared = duty_record_add(
        deputy=deputies["li"],
        kind="contact",
        title="走访",
        occurred_on=datetime.date(2026, 1, 6),
        origin=DutyRecord.Origin.DECLARED,
    )
    before = _writes("duty_record.review")
    duty_record_review(record=declared, approve=True, actor=staff)
    assert _writes("duty_record.review") == before + 1
    assert (
        AuditEntry.objects.filter(actor_username="county_staff").exclude(ip=None).count() == 0
    )  # no request here


def test_failed_writes_leave_nothing_half_written(regions, users):
    from renda.core.errors import DomainError

    count = AuditEntry.objects.count()
    try:
        user_create(username="bad", password="weak", role="township_staff", region=regions["huangnitang"])
    except DomainError as exc:
        assert exc.field == "password"
    assert AuditEntry.objects.count() == count
    try:
        regions_load_csv(
            stream=io.StringIO(
                "code,name,level,parent_code\n520521105009,甲村,village,520521105\n9x,乙,village,\n"
            )
        )
    except DomainError as exc:
        assert "第3行" in exc.message
    from renda.regions.models import Region

    assert not Region.objects.filter(code="520521105009").exists()
