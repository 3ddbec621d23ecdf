"""Suggestions and motions, their handling units, events, replies, evaluations and 微实事 funds.

States and the allowed moves between them live in workflow.py; the rows here only hold what
happened. Every state change goes through workflow.transition, which checks `version` in its UPDATE.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core.access import Scoping
from renda.core.models import TimeStampedModel
from renda.regions.keys import RegionKeyed

# A deputy reads an item they signed or are asked to sign; a co-signer who declined no longer does.
READING_ANSWERS = ("pending", "confirmed", "lapsed")

# Rows that belong to one suggestion are seen by whoever may see the suggestion.
CHILD_SCOPING = Scoping(
    region="suggestion__region",
    region_keys="suggestion",
    organization="suggestion__assignments__unit",
    deputy="suggestion__signers__deputy",
    deputy_when=(("suggestion__signers__answer__in", READING_ANSWERS),),
)


def _ordinal(n: int) -> str:
    """3 → 3rd, 18 → 18th, 21 → 21st (English ordinals for the number label)."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审查")
    REVISION = "revision", _("退回修改")
    WITHDRAWN = "withdrawn", _("已撤回")
    NOT_ACCEPTED = "not_accepted", _("不予立案")
    ACCEPTED = "accepted", _("已立案待交办")
    ASSIGNED = "assigned", _("办理中")
    REPLIED = "replied", _("已答复待评价")
    REHANDLING = "rehandling", _("重新办理")
    CLOSED = "closed", _("办结")
    MERGED = "merged", _("已并案")


# States in which a unit is handling the item and a reply deadline runs.
HANDLING_STATES = (State.ASSIGNED, State.REHANDLING)
# 协办意见: a co-handling unit's input to the lead unit; checked by the form, the step and the API alike.
CO_INPUT_MAX_LENGTH = 2000


class Category(models.TextChoices):
    TRANSPORT = "transport", _("交通")
    EDUCATION = "education", _("教育")
    HEALTH = "health", _("医疗卫生")
    AGRICULTURE = "agriculture", _("农业农村")
    CONSTRUCTION = "construction", _("城乡建设")
    ENVIRONMENT = "environment", _("生态环境")
    SOCIAL = "social", _("社会保障")
    ECONOMY = "economy", _("经济发展")
    MARKET = "market", _("市场监管")
    OTHER = "other", _("其他")


