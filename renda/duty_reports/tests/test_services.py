"""Duty reports: the tally rule on its bounds, the meeting's flow onto the spine, one code one vote."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from renda.core.errors import DomainError
from renda.duty_records.models import DutyRecord
from renda.duty_reports import services
from renda.duty_reports.models import DutyReport, VoteCode


def _counts(yes, basic, no):
    return {"称职": yes, "基本称职": basic, "不称职": no}


@pytest.mark.parametrize(
    ("counts", "result", "percent", "rectify"),
    [
        (_counts(40, 10, 0), "称职", Decimal("80.0"), False),  # exactly 80 %: ≥80 is 称职
        (_counts(39, 11, 0), "基本称职", Decimal("78.0"), False),
        (
            _counts(25, 25, 0),
            "基本称职",
            Decimal("50.0"),
            False,
        ),  # exactly 50 %: lower bound of the middle band
        (_counts(24, 26, 0), "不称职", Decimal("48.0"), False),
        (_counts(10, 15, 25), "不称职", Decimal("20.0"), False),  # exactly half 不称职: not "more than half"
        (_counts(10, 14, 26), "不称职", Decimal("20.0"), True),  # 52 % 不称职 → rectification plan
    ],
)
def test_the_competence_rule_on_its_bounds(rule, counts, result, percent, rectify):
    outcome = services.tally_result(rule, counts)
    assert (outcome.result, outcome.percent, outcome.rectification) == (result, percent, rectify)
    assert outcome.valid == sum(counts.values())


def test_two_thirds_is_basically_competent_and_percent_is_rounded_half_up(rule):
    outcome = services.tally_result(rule, _counts(2, 1, 0))
    assert outcome.result == "基本称职" and outcome.percent == Decimal("66.7")


def test_the_satisfaction_rule_counts_satisfied_and_basically_satisfied(regions, users):
    rule = services.evaluation_rule_from_preset(
        actor=users["county_staff"], region=regions["county"], preset="satisfaction"
    )
    outcome = services.tally_result(rule, {"满意": 30, "基本满意": 10, "不满意": 10})
    assert (outcome.result, outcome.percent) == ("满意", Decimal("80.0"))
    outcome = services.tally_result(rule, {"满意": 5, "基本满意": 4, "不满意": 11})
    assert outcome.result == "不满意" and outcome.rectification  # 55 % 不满意


def test_votes_for_options_not_on_the_ballot_are_not_valid(rule):
    assert services.tally_result(rule, {"称职": 4, "弃权": 6}).valid == 4


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ([{"min_percent": 50, "result": "好"}], "最后一个档次"),
        (
            [
                {"min_percent": 50, "result": "好"},
                {"min_percent": 80, "result": "优"},
                {"min_percent": 0, "result": "差"},
            ],
            "从高到低",
        ),
        ([{"min_percent": 120, "result": "好"}, {"min_percent": 0, "result": "差"}], "0–100"),
        ([{"result": "好"}], "格式不正确"),
    ],
)
def test_a_malformed_rule_is_refused_naming_the_field(regions, users, bands, message):
    with pytest.raises(DomainError, match=message) as caught:
        services.evaluation_rule_create(
            actor=users["county_staff"],
            region=regions["county"],
            name="x",
            options=["好", "差"],
            measure_options=["好"],
            bands=bands,
        )
    assert caught.value.field == "bands"


def test_a_deputy_of_another_congress_cannot_be_scheduled(deputies, congress, rule, users):
    with pytest.raises(DomainError, match="不是本届") as caught:
        services.duty_report_schedule(
            actor=users["county_staff"],
            deputy=deputies["wang"],
            congress=congress,
            rule=rule,
            held_on=timezone.localdate(),
            place="代表之家",
        )
    assert caught.value.field == "congress"


def test_the_default_minimum_attendance_is_50(report):
    assert report.min_attendance == 50


def test_the_whole_meeting_writes_the_result_onto_the_spine(voting, users):
    codes = list(VoteCode.objects.filter(report=voting).order_by("number"))
    for vote_code, option in zip(codes, ["称职"] * 8 + ["基本称职", "不称职"], strict=True):
        services.vote_cast(code=vote_code.code, option=option)
    services.paper_tally_set(
        actor=users["county_staff"], report=voting, counts={"称职": 34, "基本称职": 5, "不称职": 1}
    )
    assert services.report_counts(voting)["称职"] == {"paper": 34, "code": 8, "total": 42}
    closed = services.duty_report_close(actor=users["county_staff"], report=voting, attendance=55)
    assert closed.state == DutyReport.State.CLOSED
    assert (closed.result, closed.result_percent, closed.valid_votes) == ("称职", Decimal("84.0"), 50)
    record = DutyRecord.objects.get(source_type="duty_reports.dutyreport", source_id=str(closed.pk))
    assert record.kind == "duty_report" and record.deputy_id == closed.deputy_id
    assert record.attributes["result"] == "称职" and record.attributes["rectification"] is False
    assert record.occurred_on == closed.held_on


def test_more_than_half_unsatisfied_asks_for_a_rectification_plan_by_a_deadline(voting, users, serving):
    services.paper_tally_set(
        actor=users["county_staff"], report=voting, counts={"称职": 10, "基本称职": 10, "不称职": 30}
    )
    closed = services.duty_report_close(actor=users["county_staff"], report=voting, attendance=50)
    assert closed.result == "不称职" and closed.rectification_required
    assert closed.rectification_due == closed.held_on + datetime.timedelta(days=30)
    done = services.rectification_submit(actor=users["deputy"], report=closed, plan="一、加强联系选民……")
    assert done.rectification_submitted_at is not None


def test_closing_is_refused_below_the_minimum_attendance_or_with_more_votes_than_people(voting, users):
    services.paper_tally_set(actor=users["county_staff"], report=voting, counts={"称职": 60})
    with pytest.raises(DomainError, match="少于最少到会人数") as caught:
        services.duty_report_close(actor=users["county_staff"], report=voting, attendance=49)
    assert caught.value.field == "attendance"
    with pytest.raises(DomainError, match="多于实到人数"):
        services.duty_report_close(actor=users["county_staff"], report=voting, attendance=55)
    assert DutyReport.objects.get(pk=voting.pk).state == DutyReport.State.VOTING
    assert not DutyRecord.objects.filter(kind="duty_report").exists()  # nothing half written


def test_a_code_votes_once(voting):
    code = VoteCode.objects.filter(report=voting).first().code
    services.vote_cast(code=code, option="称职")
    with pytest.raises(DomainError, match="一码只能投一票"):
        services.vote_cast(code=code, option="不称职")
    assert VoteCode.objects.get(code=code).option == "称职"


def test_no_vote_after_the_meeting_closes(voting, users):
    first, second = VoteCode.objects.filter(report=voting).order_by("number")[:2]
    services.vote_cast(code=first.code, option="称职")
    services.paper_tally_set(actor=users["county_staff"], report=voting, counts={"称职": 49})
    services.duty_report_close(actor=users["county_staff"], report=voting, attendance=50)
    with pytest.raises(DomainError, match="已结束"):
        services.vote_cast(code=second.code, option="不称职")
    assert not VoteCode.objects.get(pk=second.pk).used_at


def test_no_vote_after_the_voting_deadline(voting):
    DutyReport.objects.filter(pk=voting.pk).update(
        voting_closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with pytest.raises(DomainError, match="已结束"):
        services.vote_cast(code=VoteCode.objects.filter(report=voting).first().code, option="称职")


def test_an_unknown_code_or_an_option_off_the_ballot_is_refused(voting):
    with pytest.raises(DomainError, match="测评码无效"):
        services.vote_cast(code="not-a-code", option="称职")
    with pytest.raises(DomainError, match="请选择"):
        services.vote_cast(code=VoteCode.objects.filter(report=voting).first().code, option="满意")


def test_codes_are_unique_and_unguessable(voting):
    codes = list(VoteCode.objects.filter(report=voting).values_list("code", flat=True))
    assert len(set(codes)) == 10 and all(len(c) == 16 for c in codes)


def test_a_report_written_by_the_deputy_and_an_upload_checked_by_its_bytes(report, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.duty_report_write(actor=users["deputy"], report=report, text="本人一年来……")
    with pytest.raises(DomainError, match="不符") as caught:
        services.duty_report_upload(
            actor=users["county_staff"], report=report, upload=SimpleUploadedFile("述职.pdf", b"MZ not a pdf")
        )
    assert caught.value.field == "report_file"
    done = services.duty_report_upload(
        actor=users["county_staff"], report=report, upload=SimpleUploadedFile("述职.pdf", b"%PDF-1.7 ...")
    )
    assert done.report_file.name.endswith(".pdf") and done.report_text == "本人一年来……"


def test_a_closed_or_cancelled_report_moves_no_further(voting, users):
    services.duty_report_cancel(actor=users["county_staff"], report=voting, reason="天气原因改期")
    with pytest.raises(DomainError, match="不能执行"):
        services.duty_report_open_voting(actor=users["county_staff"], report=voting)
    with pytest.raises(DomainError, match="已结束或已取消"):
        services.duty_report_write(actor=users["deputy"], report=voting, text="x")


def test_no_evaluation_before_the_report_is_written_or_uploaded(report, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    staff = users["county_staff"]
    with pytest.raises(DomainError, match="尚未填写或上传述职报告"):
        services.duty_report_open_voting(actor=staff, report=report, codes=5)
    report.refresh_from_db()
    assert report.state == DutyReport.State.SCHEDULED and not VoteCode.objects.filter(report=report).exists()
    # An uploaded file is a report too.
    services.duty_report_upload(
        actor=staff, report=report, upload=SimpleUploadedFile("述职.pdf", b"%PDF-1.7 ...")
    )
    assert services.duty_report_open_voting(actor=staff, report=report).state == DutyReport.State.VOTING


def test_votes_are_not_entered_for_a_report_in_voting_without_its_text(voting, users):
    # A meeting opened before this rule (or by an older version) still cannot be evaluated blind.
    DutyReport.objects.filter(pk=voting.pk).update(report_text="")
    with pytest.raises(DomainError, match="尚未填写或上传述职报告"):
        services.paper_tally_set(actor=users["county_staff"], report=voting, counts={"称职": 50})
    with pytest.raises(DomainError, match="尚未填写或上传述职报告"):
        services.duty_report_close(actor=users["county_staff"], report=voting, attendance=55)
