"""The auditor's search form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from renda.core.forms import PolicyForm

from .models import AuditEntry


class AuditFilterForm(PolicyForm):
    actor = forms.CharField(max_length=150, label=_("用户"), required=False)
    action = forms.CharField(
        max_length=100, label=_("事件"), required=False, help_text=_("如 auth.login、deputy.")
    )
    outcome = forms.ChoiceField(
        label=_("结果"), required=False, choices=[("", _("全部")), *list(AuditEntry.Outcome.choices)]
    )
    ip = forms.GenericIPAddressField(label=_("来源IP"), required=False)
    q = forms.CharField(max_length=100, label=_("对象或说明包含"), required=False)
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("截止日期不能早于起始日期"))
        return data
