"""Forms of the activities app: the planning form, invitation filters, answers and corrections."""

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.core.forms import PolicyForm
from renda.core.pickers import MultiPickerWidget, PickerWidget
from renda.deputies.models import Deputy, ExternalRole, Level
from renda.duty_records.models import DutyRecord
from renda.suggestions.models import Category

from .models import Activity, ExternalParticipant, Material


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def _date(**kwargs):
    return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **kwargs)


class ActivityFilterForm(PolicyForm):
    q = forms.CharField(max_length=100, label=_("活动名称"), required=False)
    kind = forms.ChoiceField(
        label=_("活动类型"), required=False, choices=[("", _("全部")), *Activity.Kind.choices]
    )
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    leave = forms.ChoiceField(
        label=_("请假"), required=False, choices=[("", _("全部")), ("pending", _("有待批准的请假"))]
    )


class ActivityForm(PolicyForm):
    kind = forms.ChoiceField(label=_("活动类型"), choices=Activity.Kind.choices)
    title = forms.CharField(label=_("活动名称"), max_length=200)
    # Organisations of a province are thousands: search pickers (issue 15 §4).
    organizer = forms.ModelChoiceField(
        label=_("组织单位"),
        queryset=None,
        widget=PickerWidget("activity-organizer", placeholder=_("输入单位名称搜索")),
    )
    co_organizers = forms.ModelMultipleChoiceField(
        label=_("协办单位"),
        queryset=None,
        required=False,
        help_text=_("联合视察请选择县政协"),
        widget=MultiPickerWidget("activity-co-organizer", placeholder=_("输入单位名称搜索，如 政协")),
    )
    campaign = forms.ModelChoiceField(label=_("所属主题活动"), queryset=None, required=False)
    law = forms.CharField(
        label=_("检查的法律法规"), max_length=200, required=False, help_text=_("执法检查必填")
    )
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DateTimeLocalInput())
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DateTimeLocalInput())
    place = forms.CharField(label=_("地点"), max_length=200)
    agenda = forms.CharField(
        max_length=2000, label=_("活动议程"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    hours = forms.DecimalField(
        label=_("履职时长（小时）"),
        required=False,
        max_digits=4,
        decimal_places=1,
        min_value=0.5,
        help_text=_("留空则按活动起止时间计算"),
    )

    def __init__(self, *args, organizers, co_organizers, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizer"].queryset = organizers
        self.fields["co_organizers"].queryset = co_organizers
        self.fields["campaign"].queryset = campaigns


class InviteForm(PolicyForm):
    """Pick invitees by filters, or tick deputies by hand (ids)."""

    level = forms.ChoiceField(label=_("代表层级"), required=False, choices=[("", _("不限")), *Level.choices])
    # Congresses, townships, constituencies, stations and organisations grow with the installation:
    # search pickers (renda/deputies/selectors.py registers them), never a <select> of thousands.
    congress = forms.ModelChoiceField(
        label=_("人民代表大会"),
        queryset=None,
        required=False,
        widget=PickerWidget("roster-congress", placeholder=_("输入名称搜索，如 大方县第十八届")),
    )
    township = forms.ModelChoiceField(
        label=_("乡镇（街道）"),
        queryset=None,
        required=False,
        to_field_name="code",
        widget=PickerWidget("roster-township", placeholder=_("输入乡镇（街道）名称或区划代码")),
    )
    constituency = forms.ModelChoiceField(
        label=_("选区"),
        queryset=None,
        required=False,
        widget=PickerWidget("roster-constituency", placeholder=_("先选人民代表大会，再输入选区名称或编号")),
    )
    sector = forms.ChoiceField(
        label=_("行业"), required=False, choices=[("", _("不限")), *Deputy.Sector.choices]
    )
    station = forms.ModelChoiceField(
        label=_("联络站"),
        queryset=None,
        required=False,
        widget=PickerWidget("roster-station", placeholder=_("输入联络站名称搜索")),
    )
    delegation = forms.ChoiceField(label=_("代表团"), required=False)
    external_role = forms.ChoiceField(
        label=_("兼任职务"), required=False, choices=[("", _("不限")), *ExternalRole.Kind.choices]
    )
    external_organization = forms.ModelChoiceField(
        label=_("聘任单位"),
        queryset=None,
        required=False,
        widget=PickerWidget("roster-organization", placeholder=_("输入单位名称搜索")),
    )
    names = forms.CharField(
        label=_("按姓名手工选择"), required=False, max_length=2000, help_text=_("多个姓名用逗号或空格分隔")
    )
    ids = forms.CharField(max_length=50000, label=_("代表编号"), required=False, widget=forms.HiddenInput)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args, congresses, townships, constituencies, stations, delegations, organizations, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses
        self.fields["township"].queryset = townships
        self.fields["constituency"].queryset = constituencies
        self.fields["station"].queryset = stations
        self.fields["delegation"].choices = [("", _("不限"))] + [(d, d) for d in delegations]
        self.fields["external_organization"].queryset = organizations

    def clean_ids(self):
        raw = self.cleaned_data.get("ids") or ""
        parts = [p.strip() for p in raw.replace("，", ",").split(",") if p.strip()]
        if any(not p.isdigit() for p in parts):
            raise forms.ValidationError(_("代表编号应为数字"))
        return [int(p) for p in parts]

    def clean_names(self):
        raw = self.cleaned_data.get("names") or ""
        for sep in "，、,;；\n\t":
            raw = raw.replace(sep, " ")
        return [n for n in raw.split(" ") if n]

    def filters(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("confirm", None)
        if data.get("township") is not None:
            data["township"] = data["township"].code
        return {k: v for k, v in data.items() if v}


class AnswerForm(PolicyForm):
    answer = forms.ChoiceField(label=_("答复"), choices=[("attend", _("报名参加")), ("leave", _("请假"))])
    reason = forms.CharField(label=_("请假事由"), required=False, max_length=200)


class ReasonForm(PolicyForm):
    reason = forms.CharField(label=_("原因"), max_length=200)


class LeaveDecisionForm(PolicyForm):
    decision = forms.ChoiceField(choices=[("approve", _("批准")), ("reject", _("不批准"))])
    note = forms.CharField(label=_("理由"), required=False, max_length=200)


class MaterialForm(PolicyForm):
    kind = forms.ChoiceField(label=_("类别"), choices=Material.Kind.choices)
    file = forms.FileField(label=_("文件"), help_text=_("PDF、Word、OFD 或图片，不超过10MB"))


class ExternalParticipantForm(PolicyForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    organization_name = forms.CharField(label=_("单位"), max_length=100, required=False)
    role = forms.ChoiceField(label=_("身份"), choices=ExternalParticipant.Role.choices)
    title = forms.CharField(label=_("职务"), max_length=100, required=False)


class OutputsForm(PolicyForm):
    report = forms.CharField(
        max_length=20000, label=_("活动报告"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    problems = forms.CharField(
        max_length=5000, label=_("发现的问题"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class RaisedOpinionForm(PolicyForm):
    title = forms.CharField(label=_("意见标题"), max_length=200)
    content = forms.CharField(max_length=2000, label=_("意见内容"), widget=forms.Textarea(attrs={"rows": 3}))
    deputy = forms.ModelChoiceField(
        label=_("提出代表"), queryset=None, required=False, help_text=_("集体提出的留空")
    )

    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies


class FollowUpForm(PolicyForm):
    reported_on = _date(label=_("提请常委会审议日期"), required=False)
    review_opinions = forms.CharField(
        max_length=5000, label=_("审议意见"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    sent_on = _date(label=_("审议意见送交政府日期"), required=False)
    responded_on = _date(label=_("政府报告研究处理情况日期"), required=False)
    response = forms.CharField(
        max_length=5000, label=_("研究处理情况"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class TakeUpForm(PolicyForm):
    category = forms.ChoiceField(label=_("建议类别"), choices=Category.choices)


class CampaignForm(PolicyForm):
    name = forms.CharField(label=_("名称"), max_length=100)
    organizer = forms.ModelChoiceField(
        label=_("组织单位"),
        queryset=None,
        widget=PickerWidget("activity-organizer", placeholder=_("输入单位名称搜索")),
    )
    level = forms.ChoiceField(label=_("参加代表层级"), choices=Level.choices, initial=Level.COUNTY)
    starts_on = _date(label=_("开始日期"))
    ends_on = _date(label=_("结束日期"))
    description = forms.CharField(
        max_length=2000, label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, organizers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizer"].queryset = organizers


class CampaignTaskForm(PolicyForm):
    title = forms.CharField(label=_("任务"), max_length=100)
    duty_kind = forms.ChoiceField(label=_("对应履职类别"), choices=DutyRecord.declarable_choices)
    target = forms.IntegerField(label=_("次数"), min_value=1, max_value=100, initial=1)
