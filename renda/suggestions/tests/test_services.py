"""Every transition driven through its service: what it writes, the event, the audit, the duty records."""

import datetime
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import Http404
from django.utils import timezone

from renda.audit.models import AuditEntry
from renda.core.errors import ConcurrentUpdate, DomainError, InvalidTransition
from renda.deputies.services import deputy_create
from renda.duty_records.models import DutyRecord
from renda.suggestions import services
from renda.suggestions.models import (
    Assignment,
    Contact,
    Evaluation,
    Extension,
    MicroFund,
    State,
    Suggestion,
    SuggestionCounter,
)


def _events(suggestion):
    return list(suggestion.events.values_list("action", "from_state", "to_state"))


def test_draft_then_submit_records_lead_and_cosigner(make, users, deputies):
    suggestion = make("draft", cosigners=[deputies["li"]])
    assert suggestion.state == State.DRAFT and suggestion.number is None
    assert suggestion.tokens  # segmented for the similarity search
    services.suggestion_submit(actor=users["deputy"], suggestion=suggestion)
    assert suggestion.state == State.SUBMITTED and suggestion.submitted_at is not None
    assert _events(suggestion) == [("submit", "draft", "submitted")]
    event = suggestion.events.get()
    assert event.actor == users["deputy"] and event.actor_name == "deputy"
    records = DutyRecord.objects.filter(source_type="suggestions.suggestion", source_id=str(suggestion.pk))
    assert sorted((r.deputy.name, r.kind) for r in records) == [
        ("李明", "suggestion"),
        ("王芳", "suggestion"),
    ]
    assert "领衔" in records.get(deputy=deputies["wang"]).title
    assert "联名" in records.get(deputy=deputies["li"]).title
    audit = AuditEntry.objects.get(action="suggestion.submit")
    assert audit.changes["state"] == ["draft", "submitted"] and audit.object_id == str(suggestion.pk)


def test_resubmission_after_revision_records_nothing_twice(make, users):
    suggestion = make("revision")
    assert suggestion.decision_reason == "请补充具体路段"
    services.suggestion_update(
        actor=users["deputy"], suggestion=suggestion, data={"title": "关于修复通村公路K3段的建议"}
    )
    services.suggestion_submit(actor=users["deputy"], suggestion=suggestion)
    assert suggestion.state == State.SUBMITTED and suggestion.title == "关于修复通村公路K3段的建议"
    assert (
        DutyRecord.objects.filter(source_id=str(suggestion.pk), source_type="suggestions.suggestion").count()
        == 1
    )


def test_only_the_lead_deputy_may_write_in_their_name(users, deputies):
    with pytest.raises(DomainError) as info:
        services.suggestion_create(
            actor=users["deputy"], lead_deputy=deputies["li"], title="标题", body="内容", category="transport"
        )
    assert info.value.field == "lead_deputy"
    assert not Suggestion.objects.exists()


def test_accept_numbers_without_gaps_per_term_and_session(make, users):
    first, second = make("submitted"), make("submitted", title="第二件", body="第二件建议的内容")
    services.suggestion_accept(actor=users["county_staff"], suggestion=second)
    services.suggestion_accept(actor=users["county_staff"], suggestion=first)
    assert (second.number, first.number) == (1, 2)
    assert first.number_label == "第18届第3次会议第002号"
    counter = SuggestionCounter.objects.get(term=18, session=3, kind="suggestion")
    assert counter.last_number == 2
    # The lead deputy's record notes the acceptance, with the event as its source.
    record = DutyRecord.objects.get(
        source_type="suggestions.suggestionevent", deputy=first.lead_deputy, title__contains="002"
    )
    assert record.kind == "suggestion" and "建议被立案" in record.title


def test_a_refused_accept_leaves_no_gap(make, users):
    submitted, draft = make("submitted"), make("draft", title="草稿", body="草稿内容")
    with pytest.raises(InvalidTransition):
        services.suggestion_accept(actor=users["county_staff"], suggestion=draft)
    services.suggestion_accept(actor=users["county_staff"], suggestion=submitted)
    assert submitted.number == 1


