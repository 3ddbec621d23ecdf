"""Forms of the suggestions app: filters, the deputy's draft, staff entry, and one form per step."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core.access import scope_queryset
from renda.core.forms import PolicyForm
from renda.core.pickers import MultiPickerWidget, PickerWidget
from renda.deputies.models import Deputy
from renda.deputies.selectors import congress_deputy_choices
from renda.organizations.models import Organization
from renda.regions.models import Region

from .jurisdiction import county_of, leaders_for, units_for
from .models import (
    CO_INPUT_MAX_LENGTH,
    Category,
    Contact,
    Evaluation,
    MicroFund,
    Reply,
    State,
    Suggestion,
    SupervisionNote,
)
from .stats import GROUPS

DATE = forms.DateInput(attrs={"type": "date"})


def _units():
    return Organization.objects.filter(kind=Organization.Kind.HANDLING_UNIT).order_by("name")


def suggestion_unit_search(user, q: str):
    """The suggestion list's unit filter: handling units in the user's jurisdiction by name."""
    return scope_queryset(_units().select_related("region"), user).filter(name__contains=q)


def unit_label(unit: Organization, several_counties: bool) -> str:
    """A unit's name, with its county when units of more than one county are in view (namesakes)."""
    return f"{unit.name}（{unit.region.name}）" if several_counties else unit.name


def townships_for(region: Region | None):
    """The townships of the county that `region` is in (or under), for choosing the region concerned."""
    if region is None:
        return Region.objects.none()
    county = county_of(region)
    return Region.objects.filter(
        path__startswith=county.path, level__in=[Region.Level.COUNTY, Region.Level.TOWNSHIP]
    )


class SuggestionFilterForm(PolicyForm):
    q = forms.CharField(max_length=100, label=_("标题或编号"), required=False)
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *State.choices])
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部")), *Suggestion.Kind.choices]
    )
    category = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部")), *Category.choices]
    )
    # A province has ~900 handling units (877 options at 5 %): a search picker (issue 15 §4).
    unit = forms.ModelChoiceField(
        label=_("承办单位"),
        required=False,
        queryset=None,
        widget=PickerWidget("suggestion-unit", placeholder=_("输入单位名称搜索，如 交通运输局")),
    )
    township = forms.CharField(label=_("乡镇区划代码"), required=False, max_length=12)
    term = forms.IntegerField(label=_("届次"), required=False, min_value=1, max_value=99)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    overdue = forms.BooleanField(label=_("仅看超期"), required=False)
    pending = forms.ChoiceField(
        label=_("待审批"),
        required=False,
        choices=[("", _("全部")), ("return", _("退回申请")), ("extension", _("延期申请"))],
    )
    key = forms.BooleanField(label=_("仅看重点建议"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The user's own jurisdiction's units (the picker searches the same, suggestion_unit_search).
        units = _units().select_related("region")
        self.fields["unit"].queryset = scope_queryset(units, user) if user is not None else units

    def clean_unit(self):
        unit = self.cleaned_data.get("unit")
        return unit.pk if unit is not None else None


class DraftForm(PolicyForm):
    """What a deputy writes (and staff enter from paper)."""

    kind = forms.ChoiceField(
        label=_("类型"), choices=Suggestion.Kind.choices, initial=Suggestion.Kind.SUGGESTION
    )
    period = forms.ChoiceField(
        label=_("提出时间"), choices=Suggestion.Period.choices, initial=Suggestion.Period.RECESS
    )
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(max_length=10000, label=_("建议内容"), widget=forms.Textarea(attrs={"rows": 8}))
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    region = forms.ModelChoiceField(label=_("涉及区域"), queryset=Region.objects.none())
    cosigners = forms.ModelMultipleChoiceField(
        label=_("联名代表"),
        queryset=Deputy.objects.none(),
        required=False,
        widget=MultiPickerWidget("cosigner", placeholder=_("输入姓名、拼音首字母或代表团搜索")),
        help_text=_(
            "议案须由代表团或10名以上代表联名提出，否则按建议处理。联名代表会收到邀请，全部确认后才能提交。"
        ),
    )
    by_delegation = forms.BooleanField(label=_("以代表团名义提出"), required=False)
    delegation_name = forms.CharField(label=_("代表团名称"), required=False, max_length=100)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = townships_for(region)
        within = county_of(region)
        self.fields["cosigners"].queryset = (
            congress_deputy_choices(within=within) if within else Deputy.objects.none()
        )
        if "lead_deputy" in self.fields:
            self.fields["lead_deputy"].queryset = (
                congress_deputy_choices(within=within) if within else Deputy.objects.none()
            )


class PaperEntryForm(DraftForm):
    # The county congress's deputies (~300, a province's thousands): a search picker (issue 15 §4).
    lead_deputy = forms.ModelChoiceField(
        label=_("领衔代表"),
        queryset=Deputy.objects.none(),
        widget=PickerWidget("lead-deputy", placeholder=_("输入姓名、拼音首字母或代表团搜索")),
    )
    received_on = forms.DateField(label=_("收到日期"), widget=DATE)
    term = forms.IntegerField(label=_("届次"), min_value=1, max_value=99)
    session = forms.IntegerField(label=_("会次"), min_value=1, max_value=20)
    field_order = [
        "lead_deputy",
        "received_on",
        "term",
        "session",
        "kind",
        "period",
        "title",
        "body",
        "category",
    ]

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("收到日期不能晚于今天"))
        return value


class AttachmentForm(PolicyForm):
    file = forms.FileField(label=_("附件"))


class StepForm(PolicyForm):
    """Every step carries the version the user saw (optimistic locking) and an optional note.

    `suggestion` is the item the step is for: forms that offer units offer its own county's only.
    """

    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        max_length=1000, label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, suggestion=None, **kwargs):
        self.suggestion = suggestion
        super().__init__(*args, **kwargs)

    def units(self):
        if self.suggestion is None:
            return Organization.objects.none()
        return units_for(self.suggestion).select_related("region")


