"""Forms of the opinions app: the public QR form, staff and deputy entry, handling, tracking."""

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.core.forms import PolicyForm
from renda.core.pickers import PickerWidget

from .models import Opinion

CONTENT_HELP = _("请写明事情发生的地点、现状和您的诉求，不超过2000字。")


class PublicOpinionForm(PolicyForm):
    """What a constituent fills in on a phone after scanning a station's poster."""

    content = forms.CharField(
        label=_("您的意见或建议"),
        max_length=2000,
        help_text=CONTENT_HELP,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    category = forms.ChoiceField(label=_("类别"), choices=Opinion.Category.choices, initial="other")
    constituent_name = forms.CharField(label=_("您的称呼（选填）"), max_length=50, required=False)
    constituent_phone = forms.CharField(
        label=_("联系电话（选填）"),
        max_length=30,
        required=False,
        help_text=_("留下电话，工作人员可以回访您；号码加密保存，不会公开。"),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )


class OpinionEntryForm(PolicyForm):
    """Staff (walk-in or phone) and deputies (what they heard) enter an opinion."""

    # A province or county user may enter an opinion at any of thousands of stations: a picker.
    station = forms.ModelChoiceField(
        label=_("联络站点"),
        queryset=None,
        widget=PickerWidget("opinion-station", placeholder=_("输入联络站名称搜索")),
    )
    channel = forms.ChoiceField(
        label=_("来源渠道"),
        choices=[(Opinion.Channel.WALK_IN, _("来访")), (Opinion.Channel.PHONE_CALL, _("来电"))],
    )
    title = forms.CharField(
        label=_("标题"), max_length=100, required=False, help_text=_("不填则取意见内容开头")
    )
    content = forms.CharField(label=_("意见内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    category = forms.ChoiceField(label=_("类别"), choices=Opinion.Category.choices, initial="other")
    constituent_name = forms.CharField(label=_("反映人"), max_length=50, required=False)
    constituent_phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )

    def __init__(self, *args, stations=None, for_deputy: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if for_deputy:
            # A deputy logs what they heard wherever they were; no station, no channel to choose.
            del self.fields["station"]
            del self.fields["channel"]
        else:
            self.fields["station"].queryset = stations


class TransitionForm(PolicyForm):
    note = forms.CharField(
        label=_("办理说明"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reply = forms.CharField(
        label=_("答复内容"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    department = forms.ModelChoiceField(
        label=_("承办部门"), queryset=None, required=False, empty_label=_("请选择")
    )
    merged_into = forms.ModelChoiceField(
        label=_("合并到"), queryset=None, required=False, empty_label=_("请选择")
    )
    deputy = forms.ModelChoiceField(
        label=_("提出建议的代表"), queryset=None, required=False, empty_label=_("请选择")
    )

    def __init__(self, *args, departments, merge_candidates, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["merged_into"].queryset = merge_candidates
        self.fields["deputy"].queryset = deputies


class ReplyForm(PolicyForm):
    reply = forms.CharField(label=_("答复内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class RateForm(PolicyForm):
    satisfaction = forms.ChoiceField(
        label=_("满意度"), choices=Opinion.Satisfaction.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("回访情况"), max_length=200, required=False)


class TrackForm(PolicyForm):
    code = forms.CharField(
        label=_("查询码"),
        max_length=20,
        help_text=_("提交意见后得到的10位查询码，不区分大小写"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        from .services import tracking_code_normalize, tracking_code_plausible

        # A code that cannot exist is refused here, before the lookup limit counts it.
        if not tracking_code_plausible(self.cleaned_data["code"]):
            raise forms.ValidationError(_("查询码应为10位字母和数字，请核对后重新输入。"))
        return tracking_code_normalize(self.cleaned_data["code"])


class PublicRateForm(PolicyForm):
    code = forms.CharField(widget=forms.HiddenInput, max_length=20)
    satisfaction = forms.ChoiceField(
        label=_("满意程度"),
        choices=Opinion.Satisfaction.choices,
        widget=forms.RadioSelect,
        help_text=_("您对答复是否满意？"),
    )
    note = forms.CharField(
        label=_("不满意的原因（选填）"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 200}),
        help_text=_("选择不满意时，您的意见将退回重新办理。"),
        error_messages={"max_length": _("不满意的原因不能超过200字")},
    )


class DepartmentAnswerForm(PolicyForm):
    """The department an opinion was referred to: answer it, or hand it back with the reason."""

    decision = forms.ChoiceField(
        label=_("办理方式"),
        choices=[("reply", _("答复群众")), ("return", _("退回（不属于本部门职责）"))],
        widget=forms.RadioSelect,
        initial="reply",
    )
    text = forms.CharField(
        label=_("答复内容或退回理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        error_messages={
            "required": _("请填写答复内容或退回理由"),
            "max_length": _("答复内容或退回理由不能超过2000字"),
        },
    )


class OpinionFilterForm(PolicyForm):
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *Opinion.State.choices]
    )
    channel = forms.ChoiceField(
        label=_("来源渠道"), required=False, choices=[("", _("全部")), *Opinion.Channel.choices]
    )
    category = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部")), *Opinion.Category.choices]
    )
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    q = forms.CharField(label=_("标题"), required=False, max_length=50)
    satisfaction = forms.ChoiceField(
        label=_("满意度"),
        required=False,
        choices=[("", _("全部")), *Opinion.Satisfaction.choices, ("unrated", _("已答复未评价"))],
    )
    overdue = forms.BooleanField(label=_("仅看超时未办"), required=False)