def test_reject_needs_a_reason_and_motion_can_become_suggestion(make, users, deputies, regions):
    staff = users["county_staff"]
    others = [deputy_create(name=f"代表{i}", gender="male", region=regions["jiuyi"]) for i in range(9)]
    motion = make(
        "draft", kind="motion", cosigners=others, title="关于制定农村人居环境条例的议案", body="议案内容"
    )
    services.suggestion_submit(actor=users["deputy"], suggestion=motion)
    assert motion.kind == "motion"  # 10 deputies jointly
    with pytest.raises(DomainError) as info:
        services.suggestion_reject(actor=staff, suggestion=motion, reason=" ")
    assert info.value.field == "note" and motion.state == State.SUBMITTED
    services.suggestion_reject(actor=staff, suggestion=motion, reason="不属于本级人大职权范围")
    assert motion.state == State.NOT_ACCEPTED
    services.suggestion_convert(actor=staff, suggestion=motion)
    assert (motion.state, motion.kind) == (State.SUBMITTED, "suggestion")
    assert _events(motion)[-1] == ("convert", "not_accepted", "submitted")
    suggestion = make("not_accepted", title="一件建议", body="一件建议的内容")
    with pytest.raises(InvalidTransition, match="只有不予立案的议案"):
        services.suggestion_convert(actor=staff, suggestion=suggestion)


def test_motion_without_enough_deputies_is_handled_as_suggestion(make, users, deputies):
    motion = make("draft", kind="motion", cosigners=[deputies["li"]])
    services.suggestion_submit(actor=users["deputy"], suggestion=motion)
    assert motion.kind == "suggestion"
    assert "按建议处理" in motion.events.get(action="submit").note
    delegation = make("draft", kind="motion", title="代表团议案", body="代表团议案内容")
    Suggestion.objects.filter(pk=delegation.pk).update(by_delegation=True, delegation_name="黄泥塘镇代表团")
    delegation.refresh_from_db()
    services.suggestion_submit(actor=users["deputy"], suggestion=delegation)
    assert delegation.kind == "motion"
    services.suggestion_accept(actor=users["county_staff"], suggestion=delegation)
    assert delegation.number_label == "第18届第3次会议议案第001号"
    assert DutyRecord.objects.filter(deputy=deputies["wang"], kind="motion").count() == 2


def test_withdraw_by_the_deputy(make, users):
    suggestion = make("submitted")
    services.suggestion_withdraw(actor=users["deputy"], suggestion=suggestion)
    assert suggestion.state == State.WITHDRAWN


def test_merge_moves_signers_to_the_target(make, users, deputies):
    target = make("accepted", title="关于维修九驿街道路灯的建议", body="九驿街道路灯损坏。")
    duplicate = make("submitted", deputy=deputies["li"], title="九驿路灯", body="路灯坏了")
    services.suggestion_merge(actor=users["county_staff"], suggestion=duplicate, into=target)
    assert duplicate.state == State.MERGED and duplicate.merged_into == target
    assert set(target.signers.values_list("deputy__name", flat=True)) == {"王芳", "李明"}
    with pytest.raises(DomainError, match="另一件"):
        services.suggestion_merge(actor=users["county_staff"], suggestion=target, into=target)


def test_assign_sets_each_units_deadline(make, users, units):
    suggestion = make("accepted")
    services.suggestion_assign(
        actor=users["county_staff"],
        suggestion=suggestion,
        lead_unit=units["transport"],
        co_units=[units["education"]],
    )
    today = timezone.localdate()
    co, lead = suggestion.assignments.order_by("role")
    assert (co.role, co.unit, lead.role, lead.unit) == ("co", units["education"], "lead", units["transport"])
    assert suggestion.state == State.ASSIGNED and suggestion.assigned_on == today
    assert suggestion.due_on == lead.due_on > co.due_on > today
    assert lead.state == Assignment.State.PENDING and lead.return_due_on > today
    with pytest.raises(DomainError) as info:
        services.suggestion_assign(
            actor=users["county_staff"],
            suggestion=make("accepted", title="x", body="y"),
            lead_unit=users["unit"],
        )
    assert info.value.field == "lead_unit"