class Suggestion(RegionKeyed, TimeStampedModel):
    class Kind(models.TextChoices):
        SUGGESTION = "suggestion", _("建议")
        MOTION = "motion", _("议案")

    class Period(models.TextChoices):
        SESSION = "session", _("大会期间")
        RECESS = "recess", _("闭会期间")

    class Source(models.TextChoices):
        PORTAL = "portal", _("代表网上提交")
        PAPER = "paper", _("纸质录入")
        OPINION = "opinion", _("群众意见转化")

    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.SUGGESTION)
    period = models.CharField(_("提出时间"), max_length=8, choices=Period.choices, default=Period.RECESS)
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices, default=Source.PORTAL)
    # The congress the item belongs to (第18届第3次会议); kept here, not on the deputy's mandate.
    # `congress` is the county congress whose region holds the item (numbers run per congress, so
    # two counties each have their own 第001号); `term` repeats its term for lists and filters.
    # Null only for an item whose county has no congress recorded for the term (numbered per term).
    congress = models.ForeignKey(
        "deputies.Congress",
        verbose_name=_("人民代表大会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    term = models.PositiveSmallIntegerField(_("届次"))
    session = models.PositiveSmallIntegerField(_("会次"))
    number = models.PositiveIntegerField(_("编号"), null=True, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices, db_index=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("涉及区域"), on_delete=models.PROTECT, related_name="+"
    )
    lead_deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name=_("领衔代表"), on_delete=models.PROTECT, related_name="+"
    )
    by_delegation = models.BooleanField(_("代表团提出"), default=False)
    delegation_name = models.CharField(_("代表团"), max_length=100, blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(_("版本"), default=1)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    assigned_on = models.DateField(_("交办日期"), null=True, blank=True)
    # The lead unit's current reply deadline (with extensions, or the re-handling deadline).
    due_on = models.DateField(_("答复期限"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    rehandle_count = models.PositiveSmallIntegerField(_("重新办理次数"), default=0)
    # Facts the statistics and the roll-up count, kept on the row by the services that write replies
    # and evaluations (services.reply_submit, services.evaluation_submit) so that an aggregate reads
    # no reply or evaluation row (issue 15 §4). They always equal the events: the first reply's
    # on_time (None before any reply), the latest reply's category and the latest evaluation's
    # result ("" before any). seed_scale's bulk writer fills them too.
    first_reply_on_time = models.BooleanField(_("首次答复按期"), null=True, blank=True, editable=False)
    last_reply_category = models.CharField(_("最新答复类别"), max_length=1, blank=True, editable=False)
    last_evaluation_result = models.CharField(_("最新评价结果"), max_length=12, blank=True, editable=False)
    decision_reason = models.TextField(_("审查意见"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("并入"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_items",
    )
    is_key = models.BooleanField(_("重点建议"), default=False)
    key_leader = models.CharField(_("领衔督办领导"), max_length=100, blank=True)
    key_leader_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("督办领导账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published = models.BooleanField(_("已公开"), default=False)
    # The title as shown on the public site, personal data removed when published.
    public_title = models.CharField(_("公开标题"), max_length=200, blank=True)
    public_text = models.TextField(_("公开答复内容"), blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    # A suggestion grown from a constituent's opinion; the opinion then follows its progress.
    source_opinion = models.ForeignKey(
        "opinions.Opinion",
        verbose_name=_("来源群众意见"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
    )
    # Space-separated jieba tokens of title and body, for the similarity search.
    tokens = models.TextField(editable=False, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scoping = Scoping(
        region="region",
        region_keys="",
        organization="assignments__unit",
        deputy="signers__deputy",
        deputy_when=(("signers__answer__in", READING_ANSWERS),),
    )

    class Meta:
        verbose_name = _("建议议案")
        verbose_name_plural = _("建议议案")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["state", "due_on"], name="sugg_state_due"),
            models.Index(fields=["term", "session", "number"], name="sugg_term_number"),
            models.Index(fields=["congress", "session", "number"], name="sugg_congress_number"),
            models.Index(fields=["submitted_at"], name="sugg_submitted"),
            models.Index(fields=["kind", "state"], name="sugg_kind_state"),
            models.Index(fields=["is_key", "state"], name="sugg_key_state"),
            models.Index(fields=["published", "published_at"], name="sugg_published"),
            # A county's or a township's list in its order (-submitted_at, -id), read backwards.
            models.Index(fields=["county_code", "submitted_at", "id"], name="sugg_county_submitted"),
            models.Index(fields=["township_code", "submitted_at", "id"], name="sugg_township_submitted"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "session", "kind", "number"],
                condition=models.Q(number__isnull=False, congress__isnull=False),
                name="suggestion_unique_number_in_congress",
            ),
            models.UniqueConstraint(
                fields=["term", "session", "kind", "number"],
                condition=models.Q(number__isnull=False, congress__isnull=True),
                name="suggestion_unique_number",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="merged") | models.Q(merged_into__isnull=False),
                name="suggestion_merged_has_target",
            ),
            models.CheckConstraint(
                condition=models.Q(is_key=False) | ~models.Q(key_leader=""),
                name="suggestion_key_has_leader",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number_label or _('未编号')} {self.title}"

    @property
    def number_label_zh(self) -> str:
        """第18届第3次会议第012号 (议案: 第18届第3次会议议案第001号) — in Chinese whatever the page's
        language: official letters, stored events, notifications and the API use this one."""
        if self.number is None:
            return ""
        kind = "议案" if self.kind == self.Kind.MOTION else ""
        return f"第{self.term}届第{self.session}次会议{kind}第{self.number:03d}号"

    @property
    def number_label(self) -> str:
        """The number as pages show it: Chinese as above, or in English mode "No. 012, 3rd session of
        the 18th congress" (through gettext, so the catalogue decides the wording)."""
        from django.utils.translation import get_language
        from django.utils.translation import gettext as translate

        if self.number is None:
            return ""
        if not (get_language() or "").startswith("en"):
            return self.number_label_zh
        template = (
            translate("议案第%(n)s号，第%(t)s届第%(s)s次会议")
            if self.kind == self.Kind.MOTION
            else translate("第%(n)s号，第%(t)s届第%(s)s次会议")
        )
        english = {
            "议案第%(n)s号，第%(t)s届第%(s)s次会议": "Motion No. %(n)s, %(s)s session of the %(t)s congress",
            "第%(n)s号，第%(t)s届第%(s)s次会议": "No. %(n)s, %(s)s session of the %(t)s congress",
        }
        # Until the catalogue carries these strings, English mode falls back to the English wording.
        template = english.get(template, template)
        return template % {"n": f"{self.number:03d}", "t": _ordinal(self.term), "s": _ordinal(self.session)}

    @property
    def is_overdue(self) -> bool:
        return bool(self.state in HANDLING_STATES and self.due_on and self.due_on < timezone.localdate())

    @property
    def days_left(self) -> int | None:
        if self.state not in HANDLING_STATES or not self.due_on:
            return None
        return (self.due_on - timezone.localdate()).days


class SuggestionSigner(models.Model):
    """The lead deputy and the co-signers (联名/附议). A deputy sees the items they signed.

    A co-signer named by the lead deputy is asked first (待确认) and answers on the phone; only those
    who confirmed are credited when the item is submitted. Requests still open
    RENDA_SUGGESTION_COSIGN_DAYS after they were sent lapse at submission (逾期未确认).
    """

    class Answer(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        DECLINED = "declined", _("已谢绝")
        LAPSED = "lapsed", _("逾期未确认")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="signers")
    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name=_("代表"), on_delete=models.PROTECT, related_name="+"
    )
    is_lead = models.BooleanField(_("领衔"), default=False)
    # Rows from before co-signers were asked count as confirmed (the paper they signed).
    answer = models.CharField(_("联名确认"), max_length=10, choices=Answer.choices, default=Answer.CONFIRMED)
    requested_at = models.DateTimeField(_("邀请时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answer_note = models.CharField(_("说明"), max_length=200, blank=True)

    scoping = Scoping(
        region="suggestion__region",
        region_keys="suggestion",
        organization="suggestion__assignments__unit",
        deputy="deputy",
    )

    class Meta:
        verbose_name = _("署名代表")
        verbose_name_plural = _("署名代表")
        ordering = ["-is_lead", "id"]
        indexes = [models.Index(fields=["deputy", "answer"], name="signer_deputy_answer")]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "deputy"], name="signer_once_per_suggestion"),
            models.UniqueConstraint(
                fields=["suggestion"], condition=models.Q(is_lead=True), name="signer_one_lead"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy}"


class SuggestionCounter(models.Model):
    """The last number given per congress, session and kind; locked while numbering so there are no gaps.

    One row per (congress, session, kind): two counties each count from 第001号. A row without a
    congress counts the items whose county has no congress recorded (per term, as before).
    """

    congress = models.ForeignKey(
        "deputies.Congress", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    term = models.PositiveSmallIntegerField()
    session = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=Suggestion.Kind.choices)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "session", "kind"],
                condition=models.Q(congress__isnull=False),
                name="counter_once_per_congress_session",
            ),
            models.UniqueConstraint(
                fields=["term", "session", "kind"],
                condition=models.Q(congress__isnull=True),
                name="counter_once_per_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term}-{self.session}-{self.kind}: {self.last_number}"


def attachment_path(instance, filename: str) -> str:
    return f"suggestions/{timezone.localdate():%Y/%m}/{filename}"


class SuggestionAttachment(TimeStampedModel):
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("附件"), upload_to=attachment_path)
    name = models.CharField(_("文件名"), max_length=200)

    scoping = CHILD_SCOPING

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.name


class Assignment(TimeStampedModel):
    """One handling unit's part: the lead unit (主办) answers, co-handlers (协办) send input to it."""

    class Role(models.TextChoices):
        LEAD = "lead", _("主办")
        CO = "co", _("协办")

    class State(models.TextChoices):
        PENDING = "pending", _("待签收")
        ACCEPTED = "accepted", _("办理中")
        RETURN_REQUESTED = "return_requested", _("申请退回")
        RETURNED = "returned", _("已退回")
        DONE = "done", _("已办复")
        # A co-handler's part still open when the lead unit replied: nothing more is asked of it.
        CLOSED = "closed", _("协办结束")
        # Staff took the part from this unit after 交办 (调整承办单位, with the reason as an event).
        REMOVED = "removed", _("已调整")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        "organizations.Organization", verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("承办方式"), max_length=8, choices=Role.choices)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.PENDING)
    assigned_on = models.DateField(_("交办日期"))
    due_on = models.DateField(_("办理期限"), db_index=True)
    return_due_on = models.DateField(_("退回申请期限"))
    accepted_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    co_input = models.TextField(_("协办意见"), blank=True, max_length=CO_INPUT_MAX_LENGTH)
    co_input_at = models.DateTimeField(_("协办意见送达时间"), null=True, blank=True)

    scoping = Scoping(
        region="suggestion__region",
        region_keys="suggestion",
        organization="unit",
        deputy="suggestion__signers__deputy",
        deputy_when=(("suggestion__signers__answer__in", READING_ANSWERS),),
    )

    class Meta:
        verbose_name = _("承办")
        verbose_name_plural = _("承办")
        ordering = ["role", "id"]
        indexes = [models.Index(fields=["unit", "state"], name="assign_unit_state")]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "unit"], name="assignment_unit_once"),
            # At most one lead unit handling at a time; a returned lead no longer counts.
            models.UniqueConstraint(
                fields=["suggestion"],
                condition=models.Q(role="lead") & ~models.Q(state__in=["returned", "removed"]),
                name="assignment_one_active_lead",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit}（{self.get_role_display()}）"

    @property
    def is_active(self) -> bool:
        return self.state not in INACTIVE_PARTS

    @property
    def is_overdue(self) -> bool:
        if self.state not in OPEN_PARTS:
            return False
        return self.due_on < timezone.localdate()


