"""Writes of duty reports (代表述职): rules, scheduling, the report, voting, tallies and the result.

Rule source: 《代表法》 art. 45 (county and township deputies report to their constituents and accept
their supervision) and the county's 述职办法 (at least 50 voters' representatives; ballot 称职/基本称职/
不称职 or 满意/基本满意/不满意; thresholds and the rectification rule set locally — here they are data,
`EvaluationRule`). The closing result is written to the duty-record spine (kind `duty_report`,
attributes {"result", "percent", "rectification"}) so that points schemes can match it.
"""

import datetime
import secrets
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from renda.audit.services import audit_record
from renda.core.errors import DomainError, InvalidTransition
from renda.core.files import file_check
from renda.core.services import validate
from renda.duty_records.models import DutyRecord
from renda.duty_records.services import duty_record_add

from .models import DutyReport, EvaluationRule, PaperTally, VoteCode

REPORT_MAX_BYTES = 20 * 1024 * 1024
REPORT_EXTENSIONS = (".pdf", ".docx", ".doc", ".wps", ".ofd")
MAX_CODES = 2000

# (state, action) -> new state: the only moves a report makes.
TRANSITIONS = {
    (DutyReport.State.SCHEDULED, "open_voting"): DutyReport.State.VOTING,
    (DutyReport.State.VOTING, "close"): DutyReport.State.CLOSED,
    (DutyReport.State.SCHEDULED, "cancel"): DutyReport.State.CANCELLED,
    (DutyReport.State.VOTING, "cancel"): DutyReport.State.CANCELLED,
}

# Two common published shapes, offered when staff create a rule.
PRESETS = {
    "competence": {
        "name": "称职测评（称职≥80%为称职，50%–80%为基本称职）",
        "options": ["称职", "基本称职", "不称职"],
        "measure_options": ["称职"],
        "bands": [
            {"min_percent": 80, "result": "称职"},
            {"min_percent": 50, "result": "基本称职"},
            {"min_percent": 0, "result": "不称职"},
        ],
        "rectify_option": "不称职",
        "rectify_over_percent": 50,
        "rectify_days": 30,
    },
    "satisfaction": {
        "name": "满意度测评（满意与基本满意合计≥80%为满意）",
        "options": ["满意", "基本满意", "不满意"],
        "measure_options": ["满意", "基本满意"],
        "bands": [
            {"min_percent": 80, "result": "满意"},
            {"min_percent": 50, "result": "基本满意"},
            {"min_percent": 0, "result": "不满意"},
        ],
        "rectify_option": "不满意",
        "rectify_over_percent": 50,
        "rectify_days": 30,
    },
}


def _transition(report: DutyReport, action: str) -> str:
    target = TRANSITIONS.get((report.state, action))
    if target is None:
        raise InvalidTransition(
            _("述职当前状态为“%(s)s”，不能执行该操作") % {"s": report.get_state_display()}
        )
    return target


def _rule_check(*, options, measure_options, bands, rectify_option) -> tuple[list, list, list]:
    """Normalise and check a rule's data; DomainError names the field at fault."""
    if not isinstance(options, list) or len(options) < 2:
        raise DomainError(_("票面选项至少两项"), field="options")
    options = [str(o).strip() for o in options]
    if any(not o or len(o) > 20 for o in options) or len(set(options)) != len(options):
        raise DomainError(_("票面选项不能为空、不能重复，每项不超过20字"), field="options")
    measure = [str(o).strip() for o in measure_options or []]
    if not measure or any(o not in options for o in measure):
        raise DomainError(_("计算比例的选项必须是票面选项之一"), field="measure_options")
    if not isinstance(bands, list) or not bands:
        raise DomainError(_("请至少设置一个结果档次"), field="bands")
    clean = []
    for number, band in enumerate(bands, start=1):
        try:
            bound = Decimal(str(band["min_percent"]))
            result = str(band["result"]).strip()
        except (KeyError, TypeError, ArithmeticError, ValueError) as exc:
            raise DomainError(
                _("第%(n)d个档次格式不正确（需要 min_percent 与 result）") % {"n": number}, field="bands"
            ) from exc
        if not (0 <= bound <= 100) or not result or len(result) > 20:
            raise DomainError(
                _("第%(n)d个档次的比例须在0–100之间，结果不能为空") % {"n": number}, field="bands"
            )
        clean.append({"min_percent": float(bound), "result": result})
    bounds = [b["min_percent"] for b in clean]
    if bounds != sorted(bounds, reverse=True) or len(set(bounds)) != len(bounds):
        raise DomainError(_("结果档次须按比例从高到低排列且不能重复"), field="bands")
    if clean[-1]["min_percent"] != 0:
        raise DomainError(_("最后一个档次的比例须为0，使每种票数都有结果"), field="bands")
    if rectify_option and rectify_option not in options:
        raise DomainError(_("需整改的选项必须是票面选项之一"), field="rectify_option")
    return options, measure, clean