def test_unit_accepts_contacts_and_replies(make, users):
    suggestion = make("assigned")
    unit = users["unit"]
    with pytest.raises(InvalidTransition, match="待签收"):
        services.reply_submit(actor=unit, suggestion=suggestion, category="A", text="答复", signer="局长")
    services.assignment_accept(actor=unit, suggestion=suggestion)
    with pytest.raises(InvalidTransition, match="沟通"):
        services.reply_submit(actor=unit, suggestion=suggestion, category="A", text="答复", signer="局长")
    contact = services.contact_add(
        actor=unit,
        suggestion=suggestion,
        contacted_on=timezone.localdate(),
        way="visit",
        content="登门走访代表",
    )
    assert contact.round == 1 and contact.assignment.unit == unit.organization
    letter = SimpleUploadedFile("答复函.pdf", b"%PDF-1.4 letter", content_type="application/pdf")
    reply = services.reply_submit(
        actor=unit, suggestion=suggestion, category="B", text="列入明年计划", signer="张局长", letter=letter
    )
    assert suggestion.state == State.REPLIED and reply.on_time and reply.round == 1 and reply.letter
    assert suggestion.assignments.get().state == Assignment.State.DONE
    assert [a for a, *_ in _events(suggestion)][-3:] == ["unit_accept", "contact", "reply"]
    assert suggestion.events.get(action="reply").actor_name == "县交通运输局（unit）"


def test_reply_letter_must_be_a_document(make, users):
    suggestion = make("assigned")
    services.assignment_accept(actor=users["unit"], suggestion=suggestion)
    services.contact_add(
        actor=users["unit"],
        suggestion=suggestion,
        contacted_on=timezone.localdate(),
        way="phone",
        content="沟通",
    )
    with pytest.raises(DomainError) as info:
        services.reply_submit(
            actor=users["unit"],
            suggestion=suggestion,
            category="A",
            text="答复",
            signer="局长",
            letter=SimpleUploadedFile("x.exe", b"MZ"),
        )
    assert info.value.field == "letter" and suggestion.state == State.ASSIGNED


def test_co_handler_sends_input_but_cannot_reply(make, users, units, regions):
    from renda.accounts.services import user_create

    co_user = user_create(
        username="edu",
        password="Renda#2024x",
        role="handling_unit",
        full_name="教育局",
        organization=units["education"],
    )
    suggestion = make("assigned", co_units=[units["education"]])
    services.assignment_accept(actor=co_user, suggestion=suggestion)
    with pytest.raises(InvalidTransition, match="协办单位"):
        services.reply_submit(actor=co_user, suggestion=suggestion, category="A", text="答复", signer="局长")
    services.co_input_send(actor=co_user, suggestion=suggestion, text="学校周边道路由我局配合整治")
    part = suggestion.assignments.get(unit=units["education"])
    assert part.state == Assignment.State.DONE and part.co_input.startswith("学校")
    with pytest.raises(InvalidTransition, match="主办单位"):
        services.co_input_send(actor=users["unit"], suggestion=suggestion, text="x")


def test_unit_not_assigned_gets_404(make, users, units):
    from renda.accounts.services import user_create

    other = user_create(
        username="health", password="Renda#2024x", role="handling_unit", organization=units["health"]
    )
    suggestion = make("assigned")
    with pytest.raises(Http404):
        services.assignment_accept(actor=other, suggestion=suggestion)
    assert suggestion.assignments.get().state == Assignment.State.PENDING


def test_return_approved_hands_over_to_a_new_unit(make, users, units):
    suggestion = make("assigned")
    services.assignment_return_request(actor=users["unit"], suggestion=suggestion, reason="属于教育局职责")
    part = suggestion.assignments.get()
    assert part.state == Assignment.State.RETURN_REQUESTED
    with pytest.raises(DomainError) as info:
        services.assignment_return_decide(
            actor=users["county_staff"], suggestion=suggestion, assignment=part, approve=True
        )
    assert info.value.field == "new_unit"
    services.assignment_return_decide(
        actor=users["county_staff"],
        suggestion=suggestion,
        assignment=part,
        approve=True,
        new_unit=units["education"],
    )
    parts = {a.unit.name: a.state for a in suggestion.assignments.all()}
    assert parts == {"县交通运输局": "returned", "县教育局": "pending"}
    assert suggestion.state == State.ASSIGNED
    with pytest.raises(Http404):  # the returning unit has no part any more
        services.assignment_accept(actor=users["unit"], suggestion=suggestion)