# Parts that no longer count: the unit handed it back, or staff gave it to another unit. Such a
# unit sees the item no more (404), and a lead in one of these states is no longer the lead.
INACTIVE_PARTS = (Assignment.State.RETURNED, Assignment.State.REMOVED)
# Parts whose deadline runs.
OPEN_PARTS = (Assignment.State.PENDING, Assignment.State.ACCEPTED, Assignment.State.RETURN_REQUESTED)


# Human names of the handling cycle's actions, for buttons, the timeline and refusals. The model's
# module holds them so that events can name their action; workflow.TABLE says when each is allowed.
ACTIONS: dict[str, str] = {
    "submit": _("提交"),
    "withdraw": _("撤回"),
    "accept": _("审查立案"),
    "return_for_revision": _("退回修改"),
    "reject": _("不予立案"),
    "convert": _("议案转为建议"),
    "merge": _("并案"),
    "assign": _("交办"),
    "unit_accept": _("签收"),
    "unit_return": _("申请退回"),
    "return_approve": _("同意退回并重新交办"),
    "return_refuse": _("不同意退回"),
    "contact": _("沟通"),
    "co_input": _("报送协办意见"),
    "extension_request": _("申请延期"),
    "extension_approve": _("同意延期"),
    "extension_refuse": _("不同意延期"),
    "reply": _("答复"),
    "evaluate": _("评价"),
    "rehandle": _("不满意，重新办理"),
    "close": _("办结"),
    "designate_key": _("列为重点建议"),
    "supervise": _("督办记录"),
    "publish": _("公开答复"),
    "unit_change": _("调整承办单位"),
}


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action))


