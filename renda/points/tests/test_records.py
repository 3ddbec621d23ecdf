"""Staff pages that feed the spine: add a duty record for a deputy in their jurisdiction (a scoped
picker, structured attributes a rule matches on) and review declarations (approve, reject, or
approve and adjust the points with a reason)."""

import datetime
from decimal import Decimal

import pytest

from renda.audit.models import AuditEntry
from renda.duty_records.models import DutyRecord
from renda.duty_records.services import duty_record_add
from renda.points.models import LedgerEntry, Standing
from renda.points.services import scheme_import, scheme_publish

from .conftest import SHAPE_A, YEAR

ADD = "/points/records/new/"
REVIEW = "/points/records/declarations/"


@pytest.fixture
def scheme(congress, members):
    """Shape (a), with the lead author of a suggestion counted apart from a co-signer."""
    document = {**SHAPE_A, "rules": [
        {"code": "lead", "name": "领衔建议", "category": "all", "kinds": ["suggestion"],
         "match": {"role": "lead"}, "points": 3},
        {"code": "cosign", "name": "联名建议", "category": "all", "kinds": ["suggestion"],
         "match": {"role": "cosigner"}, "points": 1},
        {"code": "leave", "name": "会议请假", "category": "all", "kinds": ["leave"],
         "mode": "per_unit", "unit": "half_day", "points": -1},
    ]}  # fmt: skip
    return scheme_publish(actor=None, scheme=scheme_import(actor=None, congress=congress, document=document))


def total(scheme, deputy) -> Decimal:
    return Standing.objects.get(scheme=scheme, deputy=deputy, period="year", index=1).total


def test_staff_add_a_record_with_the_attributes_a_rule_matches(scheme, members, users, login):
    wang = members["wang"]
    client = login(users["township_staff"])
    page = client.get(ADD).content.decode()
    assert "/pick/points-record-deputy/" in page and 'name="role"' in page
    # The picker finds deputies of the staff member's own township only.
    found = client.get("/pick/points-record-deputy/", {"q": "王", "field": "deputy"}).content.decode()
    assert "黄泥塘镇" in found
    assert (
        "李明"
        not in client.get("/pick/points-record-deputy/", {"q": "李", "field": "deputy"}).content.decode()
    )
    response = client.post(ADD, {
        "deputy": wang.pk, "kind": "suggestion", "occurred_on": f"{YEAR}-03-02",
        "title": "关于修缮村道的建议", "quantity": "1", "unit": "次", "role": "lead", "stage": "submitted",
    })  # fmt: skip
    assert response.status_code == 302
    record = DutyRecord.objects.get(title="关于修缮村道的建议")
    assert record.attributes == {"role": "lead", "stage": "submitted"}
    assert record.origin == "system" and record.review_state == "approved"
    assert AuditEntry.objects.filter(action="duty_record.create", object_id=str(record.pk)).exists()
    # Counted at once by the lead rule (3), not the co-signer's (1).
    assert LedgerEntry.objects.get(record=record).rule.code == "lead"
    assert total(scheme, wang) == Decimal("3.00")
    # Half days of leave: 1.5 天 = 3 half days = −3.
    client.post(ADD, {
        "deputy": wang.pk, "kind": "leave", "occurred_on": f"{YEAR}-03-05",
        "title": "请假", "quantity": "1.5", "unit": "天",
    })  # fmt: skip
    assert total(scheme, wang) == Decimal("0.00")


def test_a_deputy_outside_the_jurisdiction_or_bad_input_writes_nothing(scheme, members, users, login):
    client = login(users["township_staff"])
    before = DutyRecord.objects.count()
    response = client.post(ADD, {
        "deputy": members["li"].pk, "kind": "suggestion", "occurred_on": f"{YEAR}-03-02",
        "title": "越权", "quantity": "1", "unit": "次",
    })  # fmt: skip
    assert response.status_code == 400 and "所选代表不在您的管辖范围内" in response.content.decode()
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    response = client.post(ADD, {
        "deputy": members["wang"].pk, "kind": "survey", "occurred_on": tomorrow.isoformat(),
        "title": "明天的调研", "quantity": "1", "unit": "次",
    })  # fmt: skip
    assert response.status_code == 400 and "履职日期不能晚于今天" in response.content.decode()
    assert DutyRecord.objects.count() == before
    # Pages for staff only: a deputy, a handling unit and the auditor get "not found".
    for name in ("deputy", "unit", "auditor"):
        assert login(users[name]).get(ADD).status_code == 404
        assert login(users[name]).get(REVIEW).status_code == 404


def _declare(deputy, title, day=5):
    return duty_record_add(
        deputy=deputy, kind="suggestion", title=title, occurred_on=datetime.date(YEAR, 4, day),
        origin=DutyRecord.Origin.DECLARED, attributes={"role": "lead"},
    )  # fmt: skip


