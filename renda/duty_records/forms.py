"""Forms of the duty-records app."""

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.core.forms import PolicyForm

from .models import DutyRecord


class DutyRecordFilterForm(PolicyForm):
    kind = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部")), *DutyRecord.Kind.choices]
    )
    review_state = forms.ChoiceField(
        label=_("审核状态"), required=False, choices=[("", _("全部")), *DutyRecord.Review.choices]
    )
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)


class ReviewForm(PolicyForm):
    decision = forms.ChoiceField(choices=[("approve", _("通过")), ("reject", _("退回"))])
    note = forms.CharField(label=_("审核意见"), required=False, max_length=200)