class SuggestionEvent(models.Model):
    """One step of the handling cycle: who, from which state to which, when, with what note."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=32)
    from_state = models.CharField(_("原状态"), max_length=16, choices=State.choices)
    to_state = models.CharField(_("新状态"), max_length=16, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    note = models.TextField(_("说明"), blank=True)
    occurred_at = models.DateTimeField(_("时间"), default=timezone.now)

    scoping = CHILD_SCOPING

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(fields=["suggestion", "occurred_at"], name="sugg_event_time"),
            models.Index(fields=["action", "occurred_at"], name="sugg_event_action"),
        ]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_state} → {self.to_state}"

    @property
    def action_label(self) -> str:
        return action_label(self.action)


class Contact(TimeStampedModel):
    """沟通: the lead unit contacts the deputy before answering."""

    class Way(models.TextChoices):
        PHONE = "phone", _("电话")
        VISIT = "visit", _("登门走访")
        MEETING = "meeting", _("座谈")
        ONSITE = "onsite", _("实地察看")
        MESSAGE = "message", _("信息沟通")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="contacts")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="contacts")
    # 1 before the first reply, 2 during re-handling: each reply needs its own contact first.
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    contacted_on = models.DateField(_("沟通日期"))
    way = models.CharField(_("沟通方式"), max_length=10, choices=Way.choices)
    content = models.TextField(_("沟通内容"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    scoping = CHILD_SCOPING

    class Meta:
        verbose_name = _("沟通记录")
        verbose_name_plural = _("沟通记录")
        ordering = ["contacted_on", "id"]

    def __str__(self) -> str:
        return f"{self.contacted_on} {self.get_way_display()}"


def reply_letter_path(instance, filename: str) -> str:
    return f"suggestions/replies/{timezone.localdate():%Y/%m}/{filename}"


class Reply(TimeStampedModel):
    class Category(models.TextChoices):
        A = "A", _("A类 已解决或基本解决")
        B = "B", _("B类 正在解决或列入计划解决")
        C = "C", _("C类 列入长远规划")
        D = "D", _("D类 留作参考并说明")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="replies")
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="replies")
    round = models.PositiveSmallIntegerField(_("答复轮次"), default=1)
    category = models.CharField(_("答复类别"), max_length=1, choices=Category.choices)
    text = models.TextField(_("答复内容"))
    signer = models.CharField(_("签发人"), max_length=50)
    letter = models.FileField(_("答复函"), upload_to=reply_letter_path, blank=True)
    replied_on = models.DateField(_("答复日期"))
    due_on = models.DateField(_("答复期限"))
    on_time = models.BooleanField(_("按期答复"))

    scoping = CHILD_SCOPING

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "round"], name="reply_once_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}（第{self.round}次答复）"


class Evaluation(TimeStampedModel):
    class Result(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASIC = "basic", _("基本满意")
        DISSATISFIED = "dissatisfied", _("不满意")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="evaluations")
    reply = models.OneToOneField(Reply, on_delete=models.PROTECT, related_name="evaluation")
    round = models.PositiveSmallIntegerField(_("评价轮次"))
    result = models.CharField(_("办理结果评价"), max_length=12, choices=Result.choices)
    attitude = models.CharField(_("办理态度评价"), max_length=12, choices=Result.choices)
    comment = models.TextField(_("意见"), blank=True)
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="+")

    scoping = CHILD_SCOPING

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "round"], name="evaluation_once_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.get_result_display()}（第{self.round}次）"


class Extension(TimeStampedModel):
    """A lead unit asks for more time; staff approve or refuse. Never past the legal maximum."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("待审批")
        APPROVED = "approved", _("已同意")
        REFUSED = "refused", _("未同意")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extensions")
    requested_due_on = models.DateField(_("申请延期至"))
    reason = models.TextField(_("延期理由"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.REQUESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    scoping = Scoping(
        region="assignment__suggestion__region",
        region_keys="assignment__suggestion",
        organization="assignment__unit",
        deputy="assignment__suggestion__signers__deputy",
        deputy_when=(("assignment__suggestion__signers__answer__in", READING_ANSWERS),),
    )

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=models.Q(state="requested"),
                name="extension_one_open_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requested_due_on} {self.get_state_display()}"


class SupervisionNote(TimeStampedModel):
    """领衔督办: the leader's supervision visits and progress notes on a key suggestion."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("督办走访")
        PROGRESS = "progress", _("办理进展")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="supervision_notes")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    occurred_on = models.DateField(_("日期"))
    text = models.TextField(_("内容"))
    participants = models.CharField(_("参加人员"), max_length=200, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    scoping = CHILD_SCOPING

    class Meta:
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")
        ordering = ["occurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_kind_display()}"


class MicroFund(TimeStampedModel):
    """微实事: money put into a small, concrete local problem raised by a suggestion."""

    class Source(models.TextChoices):
        CITY = "city", _("市级人大代表建议办理资金")
        COUNTY = "county", _("县级配套资金")

    class State(models.TextChoices):
        ALLOCATED = "allocated", _("已安排")
        DISBURSED = "disbursed", _("已拨付")
        COMPLETED = "completed", _("已完成")

    suggestion = models.ForeignKey(
        Suggestion, null=True, blank=True, on_delete=models.PROTECT, related_name="funds"
    )
    source = models.CharField(_("资金来源"), max_length=8, choices=Source.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    amount = models.DecimalField(
        _("金额（元）"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    project = models.CharField(_("项目名称"), max_length=200)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("实施地点"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.ALLOCATED)
    disbursed_on = models.DateField(_("拨付日期"), null=True, blank=True)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    outcome = models.TextField(_("完成情况"), blank=True)

    scoping = Scoping(region="region")

    class Meta:
        verbose_name = _("微实事资金")
        verbose_name_plural = _("微实事资金")
        ordering = ["-year", "source", "id"]
        indexes = [
            models.Index(fields=["year", "source"], name="fund_year_source"),
            models.Index(fields=["state", "completed_on"], name="fund_state_done"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="fund_amount_positive"),
            models.UniqueConstraint(fields=["year", "project"], name="fund_project_once_a_year"),
        ]

    def __str__(self) -> str:
        return self.project