def evaluation_rule_create(
    *,
    actor,
    region,
    name: str,
    options: list[str],
    measure_options: list[str],
    bands: list[dict],
    rectify_option: str = "",
    rectify_over_percent: int = 50,
    rectify_days: int = 30,
) -> EvaluationRule:
    """Create an evaluation rule for a region (see EvaluationRule for the shape of its data)."""
    options, measure, clean = _rule_check(
        options=options, measure_options=measure_options, bands=bands, rectify_option=rectify_option
    )
    rule = EvaluationRule(
        region=region,
        name=(name or "").strip(),
        options=options,
        measure_options=measure,
        bands=clean,
        rectify_option=(rectify_option or "").strip(),
        rectify_over_percent=rectify_over_percent,
        rectify_days=rectify_days,
    )
    validate(rule)
    with transaction.atomic():
        rule.save()
        audit_record(action="duty_report.rule_create", actor=actor, obj=rule, changes={"name": rule.name})
    return rule


def evaluation_rule_update(
    *,
    actor,
    rule: EvaluationRule,
    name: str,
    options: list[str],
    measure_options: list[str],
    bands: list[dict],
    rectify_option: str = "",
    rectify_over_percent: int = 50,
    rectify_days: int = 30,
) -> EvaluationRule:
    """Change a rule with the same checks as creating one. A rule whose ballot was already used (a
    report in voting or closed) is never changed in place: its printed codes and its results rest on
    it (InvalidTransition: make a new rule)."""
    options, measure, clean = _rule_check(
        options=options, measure_options=measure_options, bands=bands, rectify_option=rectify_option
    )
    with transaction.atomic():
        rule = EvaluationRule.objects.select_for_update().get(pk=rule.pk)
        if rule.reports.filter(state__in=[DutyReport.State.VOTING, DutyReport.State.CLOSED]).exists():
            raise InvalidTransition(_("该测评规则已用于测评，不能修改；请新建测评规则"))
        before = {"options": rule.options, "bands": rule.bands, "rectify_option": rule.rectify_option}
        rule.name = (name or "").strip()
        rule.options, rule.measure_options, rule.bands = options, measure, clean
        rule.rectify_option = (rectify_option or "").strip()
        rule.rectify_over_percent, rule.rectify_days = rectify_over_percent, rectify_days
        validate(rule)
        rule.save()
        audit_record(
            action="duty_report.rule_update",
            actor=actor,
            obj=rule,
            changes={
                "before": before,
                "options": options,
                "bands": clean,
                "rectify_option": rule.rectify_option,
            },
        )
    return rule


def evaluation_rule_from_preset(*, actor, region, preset: str) -> EvaluationRule:
    """The preset's rule for a region, created once (PRESETS: "competence" or "satisfaction")."""
    data = PRESETS.get(preset)
    if data is None:
        raise DomainError(_("没有这种测评规则模板"), field="preset")
    found = EvaluationRule.objects.filter(region=region, name=data["name"]).first()
    return found or evaluation_rule_create(actor=actor, region=region, **data)


@dataclass(frozen=True)
class TallyResult:
    """The outcome of a tally: `result` is a band's label ("" when no valid vote), `percent` the share
    of valid votes for the measure options (0–100, one decimal, half up), `valid` the valid votes,
    `rectification` whether the rectification rule fired."""

    result: str
    percent: Decimal
    valid: int
    rectification: bool


