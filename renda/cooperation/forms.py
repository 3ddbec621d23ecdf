"""Forms of department cooperation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.core.forms import PolicyForm
from renda.core.pickers import MultiPickerWidget


def _datetime(**kwargs):
    return forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        **kwargs,
    )


class ProposalForm(PolicyForm):
    title = forms.CharField(label=_("活动名称"), max_length=200)
    agenda = forms.CharField(max_length=2000, label=_("活动内容"), widget=forms.Textarea(attrs={"rows": 4}))
    place = forms.CharField(label=_("地点"), max_length=200)
    starts_at = _datetime(label=_("开始时间"))
    ends_at = _datetime(label=_("结束时间"))
    # A department of a province or city may have appointed many deputies: a picker of boxes.
    deputies = forms.ModelMultipleChoiceField(
        label=_("邀请代表"),
        queryset=None,
        widget=MultiPickerWidget("cooperation-deputy", placeholder=_("输入代表姓名搜索")),
    )

    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = deputies


class DecisionForm(PolicyForm):
    note = forms.CharField(label=_("意见"), max_length=200, required=False)