def test_return_refused_means_the_unit_handles_it(make, users):
    suggestion = make("assigned")
    services.assignment_return_request(actor=users["unit"], suggestion=suggestion, reason="不是我们的事")
    part = suggestion.assignments.get()
    with pytest.raises(DomainError):
        services.assignment_return_decide(
            actor=users["county_staff"], suggestion=suggestion, assignment=part, approve=False
        )
    services.assignment_return_decide(
        actor=users["county_staff"],
        suggestion=suggestion,
        assignment=part,
        approve=False,
        note="属于交通部门职责",
    )
    part.refresh_from_db()
    assert part.state == Assignment.State.ACCEPTED and part.accepted_at is not None


def test_extension_request_and_decisions(make, users):
    suggestion = make("assigned")
    unit, staff = users["unit"], users["county_staff"]
    services.assignment_accept(actor=unit, suggestion=suggestion)
    due = suggestion.due_on
    extension = services.extension_request(
        actor=unit,
        suggestion=suggestion,
        requested_due_on=due + datetime.timedelta(days=30),
        reason="需要立项",
    )
    with pytest.raises(InvalidTransition, match="审批中"):
        services.extension_request(
            actor=unit,
            suggestion=suggestion,
            requested_due_on=due + datetime.timedelta(days=31),
            reason="再延",
        )
    services.extension_decide(actor=staff, suggestion=suggestion, extension=extension, approve=True)
    assert suggestion.due_on == due + datetime.timedelta(days=30)
    assert suggestion.assignments.get().due_on == suggestion.due_on
    assert extension.state == Extension.State.APPROVED
    with pytest.raises(ConcurrentUpdate):
        services.extension_decide(actor=staff, suggestion=suggestion, extension=extension, approve=False)
    second = services.extension_request(
        actor=unit,
        suggestion=suggestion,
        requested_due_on=suggestion.due_on + datetime.timedelta(days=5),
        reason="再延",
    )
    services.extension_decide(
        actor=staff, suggestion=suggestion, extension=second, approve=False, note="不同意"
    )
    assert second.state == Extension.State.REFUSED
    assert suggestion.due_on == due + datetime.timedelta(days=30)


def test_dissatisfied_means_rehandling_then_closing(make, users, deputies):
    suggestion = make("replied")
    deputy, unit = users["deputy"], users["unit"]
    with pytest.raises(DomainError) as info:
        services.evaluation_submit(
            actor=deputy, suggestion=suggestion, result="dissatisfied", attitude="basic"
        )
    assert info.value.field == "comment"
    services.evaluation_submit(
        actor=deputy, suggestion=suggestion, result="dissatisfied", attitude="basic", comment="只修了一半"
    )
    assert suggestion.state == State.REHANDLING and suggestion.rehandle_count == 1
    from renda.suggestions.deadlines import add_months

    assert suggestion.due_on == add_months(timezone.localdate(), 1)
    assert suggestion.assignments.get().state == Assignment.State.ACCEPTED
    # The second reply needs a new contact with the deputy.
    with pytest.raises(InvalidTransition, match="沟通"):
        services.reply_submit(
            actor=unit, suggestion=suggestion, category="A", text="已全部修复", signer="局长"
        )
    services.contact_add(
        actor=unit, suggestion=suggestion, contacted_on=timezone.localdate(), way="onsite", content="现场察看"
    )
    reply = services.reply_submit(
        actor=unit, suggestion=suggestion, category="A", text="已全部修复", signer="局长"
    )
    assert reply.round == 2 and suggestion.state == State.REPLIED
    services.evaluation_submit(
        actor=deputy, suggestion=suggestion, result="dissatisfied", attitude="basic", comment="仍不满意"
    )
    assert suggestion.state == State.CLOSED and suggestion.closed_at is not None
    assert list(suggestion.evaluations.values_list("round", "result")) == [
        (1, "dissatisfied"),
        (2, "dissatisfied"),
    ]
    assert DutyRecord.objects.filter(deputy=deputies["wang"], kind="evaluation").count() == 2
    assert [e[0] for e in _events(suggestion)][-4:] == ["rehandle", "contact", "reply", "evaluate"]


