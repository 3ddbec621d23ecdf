"""Forms of the network app."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.accounts.models import User
from renda.core.access import Role, scope_queryset
from renda.core.forms import PolicyForm
from renda.core.pickers import PickerWidget
from renda.regions.models import Region

from .models import Demonstration, Facility, ReceptionDay, Station


def _date(**kwargs):
    return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **kwargs)


def _time(**kwargs):
    return forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"), **kwargs)


class StationFilterForm(PolicyForm):
    q = forms.CharField(max_length=100, label=_("名称或地址"), required=False)
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部")), *Station.Kind.choices]
    )
    region_code = forms.CharField(max_length=20, label=_("区划代码"), required=False)
    demonstration = forms.ChoiceField(
        label=_("示范点"),
        required=False,
        choices=[("", _("全部")), ("any", _("示范点（任一级）")), *Demonstration.Level.choices],
    )


class StationForm(PolicyForm):
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=Station.Kind.choices)
    region_code = forms.CharField(
        label=_("所在区划代码"), max_length=12, help_text=_("村级联络室填村（社区）代码")
    )
    parent = forms.ModelChoiceField(label=_("上级站点"), queryset=Station.objects.none(), required=False)
    sector = forms.CharField(
        label=_("行业"), max_length=50, required=False, help_text=_("行业代表联络站必填")
    )
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    latitude = forms.DecimalField(
        label=_("纬度"), max_digits=9, decimal_places=6, required=False, min_value=-90, max_value=90
    )
    longitude = forms.DecimalField(
        label=_("经度"), max_digits=9, decimal_places=6, required=False, min_value=-180, max_value=180
    )
    opening_hours = forms.CharField(label=_("开放时间"), max_length=200, required=False)
    contact_person = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(
        label=_("联系电话"), max_length=30, required=False, help_text=_("对外公开")
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, user, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        parents = scope_queryset(Station.objects.select_related("region"), user).order_by("kind", "name")
        # A township user may hang a village room under the county's stations too, so offer the
        # county-level parents as well as those in their own area.
        county_level = Station.objects.filter(
            kind__in=[Station.Kind.COUNTY_CENTER, Station.Kind.LEGISLATIVE_STATION], is_active=True
        )
        region = getattr(user, "region", None)
        if region is not None:
            # Only the user's own county's (several counties share one deployment: issue 15 §1).
            county = "/".join([p for p in region.path.split("/") if p][:3]) + "/"
            county_level = county_level.filter(region__path__startswith=county)
        else:
            county_level = county_level.none()
        parents = (parents | county_level).distinct()
        if exclude is not None:
            parents = parents.exclude(pk=exclude.pk)
        self.fields["parent"].queryset = parents

    def clean_region_code(self):
        code = self.cleaned_data["region_code"].strip()
        region = scope_queryset(Region.objects.all(), self.user).filter(code=code).first()
        if region is None:
            raise forms.ValidationError(_("区划代码不存在或不在您的管辖范围内"))
        return region


class StationedDeputyForm(PolicyForm):
    # A county station's area holds the county's thousands of deputies: a picker narrowed to the
    # station (the hidden `station` field beside it).
    deputy = forms.ModelChoiceField(
        label=_("代表"),
        queryset=None,
        widget=PickerWidget("station-deputy", placeholder=_("输入代表姓名搜索")),
    )
    term = forms.CharField(label=_("届次"), max_length=30, initial=_("第十八届"))
    station = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, deputies, station=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies
        if station is not None:
            self.initial["station"] = station.pk


class FacilityForm(PolicyForm):
    kind = forms.ChoiceField(label=_("类别"), choices=Facility.Kind.choices)
    name = forms.CharField(label=_("名称"), max_length=100)
    quantity = forms.IntegerField(label=_("数量"), min_value=1, initial=1)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class FundingForm(PolicyForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=12, decimal_places=2, min_value=0.01)
    source = forms.CharField(label=_("资金来源"), max_length=100)
    purpose = forms.CharField(label=_("用途"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class DemonstrationForm(PolicyForm):
    level = forms.ChoiceField(label=_("级别"), choices=Demonstration.Level.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    status = forms.ChoiceField(label=_("状态"), choices=Demonstration.Status.choices)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class KeeperForm(PolicyForm):
    user = forms.ModelChoiceField(label=_("联络站管理员账号"), queryset=None)

    def __init__(self, *args, station, **kwargs):
        super().__init__(*args, **kwargs)
        # Keepers are station_keeper accounts whose jurisdiction covers the station's township.
        home = station.region if station.region.level != Region.Level.VILLAGE else station.region.parent
        self.fields["user"].queryset = (
            User.objects.filter(role=Role.STATION_KEEPER, is_active=True, region__isnull=False)
            .filter(region__path__in=_ancestor_paths(home.path))
            .order_by("username")
        )


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


class ReceptionDayFilterForm(PolicyForm):
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *ReceptionDay.State.choices]
    )
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    # A province holds tens of thousands of stations: a search picker, not a <select> (issue 15 §4).
    station = forms.ModelChoiceField(
        label=_("站点"),
        required=False,
        queryset=None,
        widget=PickerWidget("network-station", placeholder=_("输入联络站名称搜索")),
    )

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations


class ReceptionDayForm(PolicyForm):
    held_on = _date(label=_("接待日期"))
    starts_at = _time(label=_("开始时间"), required=False)
    ends_at = _time(label=_("结束时间"), required=False)
    theme = forms.CharField(label=_("接待主题"), max_length=200, required=False)
    deputies = forms.ModelMultipleChoiceField(
        label=_("值班代表"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    backfill = forms.BooleanField(
        label=_("补录已举行的接待日"),
        required=False,
        help_text=_("接待日期已经过去时勾选：把纸质台账上已举行的接待日录入系统，之后登记接待情况。"),
    )

    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = deputies


class ReceptionRecordForm(PolicyForm):
    constituents_received = forms.IntegerField(label=_("接待群众人数"), min_value=0)
    topics = forms.CharField(
        max_length=2000, label=_("群众反映的主要问题"), widget=forms.Textarea(attrs={"rows": 4})
    )
    summary = forms.CharField(
        max_length=2000, label=_("办理情况"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    attended = forms.ModelMultipleChoiceField(
        label=_("实际参加的代表"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )
    extra_deputies = forms.ModelMultipleChoiceField(
        label=_("未排班但来参加的进站代表"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, participants, extra=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].queryset = participants
        if extra is None or not extra.exists():
            del self.fields["extra_deputies"]
        else:
            self.fields["extra_deputies"].queryset = extra


class ReceptionCancelForm(PolicyForm):
    note = forms.CharField(label=_("取消原因"), max_length=200)
