"""Activities (代表活动) and campaigns (主题活动): invitations, answers, check-in, attendance as duty
records, external participants, outputs, and the follow-up of a law-enforcement inspection."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core.access import Scoping
from renda.core.models import TimeStampedModel
from renda.duty_records.models import DutyRecord
from renda.regions.keys import RegionKeyed


class Campaign(TimeStampedModel):
    """A themed campaign (主题活动) such as "高质量发展，代表在行动": a period and tasks for every deputy."""

    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    organizer = models.ForeignKey(
        "organizations.Organization", verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("范围"), on_delete=models.PROTECT, related_name="+"
    )
    # Whose deputies are expected to take part: those holding a serving mandate of this level.
    level = models.CharField(_("代表层级"), max_length=12, default="county")
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))

    scoping = Scoping(region="region", organization="organizer")

    class Meta:
        verbose_name = _("主题活动")
        verbose_name_plural = _("主题活动")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="campaign_unique_name"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="campaign_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CampaignTask(models.Model):
    """A task each deputy is expected to complete, met by `target` duty records of `duty_kind`."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("任务"), max_length=100, help_text=_("如：提出一件建议"))
    duty_kind = models.CharField(_("对应履职类别"), max_length=20, choices=DutyRecord.Kind.choices)
    target = models.PositiveSmallIntegerField(_("次数"), default=1)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    scoping = Scoping(region="campaign__region", organization="campaign__organizer")

    class Meta:
        verbose_name = _("主题活动任务")
        verbose_name_plural = _("主题活动任务")
        ordering = ["campaign", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(target__gte=1), name="campaign_task_target_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class Activity(RegionKeyed, TimeStampedModel):
    class Kind(models.TextChoices):
        INSPECTION = "inspection", _("视察")
        SURVEY = "survey", _("调研")
        LAW_INSPECTION = "law_inspection", _("执法检查")
        INQUIRY = "inquiry", _("专题询问")
        CAMPAIGN = "campaign", _("主题活动")
        JOINT_INSPECTION = "joint_inspection", _("联合视察（与政协）")
        SUPERVISION = "supervision", _("部门监督活动")
        STUDY = "study", _("集中学习")
        DUTY_REPORT = "duty_report", _("述职会议")
        OTHER = "other", _("其他活动")

    class State(models.TextChoices):
        PLANNED = "planned", _("筹备中")
        CLOSED = "closed", _("考勤已结束")
        CANCELLED = "cancelled", _("已取消")

    kind = models.CharField(_("活动类型"), max_length=20, choices=Kind.choices, db_index=True)
    title = models.CharField(_("活动名称"), max_length=200)
    organizer = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("组织单位"),
        on_delete=models.PROTECT,
        related_name="organized_activities",
    )
    co_organizers = models.ManyToManyField(
        "organizations.Organization", verbose_name=_("协办单位"), blank=True, related_name="+"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("所属主题活动"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    # Where the activity belongs (the organiser's region): township staff see their township's.
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+"
    )
    law = models.CharField(_("检查的法律法规"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200)
    agenda = models.TextField(_("活动议程"), blank=True)
    hours = models.DecimalField(
        _("履职时长（小时）"), max_digits=4, decimal_places=1, help_text=_("每位到会代表记入履职记录的时长")
    )
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PLANNED)
    attendance_closed_at = models.DateTimeField(_("考勤结束时间"), null=True, blank=True)
    report = models.TextField(_("活动报告"), blank=True)
    problems = models.TextField(_("发现的问题"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scoping = Scoping(region="region", organization="organizer", deputy="invitations__deputy", region_keys="")

    class Meta:
        verbose_name = _("代表活动")
        verbose_name_plural = _("代表活动")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["starts_at"], name="activity_start"),
            models.Index(fields=["state", "ends_at"], name="activity_state_end"),
            # The list's order (-starts_at, -id) for the province, and within a county or a township.
            models.Index(fields=["starts_at", "id"], name="activity_start_id"),
            models.Index(fields=["county_code", "starts_at", "id"], name="activity_county_start"),
            models.Index(fields=["township_code", "starts_at", "id"], name="activity_township_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after_start"
            ),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="activity_hours_positive"),
            models.CheckConstraint(
                condition=~models.Q(kind="law_inspection") | ~models.Q(law=""),
                name="activity_law_inspection_names_law",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def local_date(self) -> datetime.date:
        return timezone.localtime(self.starts_at).date()

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= timezone.now()


def material_path(instance, filename: str) -> str:
    return f"activities/{timezone.localdate():%Y/%m}/{filename}"


class Material(TimeStampedModel):
    """A file of the activity: material handed out beforehand, or the report afterwards."""

    class Kind(models.TextChoices):
        MATERIAL = "material", _("活动材料")
        REPORT = "report", _("活动报告")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices, default=Kind.MATERIAL)
    file = models.FileField(_("文件"), upload_to=material_path)
    name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    scoping = Scoping(
        region="activity__region", organization="activity__organizer", deputy="activity__invitations__deputy"
    )

    class Meta:
        verbose_name = _("活动材料")
        verbose_name_plural = _("活动材料")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.name


class ExternalParticipant(TimeStampedModel):
    """Someone who is not a deputy (a CPPCC member, an expert, an official): no duty record."""

    class Role(models.TextChoices):
        CPPCC_MEMBER = "cppcc_member", _("政协委员")
        EXPERT = "expert", _("专家")
        OFFICIAL = "official", _("部门负责人")
        OTHER = "other", _("其他")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="external_participants")
    name = models.CharField(_("姓名"), max_length=50)
    organization_name = models.CharField(_("单位"), max_length=100, blank=True)
    role = models.CharField(_("身份"), max_length=16, choices=Role.choices, default=Role.OTHER)
    title = models.CharField(_("职务"), max_length=100, blank=True)

    scoping = Scoping(region="activity__region", organization="activity__organizer")

    class Meta:
        verbose_name = _("其他参加人员")
        verbose_name_plural = _("其他参加人员")
        ordering = ["activity", "id"]

    def __str__(self) -> str:
        return self.name