class AssignForm(StepForm):
    lead_unit = forms.ModelChoiceField(label=_("主办单位"), queryset=Organization.objects.none())
    co_units = forms.ModelMultipleChoiceField(
        label=_("协办单位"), queryset=Organization.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = self.units()
        self.fields["co_units"].queryset = self.units()
        self.fields["co_units"].widget.attrs["size"] = 4


class MergeForm(StepForm):
    into = forms.IntegerField(label=_("并入建议的编号"), min_value=1)


class ReturnDecideForm(StepForm):
    assignment = forms.IntegerField(widget=forms.HiddenInput)
    approve = forms.TypedChoiceField(
        label=_("决定"), choices=[("1", _("同意退回")), ("0", _("不同意退回"))], coerce=lambda v: v == "1"
    )
    new_unit = forms.ModelChoiceField(
        label=_("改由以下单位承办"), queryset=Organization.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_unit"].queryset = self.units()


class UnitChangeForm(StepForm):
    """调整承办单位: replace one open part, or (no part chosen) add a co-handler; the reason is required."""

    assignment = forms.TypedChoiceField(
        label=_("要调整的单位"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("不选则新增一个协办单位。"),
    )
    new_unit = forms.ModelChoiceField(label=_("调整后的承办单位"), queryset=Organization.objects.none())
    note = forms.CharField(max_length=500, label=_("调整理由"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_unit"].queryset = self.units()
        self.fields["assignment"].choices = [("", _("（新增协办单位）"))]

    def for_suggestion(self, suggestion) -> None:
        """Offer the item's open parts, named with their role (县交通运输局（主办）)."""
        from .models import OPEN_PARTS

        parts = suggestion.assignments.filter(state__in=OPEN_PARTS).select_related("unit")
        self.fields["assignment"].choices = [("", _("（新增协办单位）"))] + [
            (a.pk, f"{a.unit.name}（{a.get_role_display()}）") for a in parts
        ]


class ContactForm(StepForm):
    contacted_on = forms.DateField(label=_("沟通日期"), widget=DATE)
    way = forms.ChoiceField(label=_("沟通方式"), choices=Contact.Way.choices)
    content = forms.CharField(max_length=2000, label=_("沟通内容"), widget=forms.Textarea(attrs={"rows": 3}))


class CoInputForm(StepForm):
    text = forms.CharField(
        label=_("协办意见"), max_length=CO_INPUT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )


class ExtensionRequestForm(StepForm):
    requested_due_on = forms.DateField(label=_("申请延期至"), widget=DATE)
    reason = forms.CharField(max_length=1000, label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionDecideForm(StepForm):
    extension = forms.IntegerField(widget=forms.HiddenInput)
    approve = forms.TypedChoiceField(
        label=_("决定"), choices=[("1", _("同意延期")), ("0", _("不同意延期"))], coerce=lambda v: v == "1"
    )


class ReplyForm(StepForm):
    category = forms.ChoiceField(
        label=_("答复类别"), choices=Reply.Category.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(max_length=10000, label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 6}))
    signer = forms.CharField(label=_("签发领导"), max_length=50)
    letter = forms.FileField(label=_("答复函（盖章扫描件）"), required=False)


class EvaluationForm(StepForm):
    result = forms.ChoiceField(
        label=_("对办理结果的评价"), choices=Evaluation.Result.choices, widget=forms.RadioSelect
    )
    attitude = forms.ChoiceField(
        label=_("对办理态度的评价"), choices=Evaluation.Result.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        max_length=2000, label=_("意见和建议"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class KeyForm(StepForm):
    leader = forms.CharField(label=_("领衔督办领导（职务、姓名）"), max_length=100)
    # The suggestion's own county's leaders (a province holds hundreds): a search picker (issue 15 §4).
    leader_user = forms.ModelChoiceField(
        label=_("督办领导账号"),
        queryset=None,
        required=False,
        widget=PickerWidget("key-leader", placeholder=_("输入领导姓名搜索")),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader_user"].queryset = leaders_for(self.suggestion)


class SupervisionForm(StepForm):
    kind = forms.ChoiceField(label=_("类型"), choices=SupervisionNote.Kind.choices)
    occurred_on = forms.DateField(label=_("日期"), widget=DATE)
    text = forms.CharField(max_length=2000, label=_("督办情况"), widget=forms.Textarea(attrs={"rows": 3}))
    participants = forms.CharField(label=_("参加人员"), max_length=200, required=False)


class PublishForm(StepForm):
    text = forms.CharField(
        max_length=10000,
        label=_("公开的答复内容"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("留空则公开答复原文；身份证号、电话、邮箱和代表姓名会自动隐去。"),
    )


class FundForm(PolicyForm):
    source = forms.ChoiceField(label=_("资金来源"), choices=MicroFund.Source.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=12, decimal_places=2, min_value=0.01)
    project = forms.CharField(label=_("项目名称"), max_length=200)
    region = forms.ModelChoiceField(label=_("实施地点"), queryset=Region.objects.none())
    suggestion = forms.IntegerField(label=_("对应建议编号"), required=False, min_value=1)

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = townships_for(region)
        self.fields["year"].initial = timezone.localdate().year


class FundAdvanceForm(PolicyForm):
    on = forms.DateField(label=_("日期"), widget=DATE)
    outcome = forms.CharField(
        max_length=2000, label=_("完成情况"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class StatsForm(PolicyForm):
    term = forms.IntegerField(label=_("届次"), required=False, min_value=1, max_value=99)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    group_by = forms.ChoiceField(label=_("分组"), required=False, choices=[(k, v) for k, v in GROUPS.items()])
    # A city or province user's drill-down into one county (its code); kept by the filters.
    county = forms.CharField(label=_("县（市、区）"), required=False, max_length=12, widget=forms.HiddenInput)


COSIGN_NOTE_MAX_LENGTH = 200  # services.cosign_answer refuses a longer note


class CosignAnswerForm(PolicyForm):
    """A co-signer's answer to a co-signing request: the decision is the button pressed; the note (a
    decline's reason, or a word with a confirmation) is bounded, counted on screen, and kept on a refusal."""

    decision = forms.ChoiceField(
        label=_("答复"),
        choices=[("confirm", _("同意联名")), ("decline", _("谢绝"))],
        widget=forms.HiddenInput,
    )
    note = forms.CharField(
        label=_("理由或说明"),
        max_length=COSIGN_NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("选填；谢绝时可写明理由"),
    )
