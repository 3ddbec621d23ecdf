"""The "1+N" network: stations, their keepers, stationed deputies, inventory, funds, demonstration
status, and reception days (接待日) with the deputies on duty."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.access import Scoping
from renda.core.models import TimeStampedModel

# No 0/o, 1/l/i: the code is printed under the QR code and may be typed by hand.
PUBLIC_CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
PUBLIC_CODE_LENGTH = 8


def new_public_code() -> str:
    """8 characters from 31: about 8.5e11 codes, enough that walking them is pointless."""
    return "".join(secrets.choice(PUBLIC_CODE_ALPHABET) for _ in range(PUBLIC_CODE_LENGTH))


class Station(TimeStampedModel):
    class Kind(models.TextChoices):
        COUNTY_CENTER = "county_center", _("县级代表联络服务中心")
        INDUSTRY_STATION = "industry_station", _("行业代表联络站")
        TOWNSHIP_STATION = "township_station", _("乡级代表联络站")
        VILLAGE_ROOM = "village_room", _("村级代表联络室")
        DEPUTIES_HOME = "deputies_home", _("代表之家")
        LEGISLATIVE_STATION = "legislative_station", _("基层立法联络站")
        LEGISLATIVE_ROOM = "legislative_room", _("乡镇基层立法联络室")

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices, db_index=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级站点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sector = models.CharField(
        _("行业"), max_length=50, blank=True, help_text=_("行业代表联络站的行业，如医疗卫生")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    opening_hours = models.CharField(_("开放时间"), max_length=200, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(
        _("联系电话"), max_length=30, blank=True, help_text=_("对外公开的站点电话")
    )
    is_active = models.BooleanField(_("启用"), default=True)
    # The code in the station's public links (/o/<code>/ for opinions, /stations/<code>/ for the
    # directory). Random rather than the primary key, so that links cannot be enumerated.
    public_code = models.CharField(
        _("公开码"), max_length=12, unique=True, default=new_public_code, editable=False
    )

    scoping = Scoping(region="region", station="")

    class Meta:
        verbose_name = _("联络站")
        verbose_name_plural = _("联络站")
        ordering = ["kind", "name"]
        indexes = [models.Index(fields=["kind", "region"], name="station_kind_region")]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="station_unique_name_in_region")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def opinion_path(self) -> str:
        """The public opinion form of this station (served by the opinions app)."""
        return f"/o/{self.public_code}/"


class StationKeeper(models.Model):
    """A user who keeps a station (联络站管理员); a station keeper's jurisdiction is their stations."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="keepers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kept_stations")

    class Meta:
        verbose_name = _("联络站管理员")
        verbose_name_plural = _("联络站管理员")
        constraints = [models.UniqueConstraint(fields=["station", "user"], name="station_keeper_unique")]

    def __str__(self) -> str:
        return f"{self.station} · {self.user}"


class StationedDeputy(TimeStampedModel):
    """A deputy stationed at a station (进站代表) for a term."""

    station = models.ForeignKey(
        Station, verbose_name=_("联络站"), on_delete=models.CASCADE, related_name="stationed_deputies"
    )
    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name=_("代表"), on_delete=models.PROTECT, related_name="stations"
    )
    term = models.CharField(_("届次"), max_length=30, help_text=_("如：第十八届"))
    note = models.CharField(_("备注"), max_length=200, blank=True)

    scoping = Scoping(region="station__region", station="station", deputy="deputy")

    class Meta:
        verbose_name = _("进站代表")
        verbose_name_plural = _("进站代表")
        ordering = ["station", "deputy__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "deputy", "term"], name="stationed_deputy_once_per_term"
            )
        ]

    def __str__(self) -> str:
        return f"{self.station} · {self.deputy} · {self.term}"


class Facility(TimeStampedModel):
    """An item of the station's facilities and equipment inventory (设施设备)."""

    class Kind(models.TextChoices):
        FACILITY = "facility", _("设施")
        EQUIPMENT = "equipment", _("设备")

    station = models.ForeignKey(
        Station, verbose_name=_("联络站"), on_delete=models.CASCADE, related_name="facilities"
    )
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    scoping = Scoping(region="station__region", station="station")

    class Meta:
        verbose_name = _("设施设备")
        verbose_name_plural = _("设施设备")
        ordering = ["station", "kind", "name", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="facility_quantity_positive")
        ]

    def __str__(self) -> str:
        return f"{self.name} ×{self.quantity}"