def test_satisfied_closes_and_only_the_lead_deputy_evaluates(make, users, deputies):
    from renda.accounts.services import user_create

    li_user = user_create(username="li", password="Renda#2024x", role="deputy", full_name="李明")
    li = deputies["li"]
    li.user = li_user
    li.save(update_fields=["user"])
    suggestion = make("replied", cosigners=[li])
    with pytest.raises(InvalidTransition, match="领衔代表"):
        services.evaluation_submit(
            actor=li_user, suggestion=suggestion, result="satisfied", attitude="satisfied"
        )
    evaluation = services.evaluation_submit(
        actor=users["deputy"], suggestion=suggestion, result="basic", attitude="satisfied"
    )
    assert suggestion.state == State.CLOSED and evaluation.result == Evaluation.Result.BASIC


def test_staff_close_and_publish_with_personal_data_removed(make, users):
    suggestion = make("replied")
    staff = users["county_staff"]
    with pytest.raises(DomainError):
        services.suggestion_close(actor=staff, suggestion=suggestion, note="")
    services.suggestion_close(actor=staff, suggestion=suggestion, note="代表逾期未评价")
    assert suggestion.state == State.CLOSED
    services.suggestion_publish(actor=staff, suggestion=suggestion)
    assert suggestion.published and "13812345678" not in suggestion.public_text
    assert "［已隐去］" in suggestion.public_text and suggestion.state == State.CLOSED


def test_redact_removes_ids_phones_mail_and_names():
    text = "王芳代表（身份证520521198003151224，电话138 1234 5678，座机0857-1234567，邮箱wf@example.cn）"
    assert (
        services.redact(text, names=["王芳"])
        == "王某代表（身份证［已隐去］，电话［已隐去］，座机［已隐去］，邮箱［已隐去］）"
    )


def test_key_suggestion_and_supervision(make, users, regions):
    from renda.accounts.services import user_create

    suggestion = make("assigned")
    staff, leader = users["county_staff"], users["leader"]
    with pytest.raises(InvalidTransition, match="重点建议"):
        services.supervision_note_add(
            actor=leader, suggestion=suggestion, kind="visit", occurred_on=timezone.localdate(), text="督办"
        )
    with pytest.raises(DomainError):
        services.suggestion_designate_key(
            actor=staff, suggestion=suggestion, leader="县长", leader_user=users["deputy"]
        )
    services.suggestion_designate_key(
        actor=staff, suggestion=suggestion, leader="县人民政府县长 李某", leader_user=leader
    )
    assert suggestion.is_key and suggestion.key_leader_user == leader
    note = services.supervision_note_add(
        actor=leader,
        suggestion=suggestion,
        kind="visit",
        occurred_on=timezone.localdate(),
        text="到现场督办",
        participants="交通局",
    )
    assert note.author == leader and suggestion.events.filter(action="supervise").count() == 1
    other_leader = user_create(
        username="leader2", password="Renda#2024x", role="leader", region=regions["county"]
    )
    with pytest.raises(InvalidTransition, match="领衔督办的领导"):
        services.supervision_note_add(
            actor=other_leader,
            suggestion=suggestion,
            kind="progress",
            occurred_on=timezone.localdate(),
            text="x",
        )


def test_stale_version_is_refused_and_nothing_is_lost(make, users, units):
    """Two staff open the same item; the first assignment wins, the second is told it changed."""
    suggestion = make("accepted")
    first = Suggestion.objects.get(pk=suggestion.pk)
    second = Suggestion.objects.get(pk=suggestion.pk)
    seen = first.version
    services.suggestion_assign(
        actor=users["county_staff"], suggestion=first, lead_unit=units["transport"], version=seen
    )
    with pytest.raises(ConcurrentUpdate, match=r"该件已由county_staff于.*修改"):
        services.suggestion_assign(
            actor=users["county_staff"], suggestion=second, lead_unit=units["education"], version=seen
        )
    suggestion.refresh_from_db()
    assert list(suggestion.assignments.values_list("unit__name", flat=True)) == ["县交通运输局"]
    assert suggestion.events.filter(action="assign").count() == 1
    assert suggestion.version == seen + 1