class Invitation(TimeStampedModel):
    """A deputy invited to an activity: their answer, leave request and attendance.

    `attendance` is what counts: present (checked in), excused (leave approved) or absent (无故缺席,
    set after the activity). Each of the three has one standing duty record (`duty_record`).
    """

    class Answer(models.TextChoices):
        NONE = "", _("未答复")
        ATTEND = "attend", _("报名参加")
        LEAVE = "leave", _("请假")

    class Leave(models.TextChoices):
        NONE = "", _("—")
        PENDING = "pending", _("待批准")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("未批准")

    class Attendance(models.TextChoices):
        NONE = "", _("未签到")
        PRESENT = "present", _("已签到")
        EXCUSED = "excused", _("请假")
        ABSENT = "absent", _("无故缺席")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="invitations")
    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name=_("代表"), on_delete=models.PROTECT, related_name="invitations"
    )
    answer = models.CharField(_("答复"), max_length=8, choices=Answer.choices, blank=True, default="")
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    leave_reason = models.CharField(_("请假事由"), max_length=200, blank=True)
    leave_state = models.CharField(
        _("请假审批"), max_length=10, choices=Leave.choices, blank=True, default=""
    )
    attendance = models.CharField(
        _("考勤"), max_length=10, choices=Attendance.choices, blank=True, default="", db_index=True
    )
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    chased_at = models.DateTimeField(_("最近催复时间"), null=True, blank=True)
    # The standing duty record for the attendance above (null while none applies).
    duty_record = models.ForeignKey(
        DutyRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scoping = Scoping(region="activity__region", organization="activity__organizer", deputy="deputy")

    class Meta:
        verbose_name = _("活动邀请")
        verbose_name_plural = _("活动邀请")
        ordering = ["activity", "deputy__stroke_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "deputy"], name="invitation_once_per_deputy"),
            models.CheckConstraint(
                condition=~models.Q(answer="leave") | ~models.Q(leave_reason=""),
                name="invitation_leave_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["deputy", "answer"], name="invitation_deputy_answer")]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.activity}"


class InvitationEvent(models.Model):
    """One step of an invitation (invited, answered, leave decided, checked in, corrected…)."""

    class Action(models.TextChoices):
        INVITE = "invite", _("邀请")
        ANSWER_ATTEND = "attend", _("报名")
        ANSWER_LEAVE = "leave", _("请假")
        LEAVE_APPROVE = "leave_approve", _("批准请假")
        LEAVE_REJECT = "leave_reject", _("不批准请假")
        CHECK_IN = "check_in", _("扫码签到")
        CHECK_IN_MANUAL = "check_in_manual", _("工作人员代签到")
        CHECK_OUT = "check_out", _("撤销签到")
        ABSENT = "absent", _("记为无故缺席")
        ABSENCE_REVOKE = "absence_revoke", _("撤销缺席")
        CHASE = "chase", _("催复")

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    scoping = Scoping(
        region="invitation__activity__region",
        organization="invitation__activity__organizer",
        deputy="invitation__deputy",
    )

    class Meta:
        verbose_name = _("邀请记录")
        verbose_name_plural = _("邀请记录")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.invitation} {self.action}"


class RaisedOpinion(TimeStampedModel):
    """An opinion raised during the activity (提出的意见建议). A deputy may take it up as a suggestion
    draft; the two are then linked both ways (`suggestion` here, `raised_opinions` there)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="raised_opinions")
    deputy = models.ForeignKey(
        "deputies.Deputy",
        verbose_name=_("提出代表"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("内容"))
    suggestion = models.OneToOneField(
        "suggestions.Suggestion",
        verbose_name=_("转化的建议"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="raised_opinion",
    )

    # Invitees see the opinions raised at their activities (to take one up as a suggestion).
    scoping = Scoping(
        region="activity__region", organization="activity__organizer", deputy="activity__invitations__deputy"
    )

    class Meta:
        verbose_name = _("活动中提出的意见")
        verbose_name_plural = _("活动中提出的意见")
        ordering = ["activity", "id"]

    def __str__(self) -> str:
        return self.title


class FollowUp(TimeStampedModel):
    """The follow-up of a law-enforcement inspection (执法检查): the report to the standing committee,
    its deliberation opinions (审议意见) sent to the government, and the government's report on how it
    studied and handled them (研究处理情况), due RENDA_INSPECTION_RESPONSE_MONTHS after sending."""

    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="follow_up")
    reported_on = models.DateField(_("提请常委会审议日期"), null=True, blank=True)
    review_opinions = models.TextField(_("审议意见"), blank=True)
    sent_on = models.DateField(_("审议意见送交政府日期"), null=True, blank=True)
    due_on = models.DateField(_("研究处理情况报告期限"), null=True, blank=True)
    responded_on = models.DateField(_("政府报告研究处理情况日期"), null=True, blank=True)
    response = models.TextField(_("研究处理情况"), blank=True)

    scoping = Scoping(region="activity__region", organization="activity__organizer")

    class Meta:
        verbose_name = _("执法检查跟踪")
        verbose_name_plural = _("执法检查跟踪")
        indexes = [models.Index(fields=["responded_on", "due_on"], name="followup_open_due")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sent_on__isnull=True) | models.Q(due_on__isnull=False),
                name="followup_sent_has_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} 跟踪"

    @property
    def is_overdue(self) -> bool:
        return self.due_on is not None and self.responded_on is None and self.due_on < timezone.localdate()