def test_review_approve_reject_and_adjust_with_a_reason(
    scheme, members, users, login, django_assert_max_num_queries
):
    wang, li = members["wang"], members["li"]
    approve, reject, adjust = (_declare(wang, "甲"), _declare(wang, "乙"), _declare(li, "丙"))
    for n in range(5):
        _declare(li, f"待审{n}", day=10 + n)
    client = login(users["county_staff"])
    with django_assert_max_num_queries(14):
        page = client.get(REVIEW).content.decode()
    assert "甲" in page and "丙" in page and "待审4" in page and f'name="r{adjust.pk}-category"' in page
    client.post(REVIEW, {"record": approve.pk, f"r{approve.pk}-decision": "approve"})
    assert total(scheme, wang) == Decimal("3.00")
    # Rejecting needs a note; nothing changes without one.
    response = client.post(REVIEW, {"record": reject.pk, f"r{reject.pk}-decision": "reject"})
    assert response.status_code == 400 and "退回申报时请填写审核意见" in response.content.decode()
    reject.refresh_from_db()
    assert reject.review_state == "pending"
    client.post(
        REVIEW, {"record": reject.pk, f"r{reject.pk}-decision": "reject", f"r{reject.pk}-note": "无佐证"}
    )
    reject.refresh_from_db()
    assert reject.review_state == "rejected" and total(scheme, wang) == Decimal("3.00")
    # Adjust: approved (3) and −1 with the reason as the ledger line's reason.
    category = scheme.categories.get()
    response = client.post(REVIEW, {
        "record": adjust.pk, f"r{adjust.pk}-decision": "adjust", f"r{adjust.pk}-note": "建议内容较简单",
        f"r{adjust.pk}-category": category.pk, f"r{adjust.pk}-points": "-1",
    })  # fmt: skip
    assert response.status_code == 302
    line = LedgerEntry.objects.get(kind="adjustment", record=adjust)
    assert line.points == Decimal("-1.00") and line.reason == "建议内容较简单"
    assert total(scheme, li) == Decimal("2.00")
    # An adjustment without its reason is refused and leaves the declaration pending.
    other = DutyRecord.objects.get(title="待审0")
    response = client.post(REVIEW, {
        "record": other.pk, f"r{other.pk}-decision": "adjust", f"r{other.pk}-category": category.pk,
        f"r{other.pk}-points": "2",
    })  # fmt: skip
    assert response.status_code == 400 and "调整分值时请填写原因" in response.content.decode()
    other.refresh_from_db()
    assert other.review_state == "pending"


def test_township_staff_review_their_township_only_and_cannot_adjust(scheme, members, users, login):
    mine, theirs = _declare(members["wang"], "本镇申报"), _declare(members["li"], "他镇申报")
    client = login(users["township_staff"])
    page = client.get(REVIEW).content.decode()
    assert "本镇申报" in page and "他镇申报" not in page and "-category" not in page
    assert client.post(REVIEW, {"record": theirs.pk, f"r{theirs.pk}-decision": "approve"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.review_state == "pending"
    client.post(REVIEW, {"record": mine.pk, f"r{mine.pk}-decision": "approve"})
    mine.refresh_from_db()
    assert mine.review_state == "approved"


def test_the_duty_records_review_page_offers_adjusting_a_records_points_with_a_reason(
    scheme, members, users, login
):
    wang = members["wang"]
    declared = _declare(wang, "申报甲")
    client = login(users["county_staff"])
    page = client.get("/duty-records/?review_state=pending").content.decode()
    link = f"/points/records/{declared.pk}/adjust/"
    assert link in page  # where the home page's "待审核的履职申报" leads reviewers
    form = client.get(link).content.decode()
    assert "申报甲" in form and 'name="reason"' in form and 'name="points"' in form
    category = scheme.categories.get()
    # A reason is required; nothing is written without one.
    refused = client.post(link, {"category": category.pk, "points": "-1", "reason": ""})
    assert refused.status_code == 400 and "调整原因" in refused.content.decode()
    assert not LedgerEntry.objects.filter(kind="adjustment").exists()
    response = client.post(link, {"category": category.pk, "points": "-1", "reason": "佐证不足"})
    assert response.status_code == 302
    declared.refresh_from_db()
    line = LedgerEntry.objects.get(kind="adjustment", record=declared)
    assert declared.review_state == "approved"  # adjusting a pending declaration approves it
    assert (line.points, line.reason) == (Decimal("-1.00"), "佐证不足") and total(scheme, wang) == Decimal(
        "2.00"
    )
    # An approved record may be adjusted again later (its own ledger line); a rejected one may not.
    client.post(link, {"category": category.pk, "points": "0.5", "reason": "复核加分"})
    assert total(scheme, wang) == Decimal("2.50")
    rejected = _declare(wang, "申报乙", day=6)
    client.post(
        REVIEW, {"record": rejected.pk, f"r{rejected.pk}-decision": "reject", f"r{rejected.pk}-note": "重复"}
    )
    response = client.post(
        f"/points/records/{rejected.pk}/adjust/", {"category": category.pk, "points": "1", "reason": "x"}
    )
    assert response.status_code == 400 and "已退回" in response.content.decode()
    # Without points.manage: no link, and the page is "not found".
    township = login(users["township_staff"])
    assert link not in township.get("/duty-records/").content.decode()
    assert township.get(link).status_code == 404