def tally_result(rule: EvaluationRule, counts: dict[str, int]) -> TallyResult:
    """Apply `rule` to vote counts {option: votes}. Bounds are compared exactly (votes × 100 ≥ bound ×
    valid), so 40 of 50 is exactly 80 % and reaches an "≥80%" band. Options not on the ballot are
    ignored (they are not valid votes)."""
    valid = sum(int(counts.get(o, 0)) for o in rule.options)
    if valid == 0:
        return TallyResult("", Decimal("0.0"), 0, False)
    measured = sum(int(counts.get(o, 0)) for o in rule.measure_options)
    percent = (Decimal(measured) * 100 / Decimal(valid)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    result = rule.bands[-1]["result"]
    for band in rule.bands:
        if Decimal(measured) * 100 >= Decimal(str(band["min_percent"])) * valid:
            result = band["result"]
            break
    rectification = bool(rule.rectify_option) and (
        Decimal(int(counts.get(rule.rectify_option, 0))) * 100 > Decimal(rule.rectify_over_percent) * valid
    )
    return TallyResult(result, percent, valid, rectification)


def duty_report_schedule(
    *,
    actor,
    deputy,
    congress,
    rule: EvaluationRule,
    held_on: datetime.date,
    place: str,
    station=None,
    invited: str = "",
    invited_count: int = 0,
    min_attendance: int | None = None,
) -> DutyReport:
    """Staff schedule a report meeting. The deputy must hold a mandate in `congress`; the place is
    taken from the station when none is typed. DomainError names the field at fault."""
    if not deputy.mandates.filter(congress=congress).exists():
        raise DomainError(_("该代表不是本届人民代表大会的代表"), field="congress")
    place = (place or "").strip() or (station.name if station is not None else "")
    if not place:
        raise DomainError(_("请填写述职地点"), field="place")
    report = DutyReport(
        deputy=deputy,
        congress=congress,
        rule=rule,
        held_on=held_on,
        place=place[:100],
        station=station,
        invited=(invited or "").strip(),
        invited_count=invited_count or 0,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if min_attendance is not None:
        report.min_attendance = min_attendance
    if report.invited_count and report.invited_count < report.min_attendance:
        raise DomainError(
            _("邀请人数（%(i)d）少于最少到会人数（%(m)d）")
            % {"i": report.invited_count, "m": report.min_attendance},
            field="invited_count",
        )
    validate(report)
    with transaction.atomic():
        report.save()
        audit_record(
            action="duty_report.schedule",
            actor=actor,
            obj=report,
            changes={"deputy": str(deputy), "held_on": held_on, "place": report.place},
        )
    return report


def _locked(report: DutyReport) -> DutyReport:
    return DutyReport.objects.select_for_update().select_related("rule", "deputy").get(pk=report.pk)


def duty_report_write(*, actor, report: DutyReport, text: str) -> DutyReport:
    """The deputy (on the phone) or staff write the report's text; only before the meeting closes."""
    text = (text or "").strip()
    if not text:
        raise DomainError(_("请填写述职报告内容"), field="report_text")
    if len(text) > 20000:
        raise DomainError(_("述职报告不能超过20000字"), field="report_text")
    with transaction.atomic():
        report = _locked(report)
        if report.state not in (DutyReport.State.SCHEDULED, DutyReport.State.VOTING):
            raise InvalidTransition(_("述职已结束或已取消，报告不能再修改"))
        report.report_text, report.report_updated_at = text, timezone.now()
        report.save(update_fields=["report_text", "report_updated_at", "updated_at"])
        audit_record(action="duty_report.write", actor=actor, obj=report, changes={"report_text": len(text)})
    return report


def duty_report_upload(*, actor, report: DutyReport, upload) -> DutyReport:
    """Staff upload the report as a file (PDF, Word, WPS, OFD; at most 20 MB), checked by its first
    bytes and, for .docx, by core/uploads.py before it is stored."""
    file_check(
        upload,
        field="report_file",
        label=_("述职报告文件"),
        allowed=REPORT_EXTENSIONS,
        max_bytes=REPORT_MAX_BYTES,
    )
    with transaction.atomic():
        report = _locked(report)
        if report.state not in (DutyReport.State.SCHEDULED, DutyReport.State.VOTING):
            raise InvalidTransition(_("述职已结束或已取消，报告不能再修改"))
        report.report_file.save(
            f"report-{report.pk}{upload.name[upload.name.rfind('.') :].lower()}", upload, save=False
        )
        report.report_updated_at = timezone.now()
        report.save(update_fields=["report_file", "report_updated_at", "updated_at"])
        audit_record(
            action="duty_report.upload", actor=actor, obj=report, changes={"report_file": upload.name}
        )
    return report


def _require_report(report: DutyReport) -> None:
    """Voters' representatives evaluate a report they have heard: no ballot, paper tally or result
    before the deputy's report is written or uploaded."""
    if not report.report_text.strip() and not report.report_file:
        raise InvalidTransition(
            _("尚未填写或上传述职报告，不能开始测评、录入票数或结束测评；请先填写述职报告或上传报告文件"),
            field="report_text",
        )


def duty_report_open_voting(
    *, actor, report: DutyReport, codes: int = 0, closes_at: datetime.datetime | None = None
) -> DutyReport:
    """Open the evaluation: make `codes` one-time voting codes (0–2000; 0 when only paper ballots are
    used) and set when voting closes (default: the end of the meeting day). Refused until the report
    is written or uploaded (as are paper tallies and closing)."""
    if not 0 <= int(codes) <= MAX_CODES:
        raise DomainError(_("测评码数量须在0到%(m)d之间") % {"m": MAX_CODES}, field="codes")
    with transaction.atomic():
        report = _locked(report)
        report.state = _transition(report, "open_voting")
        _require_report(report)
        if closes_at is None:
            # The end of the meeting day; for a meeting already held (paper ballots entered
            # afterwards) a day from now, until staff close it.
            end = timezone.make_aware(datetime.datetime.combine(report.held_on, datetime.time(23, 59, 59)))
            closes_at = end if end > timezone.now() else timezone.now() + datetime.timedelta(days=1)
        if closes_at <= timezone.now():
            raise DomainError(_("测评截止时间须晚于现在"), field="closes_at")
        report.voting_closes_at = closes_at
        report.save(update_fields=["state", "voting_closes_at", "updated_at"])
        VoteCode.objects.bulk_create(
            [
                VoteCode(report=report, number=n, code=secrets.token_urlsafe(12))
                for n in range(1, int(codes) + 1)
            ]
        )
        for option in report.rule.options:
            PaperTally.objects.get_or_create(report=report, option=option)
        audit_record(
            action="duty_report.open_voting",
            actor=actor,
            obj=report,
            changes={"state": ["scheduled", "voting"]},
            detail=f"codes={codes}",
        )
    return report


def vote_cast(*, code: str, option: str) -> VoteCode:
    """An attendee votes with a one-time code (public, no login). Refused — with the same answer
    whatever the reason is not the code's — when the code is unknown, already used, or the meeting's
    voting is closed. The report row is locked so that a vote and the closing tally cannot interleave;
    the conditional UPDATE (used_at IS NULL) makes a replay, even a concurrent one, change nothing."""
    code = (code or "").strip()
    found = VoteCode.objects.select_related("report").filter(code=code).first() if code else None
    if found is None:
        raise DomainError(_("测评码无效"), field="code", status=404)
    with transaction.atomic():
        report = _locked(found.report)
        if report.state != DutyReport.State.VOTING or (
            report.voting_closes_at and report.voting_closes_at <= timezone.now()
        ):
            raise InvalidTransition(_("本场述职测评已结束，不能再投票"), field="code")
        if option not in report.rule.options:
            raise DomainError(_("请选择一个测评选项"), field="option")
        changed = VoteCode.objects.filter(pk=found.pk, used_at__isnull=True).update(
            used_at=timezone.now(), option=option
        )
        if changed != 1:
            raise InvalidTransition(_("该测评码已投过票，一码只能投一票"), field="code")
    found.refresh_from_db()
    return found


def paper_tally_set(*, actor, report: DutyReport, counts: dict[str, int]) -> DutyReport:
    """Staff enter the paper ballots counted at the meeting: {option: votes} (non-negative integers;
    options not on the ballot are refused). Replaces earlier paper figures; QR votes stay apart."""
    with transaction.atomic():
        report = _locked(report)
        if report.state != DutyReport.State.VOTING:
            raise InvalidTransition(_("只有测评中的述职可以录入纸质票"))
        _require_report(report)
        for option, value in counts.items():
            if option not in report.rule.options:
                raise DomainError(_("“%(o)s”不是本次测评的选项") % {"o": option}, field="counts")
            if value is None or int(value) < 0:
                raise DomainError(_("“%(o)s”的票数须为非负整数") % {"o": option}, field=f"count_{option}")
        for option, value in counts.items():
            PaperTally.objects.update_or_create(report=report, option=option, defaults={"count": int(value)})
        audit_record(
            action="duty_report.paper_tally",
            actor=actor,
            obj=report,
            changes={k: int(v) for k, v in counts.items()},
        )
    return report


def report_counts(report: DutyReport) -> dict[str, dict[str, int]]:
    """{option: {"paper": n, "code": n, "total": n}} for every ballot option, in two queries."""
    paper = dict(PaperTally.objects.filter(report=report).values_list("option", "count"))
    coded = dict(
        VoteCode.objects.filter(report=report, used_at__isnull=False)
        .values("option")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("option", "n")
    )
    return {
        o: {"paper": paper.get(o, 0), "code": coded.get(o, 0), "total": paper.get(o, 0) + coded.get(o, 0)}
        for o in report.rule.options
    }


def duty_report_close(*, actor, report: DutyReport, attendance: int) -> DutyReport:
    """Close the meeting: refuse further votes, apply the rule to paper + code votes, and record the
    result on the duty-record spine. Refused when fewer than `min_attendance` attended, when there are
    more votes than attendees, or before the meeting day. A rectification plan, when the rule asks
    for one, is due `rule.rectify_days` days after the meeting."""
    if attendance is None or int(attendance) < 0:
        raise DomainError(_("请填写实到人数"), field="attendance")
    attendance = int(attendance)
    with transaction.atomic():
        report = _locked(report)
        report.state = _transition(report, "close")
        _require_report(report)
        if report.held_on > timezone.localdate():
            raise DomainError(_("述职会尚未举行，不能结束测评"), field="held_on")
        if attendance < report.min_attendance:
            raise DomainError(
                _("实到人数（%(a)d）少于最少到会人数（%(m)d），测评无效")
                % {"a": attendance, "m": report.min_attendance},
                field="attendance",
            )
        counts = {o: c["total"] for o, c in report_counts(report).items()}
        outcome = tally_result(report.rule, counts)
        if outcome.valid > attendance:
            raise DomainError(
                _("有效票数（%(v)d）多于实到人数（%(a)d），请核对纸质票")
                % {"v": outcome.valid, "a": attendance},
                field="attendance",
            )
        if outcome.valid == 0:
            raise DomainError(_("尚无有效票，不能结束测评"), field="counts")
        report.attendance = attendance
        report.result, report.result_percent, report.valid_votes = (
            outcome.result,
            outcome.percent,
            outcome.valid,
        )
        report.rectification_required = outcome.rectification
        report.rectification_due = (
            report.held_on + datetime.timedelta(days=report.rule.rectify_days)
            if outcome.rectification
            else None
        )
        report.closed_at = timezone.now()
        report.save(
            update_fields=[
                "state", "attendance", "result", "result_percent", "valid_votes",
                "rectification_required", "rectification_due", "closed_at", "updated_at",
            ]
        )  # fmt: skip
        duty_record_add(
            deputy=report.deputy,
            kind=DutyRecord.Kind.DUTY_REPORT,
            title=_("向选民述职：%(r)s（%(p)s%%）") % {"r": outcome.result, "p": outcome.percent},
            occurred_on=report.held_on,
            source=report,
            source_url=f"/duty-reports/{report.pk}/",
            attributes={
                "result": outcome.result,
                "percent": float(outcome.percent),
                "rectification": outcome.rectification,
                "attendance": attendance,
            },
            actor=actor,
        )
        audit_record(
            action="duty_report.close",
            actor=actor,
            obj=report,
            changes={
                "state": ["voting", "closed"],
                "result": outcome.result,
                "percent": str(outcome.percent),
            },
        )
    return report


def duty_report_cancel(*, actor, report: DutyReport, reason: str) -> DutyReport:
    """Cancel a meeting that has not closed; unused codes die with it (voting needs state `voting`)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写取消原因"), field="reason")
    with transaction.atomic():
        report = _locked(report)
        old = report.state
        report.state = _transition(report, "cancel")
        report.save(update_fields=["state", "updated_at"])
        audit_record(
            action="duty_report.cancel",
            actor=actor,
            obj=report,
            changes={"state": [old, report.state]},
            detail=reason,
        )
    return report


def rectification_submit(*, actor, report: DutyReport, plan: str) -> DutyReport:
    """The deputy submits the rectification plan (整改方案) a closed report asked for. Accepted after
    the due date too (the page shows it as late); refused when none is required."""
    plan = (plan or "").strip()
    if not plan:
        raise DomainError(_("请填写整改方案"), field="rectification_plan")
    with transaction.atomic():
        report = _locked(report)
        if report.state != DutyReport.State.CLOSED or not report.rectification_required:
            raise InvalidTransition(_("本次述职无需提交整改方案"))
        report.rectification_plan, report.rectification_submitted_at = plan[:20000], timezone.now()
        report.save(update_fields=["rectification_plan", "rectification_submitted_at", "updated_at"])
        audit_record(action="duty_report.rectification", actor=actor, obj=report, changes={"plan": len(plan)})
    return report
