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


BAND_ROWS = 5


class EvaluationRuleForm(PolicyForm):
    """An evaluation rule as fields: ballot options one per line, the options whose share decides,
    up to BAND_ROWS bands (from the highest share down, the last at 0 %), and the rectification rule.
    The service checks the whole (services._rule_check)."""

    name = forms.CharField(label=_("规则名称"), max_length=100)
    options = forms.CharField(
        max_length=500,
        label=_("票面选项"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一项，按票面顺序"),
    )
    measure_options = forms.CharField(
        label=_("计算比例的选项"),
        max_length=200,
        help_text=_("一项或多项，用顿号或逗号分隔，如：满意、基本满意"),
    )
    rectify_option = forms.CharField(label=_("需整改的选项"), max_length=20, required=False)
    rectify_over_percent = forms.IntegerField(
        label=_("该选项超过此比例须整改（%）"), min_value=0, max_value=100, initial=50
    )
    rectify_days = forms.IntegerField(
        label=_("整改方案提交期限（天）"), min_value=1, max_value=365, initial=30
    )

    def __init__(self, *args, rule=None, **kwargs):
        if rule is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": rule.name,
                "options": "\n".join(rule.options),
                "measure_options": "、".join(rule.measure_options),
                "rectify_option": rule.rectify_option,
                "rectify_over_percent": rule.rectify_over_percent,
                "rectify_days": rule.rectify_days,
                **{
                    f"band_{n}_{key}": band[source]
                    for n, band in enumerate(rule.bands)
                    for key, source in (("percent", "min_percent"), ("result", "result"))
                },
            }
        super().__init__(*args, **kwargs)
        for n in range(BAND_ROWS):
            self.fields[f"band_{n}_percent"] = forms.DecimalField(
                label=_("第%(n)d档：比例不低于（%%）") % {"n": n + 1},
                min_value=0, max_value=100, decimal_places=1, required=False,
            )  # fmt: skip
            self.fields[f"band_{n}_result"] = forms.CharField(
                label=_("第%(n)d档：结果") % {"n": n + 1}, max_length=20, required=False
            )

    def band_rows(self):
        return [(self[f"band_{n}_percent"], self[f"band_{n}_result"]) for n in range(BAND_ROWS)]

    def clean(self):
        data = super().clean()
        bands = []
        for n in range(BAND_ROWS):
            percent, result = data.get(f"band_{n}_percent"), (data.get(f"band_{n}_result") or "").strip()
            if percent is None and not result:
                continue
            if percent is None or not result:
                self.add_error(f"band_{n}_result", _("第%(n)d档须同时填写比例和结果") % {"n": n + 1})
                continue
            bands.append({"min_percent": percent, "result": result})
        data["bands"] = bands
        data["options"] = [line.strip() for line in (data.get("options") or "").splitlines() if line.strip()]
        words = (data.get("measure_options") or "").replace("，", "、").replace(",", "、").split("、")
        data["measure_options"] = [w.strip() for w in words if w.strip()]
        return data

    def service_kwargs(self) -> dict:
        keys = ("name", "options", "measure_options", "bands", "rectify_option")
        return {
            **{k: self.cleaned_data[k] for k in keys},
            "rectify_over_percent": self.cleaned_data["rectify_over_percent"],
            "rectify_days": self.cleaned_data["rectify_days"],
        }
