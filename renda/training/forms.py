"""Forms of the training app."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renda.core.forms import PolicyForm
from renda.core.pickers import MultiPickerWidget, PickerWidget

from .models import TrainingForm, TrainingSession


def _date(**kwargs):
    return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **kwargs)


def _year_choices():
    this = timezone.localdate().year
    return [("", _("全部"))] + [(y, f"{y}") for y in range(this + 1, this - 6, -1)]


class PlanForm(PolicyForm):
    congress = forms.ModelChoiceField(
        label=_("人民代表大会"),
        queryset=None,
        widget=PickerWidget("training-congress", placeholder=_("输入名称搜索，如 大方县第十八届")),
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("标题"), max_length=100, required=False, help_text=_("留空则自动生成"))
    note = forms.CharField(
        max_length=1000, label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, congresses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses


class PlanItemForm(PolicyForm):
    topic = forms.CharField(label=_("培训主题"), max_length=200)
    target_group = forms.CharField(label=_("培训对象"), max_length=100, initial=_("全体县人大代表"))
    form = forms.ChoiceField(label=_("培训形式"), choices=TrainingForm.choices)
    planned_month = forms.TypedChoiceField(
        label=_("计划月份"), coerce=int, choices=[(m, f"{m}月") for m in range(1, 13)]
    )
    budget = forms.DecimalField(
        label=_("经费预算（元）"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        initial=Decimal("0"),
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class SessionFilterForm(PolicyForm):
    q = forms.CharField(max_length=100, label=_("名称或地点"), required=False)
    year = forms.TypedChoiceField(
        label=_("年度"), required=False, coerce=int, empty_value=None, choices=_year_choices
    )
    form = forms.ChoiceField(
        label=_("培训形式"), required=False, choices=[("", _("全部")), *TrainingForm.choices]
    )
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *TrainingSession.State.choices]
    )


class SessionForm(PolicyForm):
    congress = forms.ModelChoiceField(
        label=_("人民代表大会"),
        queryset=None,
        widget=PickerWidget("training-congress", placeholder=_("输入名称搜索，如 大方县第十八届")),
    )
    title = forms.CharField(label=_("培训名称"), max_length=200)
    form = forms.ChoiceField(label=_("培训形式"), choices=TrainingForm.choices)
    plan_item = forms.ModelChoiceField(label=_("落实的计划事项"), queryset=None, required=False)
    organizer = forms.CharField(label=_("承办单位"), max_length=100)
    place = forms.CharField(label=_("地点"), max_length=200)
    starts_on = _date(label=_("开始日期"))
    ends_on = _date(label=_("结束日期"))
    day_hours = forms.DecimalField(
        label=_("每日学时"),
        max_digits=3,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=Decimal("12"),
        initial=Decimal("6"),
        help_text=_("每个培训日的学时，可在考勤表中逐日调整"),
    )
    description = forms.CharField(
        max_length=2000, label=_("培训内容"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, congresses, plan_items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses
        self.fields["plan_item"].queryset = plan_items
        self.fields["plan_item"].label_from_instance = lambda i: f"{i.plan.year}年 · {i.topic}"

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("结束日期不能早于开始日期"))
        return data


class AttendeesForm(PolicyForm):
    # A congress's serving deputies (~600 provincial) and the jurisdiction's staff accounts grow with
    # the installation: search pickers (issue 15 §4); the deputy picker searches this session's.
    for_session = forms.IntegerField(widget=forms.HiddenInput, required=False)
    deputies = forms.ModelMultipleChoiceField(
        label=_("参训代表"),
        queryset=None,
        required=False,
        widget=MultiPickerWidget("training-deputy", placeholder=_("输入代表姓名搜索")),
    )
    staff = forms.ModelMultipleChoiceField(
        label=_("工作人员"),
        queryset=None,
        required=False,
        widget=MultiPickerWidget("training-staff", placeholder=_("输入姓名或用户名搜索")),
    )

    def __init__(self, *args, user, session, **kwargs):
        from .selectors import attendee_deputies, attendee_staff

        super().__init__(*args, **kwargs)
        self.fields["for_session"].initial = session.pk
        self.fields["deputies"].queryset = attendee_deputies(user=user, session=session)
        self.fields["staff"].queryset = attendee_staff(user=user)
        self.fields["staff"].label_from_instance = lambda u: u.display_name

    def clean(self):
        data = super().clean()
        if not data.get("deputies") and not data.get("staff"):
            raise forms.ValidationError(_("请选择参训代表或工作人员"))
        return data


class DayForm(PolicyForm):
    hours = forms.DecimalField(
        label=_("学时"), max_digits=3, decimal_places=1, min_value=Decimal("0.5"), max_value=Decimal("12")
    )
    agenda = forms.CharField(label=_("当日安排"), max_length=200, required=False)