def test_stale_edit_of_a_draft_is_refused(make, users):
    suggestion = make("draft")
    seen = suggestion.version
    services.suggestion_update(
        actor=users["deputy"], suggestion=suggestion, data={"title": "新标题一"}, version=seen
    )
    with pytest.raises(ConcurrentUpdate):
        services.suggestion_update(
            actor=users["deputy"], suggestion=suggestion, data={"title": "新标题二"}, version=seen
        )
    suggestion.refresh_from_db()
    assert suggestion.title == "新标题一"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent transactions need PostgreSQL")
def test_two_staff_assigning_at_once_on_postgresql(make, users, units):
    suggestion = make("accepted")
    seen = suggestion.version
    barrier = threading.Barrier(2)
    outcomes = []

    def assign(unit):
        from django.db import connection as thread_connection

        try:
            item = Suggestion.objects.get(pk=suggestion.pk)
            barrier.wait()
            services.suggestion_assign(
                actor=users["county_staff"], suggestion=item, lead_unit=unit, version=seen
            )
            outcomes.append("ok")
        except ConcurrentUpdate:
            outcomes.append("conflict")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=assign, args=(units[k],)) for k in ("transport", "education")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    assert Assignment.objects.filter(suggestion=suggestion).count() == 1


def test_micro_fund_steps(users, regions):
    staff = users["county_staff"]
    fund = services.fund_create(
        actor=staff,
        source="county",
        year=2024,
        amount="125000.50",
        project="黄泥塘镇饮水管网改造",
        region=regions["huangnitang"],
    )
    with pytest.raises(DomainError):
        services.fund_create(
            actor=staff,
            source="county",
            year=2024,
            amount="1",
            project="黄泥塘镇饮水管网改造",
            region=regions["huangnitang"],
        )
    with pytest.raises(DomainError) as info:
        services.fund_create(
            actor=staff, source="county", year=2024, amount="-3", project="x", region=regions["huangnitang"]
        )
    assert info.value.field == "amount"
    services.fund_advance(actor=staff, fund=fund, on=timezone.localdate())
    with pytest.raises(DomainError) as info:
        services.fund_advance(actor=staff, fund=fund, on=timezone.localdate())
    assert info.value.field == "outcome"
    services.fund_advance(actor=staff, fund=fund, on=timezone.localdate(), outcome="新建管网2公里，300户受益")
    assert fund.state == MicroFund.State.COMPLETED
    with pytest.raises(InvalidTransition):
        services.fund_advance(actor=staff, fund=fund, on=timezone.localdate())


def test_contact_cannot_be_in_the_future(make, users):
    suggestion = make("assigned")
    services.assignment_accept(actor=users["unit"], suggestion=suggestion)
    with pytest.raises(DomainError) as info:
        services.contact_add(
            actor=users["unit"],
            suggestion=suggestion,
            contacted_on=timezone.localdate() + datetime.timedelta(days=1),
            way="phone",
            content="x",
        )
    assert info.value.field == "contacted_on" and not Contact.objects.exists()


def test_a_stale_draft_save_says_who_changed_what(make, users):
    """Two saves of one draft from pages opened at the same version: the second is told who changed which
    fields and when, not only "已被他人修改"."""
    suggestion = make("revision")
    seen = Suggestion.objects.get(pk=suggestion.pk).version
    services.suggestion_update(
        actor=users["deputy"],
        suggestion=suggestion,
        data={"title": "关于修复通村公路K3段的建议"},
        version=seen,
    )
    stale = Suggestion.objects.get(pk=suggestion.pk)
    with pytest.raises(ConcurrentUpdate) as info:
        services.suggestion_update(
            actor=users["deputy"], suggestion=stale, data={"body": "新的正文"}, version=seen
        )
    message = info.value.message
    assert message.startswith("保存未成功：在您打开此页后，该件已由deputy于") and "标题" in message, message
