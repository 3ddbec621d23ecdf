"""Forms of the guidance app. They parse input; the rules are the services'."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.accounts.models import User
from renda.core.access import Role
from renda.core.forms import PolicyForm
from renda.network.models import Station
from renda.regions.models import Region

from .models import GuidanceItem, RuleKind, TownshipItem


def _date(**kwargs):
    return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe); checking them is the service's job."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/*,.pdf,.doc,.docx,.wps,.ofd,.xls,.xlsx"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class GuidanceListForm(PolicyForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("标题"), max_length=200)
    document_number = forms.CharField(label=_("文号"), max_length=50, required=False)
    issued_on = _date(label=_("印发日期"), required=False)
    townships = forms.ModelMultipleChoiceField(
        label=_("乡镇（街道）"), queryset=Region.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        max_length=1000, label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, county: Region | None, **kwargs):
        super().__init__(*args, **kwargs)
        if county is not None:
            townships = Region.objects.filter(level=Region.Level.TOWNSHIP, path__startswith=county.path)
            self.fields["townships"].queryset = townships.order_by("code")
            # The units that have a township station are the ones the county counts (see network.demo).
            with_station = Station.objects.filter(
                kind=Station.Kind.TOWNSHIP_STATION, region__in=townships
            ).values_list("region_id", flat=True)
            self.fields["townships"].initial = list(with_station)
        self.fields["year"].initial = timezone.localdate().year


class GuidanceItemForm(PolicyForm):
    title = forms.CharField(label=_("事项"), max_length=200)
    due_on = _date(label=_("完成时限"))
    applies_to = forms.ChoiceField(label=_("适用范围"), choices=GuidanceItem.AppliesTo.choices)
    evidence_expected = forms.CharField(
        label=_("佐证材料"), max_length=200, required=False, help_text=_("如：会议记录、照片、签到表、文号")
    )
    description = forms.CharField(
        max_length=2000, label=_("工作要求"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class GuidanceGroupForm(PolicyForm):
    name = forms.CharField(label=_("名称"), max_length=100)
    leader = forms.ModelChoiceField(label=_("组长"), queryset=User.objects.none())
    members = forms.ModelMultipleChoiceField(label=_("成员"), queryset=User.objects.none(), required=False)
    townships = forms.ModelMultipleChoiceField(
        label=_("联系乡镇（街道）"), queryset=Region.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, guidance_list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = User.objects.filter(role=Role.LEADER, is_active=True).order_by(
            "username"
        )
        self.fields["members"].queryset = User.objects.filter(
            role__in=[Role.LEADER, Role.COUNTY_STAFF], is_active=True
        ).order_by("role", "username")
        self.fields["townships"].queryset = guidance_list.townships.order_by("code")
        for name in ("leader", "members"):
            self.fields[name].label_from_instance = lambda u: f"{u.full_name or u.username}（{u.username}）"


class ReportForm(PolicyForm):
    result = forms.ChoiceField(
        label=_("落实情况"), choices=TownshipItem.Result.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("落实情况说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    reason = forms.CharField(label=_("不适用理由"), max_length=200, required=False)
    files = MultipleFileField(
        label=_("佐证材料"),
        required=False,
        help_text=_("照片、会议记录、签到表等；照片上传时自动压缩，最多9个文件"),
    )


class ReviewForm(PolicyForm):
    decision = forms.ChoiceField(
        label=_("审核结果"),
        choices=[("accept", _("通过")), ("send_back", _("退回"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("审核意见"),
        max_length=300,
        required=False,
        help_text=_("退回时必填，写明需要补充或改正的内容"),
    )


class BoardFilterForm(PolicyForm):
    group = forms.TypedChoiceField(label=_("指导组"), required=False, coerce=int, empty_value=None)
    as_of = _date(label=_("截至日期"), required=False)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("全县")), *[(g.pk, g.name) for g in groups]]


class StationRuleForm(PolicyForm):
    template = forms.BooleanField(label=_("采用县人大常委会制度范本"), required=False)
    text = forms.CharField(
        max_length=20000,
        label=_("制度文本"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("采用范本时可不填；自行制定的制度填写全文或上传文件"),
    )
    file = forms.FileField(label=_("制度文件"), required=False)
    posted = forms.BooleanField(label=_("已上墙"), required=False)
    posted_on = _date(label=_("上墙日期"), required=False)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class RuleFilterForm(PolicyForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)
    township = forms.ModelChoiceField(label=_("乡镇（街道）"), queryset=Region.objects.none(), required=False)

    def __init__(self, *args, townships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships


RULE_KIND_CHOICES = RuleKind.choices
