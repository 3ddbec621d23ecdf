"""Deputies: the person, their mandates in each congress, external roles, 双联系 contacts, imports."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.access import Scoping
from renda.core.crypto import BlindIndexField, EncryptedCharField
from renda.core.masking import mask_id_number, mask_phone
from renda.core.models import TimeStampedModel
from renda.regions.keys import RegionKeyed


class Level(models.TextChoices):
    """The level of a people's congress (and so of a mandate in it)."""

    NATIONAL = "national", _("全国")
    PROVINCIAL = "provincial", _("省")
    CITY = "city", _("市（州）")
    COUNTY = "county", _("县（市、区）")
    TOWNSHIP = "township", _("乡镇")


# Which region level holds a congress of each level.
LEVEL_REGION = {
    Level.PROVINCIAL: "province",
    Level.CITY: "city",
    Level.COUNTY: "county",
    Level.TOWNSHIP: "township",
}


class Deputy(RegionKeyed, TimeStampedModel):
    """A person who holds (or held) one or more mandates. Personal numbers are encrypted."""

    class Gender(models.TextChoices):
        MALE = "male", _("男")
        FEMALE = "female", _("女")

    class Affiliation(models.TextChoices):
        CPC = "cpc", _("中共党员")
        CPC_PROBATIONARY = "cpc_probationary", _("中共预备党员")
        CYL = "cyl", _("共青团员")
        RCCK = "rcck", _("民革党员")
        CDL = "cdl", _("民盟盟员")
        CDNCA = "cdnca", _("民建会员")
        CAPD = "capd", _("民进会员")
        CPWDP = "cpwdp", _("农工党党员")
        CZGP = "czgp", _("致公党党员")
        JIUSAN = "jiusan", _("九三学社社员")
        TDSL = "tdsl", _("台盟盟员")
        INDEPENDENT = "independent", _("无党派人士")
        MASSES = "masses", _("群众")

    class Education(models.TextChoices):
        POSTGRADUATE = "postgraduate", _("研究生")
        BACHELOR = "bachelor", _("大学本科")
        ASSOCIATE = "associate", _("大学专科")
        SECONDARY_VOCATIONAL = "secondary_vocational", _("中专")
        HIGH_SCHOOL = "high_school", _("高中")
        JUNIOR = "junior", _("初中")
        PRIMARY = "primary", _("小学")

    class Sector(models.TextChoices):
        """Used to pick deputies for industry stations and activities."""

        GOVERNMENT = "government", _("党政机关")
        VILLAGE = "village", _("村（社区）")
        AGRICULTURE = "agriculture", _("农业")
        HEALTH = "health", _("医疗卫生")
        EDUCATION = "education", _("教育")
        INDUSTRY = "industry", _("工业企业")
        COMMERCE = "commerce", _("商贸服务")
        TRANSPORT = "transport", _("交通建设")
        SCIENCE = "science", _("科技")
        CULTURE = "culture", _("文化旅游")
        FINANCE = "finance", _("金融")
        LAW = "law", _("政法")
        SOCIAL = "social", _("社会组织")
        OTHER = "other", _("其他")

    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    gender = models.CharField(_("性别"), max_length=6, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True)
    birth_month = models.DateField(_("出生年月"), null=True, blank=True, help_text=_("只记年月，日为1"))
    native_place = models.CharField(_("籍贯"), max_length=50, blank=True)
    political_affiliation = models.CharField(
        _("政治面貌"), max_length=20, choices=Affiliation.choices, blank=True
    )
    education = models.CharField(_("学历"), max_length=24, choices=Education.choices, blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所在乡镇（街道）"), on_delete=models.PROTECT, related_name="+"
    )
    # Rosters keep workplace and post in one column (工作单位及职务), and so does Renda.
    workplace = models.CharField(_("工作单位及职务"), max_length=200, blank=True)
    sector = models.CharField(_("行业"), max_length=20, choices=Sector.choices, blank=True, db_index=True)
    id_number = EncryptedCharField(_("公民身份号码"), blank=True)
    id_number_index = BlindIndexField(source="id_number")
    phone = EncryptedCharField(_("联系电话"), blank=True)
    phone_index = BlindIndexField(source="phone")
    photo = models.FileField(_("照片"), upload_to="deputies/photos/%Y/", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputy",
    )
    # Computed from the name on every write (strokes.py) so that the database orders by an index.
    stroke_key = models.CharField(_("笔画排序键"), max_length=255, editable=False, default="")
    pinyin_key = models.CharField(_("拼音排序键"), max_length=255, editable=False, default="")

    scoping = Scoping(region="region", deputy="", region_keys="")

    class Meta:
        verbose_name = _("代表")
        verbose_name_plural = _("代表")
        ordering = ["stroke_key", "id"]
        indexes = [
            models.Index(fields=["stroke_key", "id"], name="deputy_stroke_order"),
            models.Index(fields=["pinyin_key", "id"], name="deputy_pinyin_order"),
            models.Index(fields=["region", "stroke_key"], name="deputy_region_stroke"),
            # Jurisdiction keys (renda/regions/keys.py): a county's or township's roster in stroke order.
            models.Index(fields=["county_code", "stroke_key", "id"], name="deputy_county_stroke"),
            models.Index(fields=["township_code", "stroke_key", "id"], name="deputy_township_stroke"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_index"],
                condition=~models.Q(id_number_index=""),
                name="deputy_unique_id_number",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def birth_month_display(self) -> str:
        return f"{self.birth_month:%Y.%m}" if self.birth_month else ""


class Congress(TimeStampedModel):
    """A people's congress for one term (届), e.g. 大方县第十八届人民代表大会."""

    level = models.CharField(_("层级"), max_length=12, choices=Level.choices, db_index=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("行政区域"), on_delete=models.PROTECT, related_name="+"
    )
    term = models.PositiveSmallIntegerField(_("届次"))
    name = models.CharField(_("名称"), max_length=100)
    starts_on = models.DateField(_("本届开始"), null=True, blank=True)
    ends_on = models.DateField(_("本届结束"), null=True, blank=True)

    scoping = Scoping(region="region")

    class Meta:
        verbose_name = _("人民代表大会")
        verbose_name_plural = _("人民代表大会")
        ordering = ["level", "region__code", "-term"]
        constraints = [
            models.UniqueConstraint(fields=["region", "term"], name="congress_unique_term"),
            models.CheckConstraint(condition=models.Q(term__gte=1), name="congress_term_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        """大方县第十八届人民代表大会 -> 大方县第十八届"""
        return self.name.removesuffix("人民代表大会")


class Constituency(RegionKeyed, TimeStampedModel):
    """A constituency (选区) of a county or township congress, or an electing unit (选举单位) above."""

    class Kind(models.TextChoices):
        CONSTITUENCY = "constituency", _("选区")
        ELECTING_UNIT = "electing_unit", _("选举单位")

    congress = models.ForeignKey(
        Congress, verbose_name=_("人民代表大会"), on_delete=models.PROTECT, related_name="constituencies"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.CONSTITUENCY)
    name = models.CharField(_("名称"), max_length=100)
    number = models.PositiveSmallIntegerField(_("编号"), null=True, blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="+"
    )

    scoping = Scoping(region="region", region_keys="")

    class Meta:
        verbose_name = _("选区")
        verbose_name_plural = _("选区")
        ordering = ["congress", "number", "name"]
        indexes = [
            models.Index(fields=["county_code"], name="constituency_county"),
            models.Index(fields=["township_code"], name="constituency_township"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["congress", "name"], name="constituency_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Mandate(TimeStampedModel):
    """One deputy's seat in one congress. Status changes are events (MandateEvent), never edits."""

    class Status(models.TextChoices):
        SERVING = "serving", _("在任")
        RESIGNED = "resigned", _("辞职")
        RECALLED = "recalled", _("罢免")
        TERMINATED = "terminated", _("终止")
        TRANSFERRED = "transferred", _("调离")

    deputy = models.ForeignKey(
        Deputy, verbose_name=_("代表"), on_delete=models.PROTECT, related_name="mandates"
    )
    congress = models.ForeignKey(
        Congress, verbose_name=_("人民代表大会"), on_delete=models.PROTECT, related_name="mandates"
    )
    constituency = models.ForeignKey(
        Constituency,
        verbose_name=_("选区或选举单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mandates",
    )
    delegation = models.CharField(_("代表团"), max_length=50, blank=True, db_index=True)
    starts_on = models.DateField(_("任期开始"), null=True, blank=True)
    ends_on = models.DateField(_("任期结束"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.SERVING, db_index=True
    )
    status_changed_on = models.DateField(_("状态变更日期"), null=True, blank=True)
    status_reason = models.CharField(_("变更原因"), max_length=200, blank=True)

    scoping = Scoping(region="deputy__region", deputy="deputy", region_keys="deputy")

    class Meta:
        verbose_name = _("代表资格")
        verbose_name_plural = _("代表资格")
        ordering = ["congress__level", "-congress__term", "id"]
        indexes = [models.Index(fields=["congress", "status"], name="mandate_congress_status")]
        constraints = [
            models.UniqueConstraint(fields=["deputy", "congress"], name="mandate_once_per_congress"),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="mandate_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.congress}"


class MandateEvent(models.Model):
    """One change of a mandate's status: who, from, to, when it took effect, why."""

    mandate = models.ForeignKey(Mandate, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("原状态"), max_length=12, choices=Mandate.Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, choices=Mandate.Status.choices)
    occurred_on = models.DateField(_("生效日期"))
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scoping = Scoping(region="mandate__deputy__region", deputy="mandate__deputy")

    class Meta:
        verbose_name = _("代表资格变动")
        verbose_name_plural = _("代表资格变动")
        ordering = ["occurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.mandate} {self.from_status}→{self.to_status}"


class ExternalRole(TimeStampedModel):
    """A role outside the congress: the 五员, or an appointment by a department (行风政风监督员…)."""

    class Kind(models.TextChoices):
        POLICY_PUBLICIST = "policy_publicist", _("政策法规宣传员")
        INFORMATION_LIAISON = "information_liaison", _("信息服务传导员")
        ENFORCEMENT_MONITOR = "enforcement_monitor", _("执法活动监督员")
        DISPUTE_MEDIATOR = "dispute_mediator", _("矛盾纠纷调解员")
        CONDUCT_ASSESSOR = "conduct_assessor", _("行风政风评议员")
        DEPARTMENT_APPOINTMENT = "department_appointment", _("部门聘任")

    deputy = models.ForeignKey(
        Deputy, verbose_name=_("代表"), on_delete=models.PROTECT, related_name="external_roles"
    )
    kind = models.CharField(_("类别"), max_length=24, choices=Kind.choices, db_index=True)
    title = models.CharField(_("名称"), max_length=50, help_text=_("如：行风政风监督员"))
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("聘任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_on = models.DateField(_("聘期开始"))
    ends_on = models.DateField(_("聘期结束"), null=True, blank=True)

    scoping = Scoping(region="deputy__region", deputy="deputy")

    class Meta:
        verbose_name = _("兼任职务")
        verbose_name_plural = _("兼任职务")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="external_role_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="department_appointment") | models.Q(organization__isnull=False),
                name="external_role_department_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.title}"


class ContactAssignment(TimeStampedModel):
    """双联系: a committee member (an account with the leader role) keeps in contact with a deputy."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("常委会组成人员"),
        on_delete=models.PROTECT,
        related_name="contact_assignments",
    )
    deputy = models.ForeignKey(
        Deputy, verbose_name=_("联系代表"), on_delete=models.PROTECT, related_name="contact_assignments"
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)

    scoping = Scoping(region="deputy__region", deputy="deputy")

    class Meta:
        verbose_name = _("联系代表安排")
        verbose_name_plural = _("联系代表安排")
        ordering = ["member", "deputy__stroke_key"]
        indexes = [models.Index(fields=["member", "ends_on"], name="assignment_member_active")]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "deputy"],
                condition=models.Q(ends_on__isnull=True),
                name="assignment_once_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} ↔ {self.deputy}"


class Contact(TimeStampedModel):
    """One logged contact: a committee member with a deputy (双联系), or a deputy with constituents."""

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("常委会组成人员联系代表")
        CONSTITUENT = "constituent", _("代表联系选民")

    class Method(models.TextChoices):
        VISIT = "visit", _("走访")
        CALL = "call", _("电话")
        MEETING = "meeting", _("座谈会议")
        WRITTEN = "written", _("书面")
        RECEPTION = "reception", _("站外接待")

    class Initiator(models.TextChoices):
        MEMBER = "member", _("组成人员联系代表")
        DEPUTY = "deputy", _("代表联系组成人员")

    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices, db_index=True)
    deputy = models.ForeignKey(
        Deputy, verbose_name=_("代表"), on_delete=models.PROTECT, related_name="contacts"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("常委会组成人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="member_contacts",
    )
    initiator = models.CharField(_("发起方"), max_length=8, choices=Initiator.choices, blank=True)
    method = models.CharField(_("联系方式"), max_length=10, choices=Method.choices)
    occurred_on = models.DateField(_("联系时间"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    people_count = models.PositiveSmallIntegerField(_("联系人数"), default=1)
    topics = models.CharField(_("联系主题"), max_length=200)
    opinions = models.TextField(_("听取的意见建议"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )

    scoping = Scoping(region="deputy__region", deputy="deputy")

    class Meta:
        verbose_name = _("联系记录")
        verbose_name_plural = _("联系记录")
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["deputy", "kind", "occurred_on"], name="contact_deputy_kind_date"),
            models.Index(fields=["member", "occurred_on"], name="contact_member_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="committee") & models.Q(member__isnull=False) & ~models.Q(initiator="")
                )
                | (models.Q(kind="constituent") & models.Q(member__isnull=True)),
                name="contact_member_iff_committee",
            ),
            models.CheckConstraint(condition=models.Q(people_count__gte=1), name="contact_people_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} {self.get_method_display()} {self.occurred_on:%Y-%m-%d}"


class RosterImport(models.Model):
    """An uploaded roster (代表名册) going through dry run and confirmation.

    The file is kept encrypted (it holds ID numbers) until it is imported, then emptied. The preview
    keeps only masked values.
    """

    class State(models.TextChoices):
        CHECKING = "checking", _("正在检查")
        CHECKED = "checked", _("已检查，待确认")
        REJECTED = "rejected", _("文件无法识别")
        IMPORTING = "importing", _("正在导入")
        IMPORTED = "imported", _("已导入")
        FAILED = "failed", _("导入失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    congress = models.ForeignKey(
        Congress, verbose_name=_("人民代表大会"), on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField(_("文件名"), max_length=200)
    content = EncryptedCharField(_("文件内容"), blank=True)
    # The dry run's checked rows (imports.plan_seal), encrypted as the file is: the confirm step
    # starts from them instead of reading the file again.
    plan = EncryptedCharField(_("检查结果"), blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.CHECKING)
    message = models.CharField(_("说明"), max_length=300, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    rows = models.JSONField(default=list, blank=True)
    check_job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    import_job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    scoping = Scoping(region="congress__region")

    class Meta:
        verbose_name = _("名册导入")
        verbose_name_plural = _("名册导入")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "created_at"], name="roster_import_owner")]

    def __str__(self) -> str:
        return self.filename

    @property
    def has_errors(self) -> bool:
        return bool(self.summary.get("error"))