class Funding(TimeStampedModel):
    """Money put into a station (资金投入)."""

    station = models.ForeignKey(
        Station, verbose_name=_("联络站"), on_delete=models.CASCADE, related_name="fundings"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    source = models.CharField(_("资金来源"), max_length=100, help_text=_("如：县级财政、乡镇自筹、上级补助"))
    purpose = models.CharField(_("用途"), max_length=200)

    scoping = Scoping(region="station__region", station="station")

    class Meta:
        verbose_name = _("资金投入")
        verbose_name_plural = _("资金投入")
        ordering = ["station", "-year", "id"]
        indexes = [models.Index(fields=["year"], name="funding_year")]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="funding_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100), name="funding_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.year} {self.amount}"


class Demonstration(TimeStampedModel):
    """Demonstration status (示范点) of a station at one level."""

    class Level(models.TextChoices):
        COUNTY = "county", _("县级")
        CITY = "city", _("市级")
        PROVINCE = "province", _("省级")

    class Status(models.TextChoices):
        BUILDING = "building", _("创建中")
        NAMED = "named", _("已命名")

    station = models.ForeignKey(
        Station, verbose_name=_("联络站"), on_delete=models.CASCADE, related_name="demonstrations"
    )
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.BUILDING)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    scoping = Scoping(region="station__region", station="station")

    class Meta:
        verbose_name = _("示范点")
        verbose_name_plural = _("示范点")
        ordering = ["station", "level"]
        indexes = [models.Index(fields=["level", "status"], name="demonstration_level_status")]
        constraints = [
            models.UniqueConstraint(fields=["station", "level"], name="demonstration_once_per_level"),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100), name="demonstration_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_level_display()}示范点（{self.get_status_display()}）"


class ReceptionDay(TimeStampedModel):
    """A reception day (接待日) at a station: scheduled with deputies on duty, then recorded."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("已安排")
        HELD = "held", _("已接待")
        CANCELLED = "cancelled", _("已取消")

    station = models.ForeignKey(
        Station, verbose_name=_("联络站"), on_delete=models.PROTECT, related_name="reception_days"
    )
    held_on = models.DateField(_("接待日期"))
    starts_at = models.TimeField(_("开始时间"), null=True, blank=True)
    ends_at = models.TimeField(_("结束时间"), null=True, blank=True)
    theme = models.CharField(_("接待主题"), max_length=200, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.SCHEDULED)
    constituents_received = models.PositiveIntegerField(_("接待群众人数"), null=True, blank=True)
    topics = models.TextField(_("群众反映的主要问题"), blank=True)
    summary = models.TextField(_("办理情况"), blank=True)
    recorded_at = models.DateTimeField(_("登记时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scoping = Scoping(region="station__region", station="station")

    class Meta:
        verbose_name = _("接待日")
        verbose_name_plural = _("接待日")
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["held_on", "state"], name="reception_day_date_state"),
            models.Index(fields=["state"], name="reception_day_state"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "held_on"], name="reception_day_once_per_station_date"
            ),
            models.CheckConstraint(
                condition=models.Q(starts_at__isnull=True)
                | models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="reception_day_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.held_on:%Y-%m-%d} 接待日"


class ReceptionParticipant(models.Model):
    """A deputy on duty at a reception day; once it was held, whether they took part and their record."""

    reception_day = models.ForeignKey(
        ReceptionDay, verbose_name=_("接待日"), on_delete=models.CASCADE, related_name="participants"
    )
    deputy = models.ForeignKey(
        "deputies.Deputy",
        verbose_name=_("代表"),
        on_delete=models.PROTECT,
        related_name="reception_participations",
    )
    attended = models.BooleanField(_("实际参加"), null=True, blank=True)
    duty_record = models.ForeignKey(
        "duty_records.DutyRecord",
        verbose_name=_("履职记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scoping = Scoping(
        region="reception_day__station__region", station="reception_day__station", deputy="deputy"
    )

    class Meta:
        verbose_name = _("值班代表")
        verbose_name_plural = _("值班代表")
        ordering = ["reception_day", "deputy__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["reception_day", "deputy"], name="reception_participant_once")
        ]

    def __str__(self) -> str:
        return f"{self.reception_day} · {self.deputy}"


class ReceptionDayEvent(models.Model):
    """One step of a reception day (scheduled, held, amended, cancelled): who, when, from, to, note."""

    reception_day = models.ForeignKey(ReceptionDay, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_state = models.CharField(max_length=10, blank=True)
    to_state = models.CharField(max_length=10)
    note = models.CharField(max_length=200, blank=True)
    occurred_at = models.DateTimeField()

    scoping = Scoping(region="reception_day__station__region", station="reception_day__station")

    class Meta:
        verbose_name = _("接待日记录")
        verbose_name_plural = _("接待日记录")
        ordering = ["reception_day", "occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.reception_day} {self.from_state}→{self.to_state}"
