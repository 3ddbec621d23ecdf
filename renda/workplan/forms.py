"""Forms of the work plan. They parse input; the rules are the services'."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core.forms import PolicyForm
from renda.guidance.forms import MultipleFileField
from renda.organizations.models import Organization

from .models import PlanItem


def bodies(region):
    return Organization.objects.filter(
        region=region, kind__in=[Organization.Kind.WORK_BODY, Organization.Kind.STANDING_COMMITTEE]
    ).order_by("kind", "name")


class WorkPlanForm(PolicyForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(
        label=_("标题"), max_length=200, help_text=_("如：大方县人大常委会2024年工作要点")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class ChapterForm(PolicyForm):
    title = forms.CharField(label=_("章节标题"), max_length=200)


class PlanItemForm(PolicyForm):
    chapter = forms.ModelChoiceField(label=_("章节"), queryset=None)
    text = forms.CharField(max_length=1000, label=_("工作事项"), widget=forms.Textarea(attrs={"rows": 3}))
    target = forms.CharField(label=_("目标要求"), max_length=300, required=False)
    lead_body = forms.ModelChoiceField(label=_("牵头单位"), queryset=None)
    co_bodies = forms.ModelMultipleChoiceField(
        label=_("配合单位"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    due_kind = forms.ChoiceField(label=_("完成时限"), choices=PlanItem.DueKind.choices)
    due_month = forms.TypedChoiceField(
        label=_("月份"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *[(m, f"{m}月") for m in range(1, 13)]],
    )
    due_quarter = forms.TypedChoiceField(
        label=_("季度"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), (1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")],
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chapter"].queryset = plan.chapters.order_by("number")
        self.fields["lead_body"].queryset = bodies(plan.region)
        self.fields["co_bodies"].queryset = bodies(plan.region)


class ProgressForm(PolicyForm):
    percent = forms.IntegerField(label=_("完成进度（%）"), min_value=0, max_value=100)
    note = forms.CharField(
        label=_("进展情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    files = MultipleFileField(label=_("附件"), required=False)


class ImportForm(PolicyForm):
    file = forms.FileField(label=_("工作要点 Word 文件（.docx）"))


class PlanFilterForm(PolicyForm):
    body = forms.TypedChoiceField(label=_("单位"), required=False, coerce=int, empty_value=None)
    late = forms.BooleanField(label=_("只看逾期"), required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [("", _("全部")), *[(b.pk, b.name) for b in bodies(plan.region)]]


class SummaryForm(PolicyForm):
    month = forms.RegexField(
        max_length=7,
        label=_("月份"),
        regex=r"^\d{4}-\d{2}$",
        error_messages={"invalid": _("月份格式为 2024-06")},
    )
