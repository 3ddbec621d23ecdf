"""Stations of the "1+N" network and the users who keep them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.access import Scoping
from renda.core.models import TimeStampedModel


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
    region = models.ForeignKey("regions.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        "self", verbose_name=_("上级站点"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    sector = models.CharField(_("行业"), max_length=50, blank=True, help_text=_("行业代表联络站的行业，如医疗卫生"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    opening_hours = models.CharField(_("开放时间"), max_length=200, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True, help_text=_("对外公开的站点电话"))
    is_active = models.BooleanField(_("启用"), default=True)

    scoping = Scoping(region="region", station="")

    class Meta:
        verbose_name = _("联络站")
        verbose_name_plural = _("联络站")
        ordering = ["kind", "name"]
        indexes = [models.Index(fields=["kind", "region"], name="station_kind_region")]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="station_unique_name_in_region")]

    def __str__(self) -> str:
        return self.name


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
