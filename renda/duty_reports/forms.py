"""Forms of the duty-report pages: scheduling, the report, voting codes, paper tallies, closing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.core.forms import PolicyForm
from renda.core.pickers import PickerWidget
from renda.deputies.models import Congress, Deputy
from renda.network.models import Station

from .models import default_min_attendance
from .services import MAX_CODES, PRESETS


class ScheduleForm(PolicyForm):
    deputy = forms.ModelChoiceField(
        label=_("代表"),
        queryset=Deputy.objects.select_related("region"),
        widget=PickerWidget("duty-report-deputy", placeholder=_("输入代表姓名搜索")),
        error_messages={"required": _("请搜索并选择述职的代表"), "invalid_choice": _("所选代表不存在")},
    )
    congress = forms.ModelChoiceField(
        label=_("人民代表大会"),
        queryset=Congress.objects.none(),
        widget=PickerWidget("roster-congress", placeholder=_("输入名称搜索，如 大方县第十八届")),
        error_messages={"required": _("请选择届次")},
    )
    rule = forms.ChoiceField(label=_("测评规则"), error_messages={"required": _("请选择测评规则")})
    held_on = forms.DateField(label=_("述职日期"), widget=forms.DateInput(attrs={"type": "date"}))
    station = forms.ModelChoiceField(
        label=_("联络站（代表之家）"),
        queryset=Station.objects.none(),
        required=False,
        widget=PickerWidget("roster-station", placeholder=_("输入联络站名称搜索")),
    )
    place = forms.CharField(
        label=_("地点"), max_length=100, required=False, help_text=_("不填则用联络站名称")
    )
    invited_count = forms.IntegerField(label=_("邀请选民代表人数"), min_value=0, required=False)
    min_attendance = forms.IntegerField(label=_("最少到会人数"), min_value=1, initial=default_min_attendance)
    invited = forms.CharField(
        label=_("邀请的选民代表"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )

    def __init__(self, *args, congresses, stations, rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses
        self.fields["station"].queryset = stations
        self.fields["rule"].choices = [(str(r.pk), r.name) for r in rules] + [
            (f"preset:{key}", _("新建：%(n)s") % {"n": data["name"]}) for key, data in PRESETS.items()
        ]


class ReportTextForm(PolicyForm):
    report_text = forms.CharField(
        label=_("述职报告"), widget=forms.Textarea(attrs={"rows": 14}), max_length=20000
    )


class ReportFileForm(PolicyForm):
    report_file = forms.FileField(label=_("述职报告文件"), help_text=_("PDF、Word、WPS 或 OFD，不超过20MB"))


class OpenVotingForm(PolicyForm):
    codes = forms.IntegerField(
        label=_("打印测评码数量"), min_value=0, max_value=MAX_CODES, initial=0, help_text=_("只用纸质票时填0")
    )


class CloseForm(PolicyForm):
    attendance = forms.IntegerField(label=_("实到人数"), min_value=0)


class CancelForm(PolicyForm):
    reason = forms.CharField(label=_("取消原因"), max_length=200)


class RectificationForm(PolicyForm):
    rectification_plan = forms.CharField(
        label=_("整改方案"), widget=forms.Textarea(attrs={"rows": 10}), max_length=20000
    )


def tally_form(options: list[str], initial: dict[str, int] | None = None, data=None) -> forms.Form:
    """A form with one non-negative count per ballot option, named count_<n> (n = option index)."""
    fields = {
        f"count_{n}": forms.IntegerField(label=option, min_value=0, initial=(initial or {}).get(option, 0))
        for n, option in enumerate(options)
    }
    form_class = type("TallyForm", (forms.Form,), fields)
    return form_class(data)
